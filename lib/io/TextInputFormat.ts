import type { Sink } from '../rdd/Sink';
import type { InputFormat } from './InputFormat';
import { LineSplitter } from './LineSplitter';
import { FILE_CHUNK_SIZE, readChunks } from './readChunks';

/**
 * The lines of a text file (UTF-8; `\n`, `\r\n` and `\r` end a line): the values of Hadoop's `TextInputFormat`,
 * which is what Spark's `textFile` and `textFileStream` keep. The default format of `fileStream`.
 */
export class TextInputFormat implements InputFormat<string> {
  readonly name = 'TextInputFormat';

  read(file: string, sink: Sink<string>): Promise<void> {
    const splitter = new LineSplitter((line) => sink(line));
    return readChunks(file, FILE_CHUNK_SIZE, (chunk) => splitter.push(chunk)).then(() => splitter.end());
  }
}

/**
 * `[byteOffset, line]` pairs: Hadoop's `TextInputFormat` with its `LongWritable` key, i.e. the records of Spark's
 * `fileStream[LongWritable, Text, TextInputFormat]` (port `.map(_._2.toString)` as `.map(([, line]) => line)`).
 */
export class OffsetTextInputFormat implements InputFormat<[number, string]> {
  readonly name = 'TextInputFormat';

  read(file: string, sink: Sink<[number, string]>): Promise<void> {
    const splitter = new LineSplitter((line, offset) => sink([offset, line]));
    return readChunks(file, FILE_CHUNK_SIZE, (chunk) => splitter.push(chunk)).then(() => splitter.end());
  }
}
