import type { Sink } from '../rdd/Sink';

/**
 * How a file becomes records: the role of Hadoop's `InputFormat` + `RecordReader` under Spark's
 * `newAPIHadoopFile` and `fileStream[K, V, F]`. `read` pushes every record of `file` into `sink` (one plain loop
 * per chunk; the sink is built once per partition) and resolves when the file is done. Errors name the file and
 * `source` (the stream or operation reading it).
 *
 * dstreams has no Writable key/value classes: a format yields whatever record type fits (`string` lines,
 * `[offset, line]` pairs, `Buffer` records).
 */
export interface InputFormat<T> {
  /** The Spark/Hadoop class it stands for, shown in errors and `toDebugString`. */
  readonly name: string;
  read(file: string, sink: Sink<T>, source: string): Promise<void>;
}
