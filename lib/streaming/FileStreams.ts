/**
 * The file input streams of {@link StreamingContext} (Spark's `textFileStream`, `fileStream`,
 * `binaryRecordsStream`), added to the class by declaration merging so that StreamingContext.ts does not import
 * file formats. Importing this module (the streaming index does) installs them, and `textFile`/`binaryRecords`
 * on SparkContext.
 */
import '../io/SparkContextFiles';
import { FixedLengthBinaryInputFormat } from '../io/FixedLengthBinaryInputFormat';
import type { InputFormat } from '../io/InputFormat';
import { TextInputFormat } from '../io/TextInputFormat';
import { defaultFilter, FileInputDStream, type PathFilter } from './dstream/FileInputDStream';
import { StreamingContext } from './StreamingContext';

/** The options form of `fileStream`. */
export interface FileStreamOptions<T> {
  /** Which files to read, by full path (default: names not starting with `.`). */
  filter?: PathFilter;
  /** Ignore files that existed before the stream was created (default `true`). */
  newFilesOnly?: boolean;
  /** How a file becomes records (default: {@link TextInputFormat}, its lines). */
  format?: InputFormat<T>;
}

declare module './StreamingContext' {
  interface StreamingContext {
    /**
     * Spark's `textFileStream(directory)`: the lines (UTF-8; `\n`, `\r\n`, `\r`) of every new file in `directory`
     * (a folder, or a glob such as `logs/*\/`). Files must appear whole (write elsewhere, then rename into the folder).
     */
    textFileStream(directory: string): FileInputDStream<string>;
    /**
     * Spark's `fileStream[K, V, F](directory, filter, newFilesOnly)`: new files in `directory` read through `format`
     * (default {@link TextInputFormat}: lines; `OffsetTextInputFormat` gives Spark's `(offset, line)` pairs).
     * `filter` gets each file's full path (default: names not starting with `.`).
     */
    fileStream<T = string>(directory: string, filter?: PathFilter, newFilesOnly?: boolean, format?: InputFormat<T>): FileInputDStream<T>;
    fileStream<T = string>(directory: string, options: FileStreamOptions<T>): FileInputDStream<T>;
    /**
     * Spark's `binaryRecordsStream(directory, recordLength)`: every new file cut into `recordLength`-byte records
     * (Buffers). A file whose length is not a multiple fails its batch with Spark's "Byte array does not have
     * correct length" error, naming the file.
     */
    binaryRecordsStream(directory: string, recordLength: number): FileInputDStream<Buffer>;
  }
}

StreamingContext.prototype.textFileStream = function (this: StreamingContext, directory: string): FileInputDStream<string> {
  return new FileInputDStream(this, directory, new TextInputFormat(), defaultFilter, true, 'textFileStream');
};

StreamingContext.prototype.fileStream = function <T>(
  this: StreamingContext,
  directory: string,
  filterOrOptions?: PathFilter | FileStreamOptions<T>,
  newFilesOnly = true,
  format?: InputFormat<T>,
): FileInputDStream<T> {
  if (filterOrOptions !== undefined && typeof filterOrOptions === 'object') {
    const o = filterOrOptions;
    return new FileInputDStream(this, directory, o.format ?? (new TextInputFormat() as unknown as InputFormat<T>), o.filter ?? defaultFilter, o.newFilesOnly ?? true);
  }
  const fmt = format ?? (new TextInputFormat() as unknown as InputFormat<T>);
  return new FileInputDStream(this, directory, fmt, filterOrOptions ?? defaultFilter, newFilesOnly);
} as StreamingContext['fileStream'];

StreamingContext.prototype.binaryRecordsStream = function (this: StreamingContext, directory: string, recordLength: number): FileInputDStream<Buffer> {
  // The format checks the length before the stream registers itself in the graph.
  const format = new FixedLengthBinaryInputFormat(recordLength);
  return new FileInputDStream(this, directory, format, defaultFilter, true, 'binaryRecordsStream');
};

export { FileInputDStream, defaultFilter, calculateNumBatchesToRemember, type PathFilter, type FileInputDStreamCheckpointData } from './dstream/FileInputDStream';
export * from '../io';
