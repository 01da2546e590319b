import { requireThat } from '../core/errors';
import type { Sink } from '../rdd/Sink';
import { WrongRecordLengthException } from './FileInputErrors';
import type { InputFormat } from './InputFormat';
import { FILE_CHUNK_SIZE, readChunks } from './readChunks';

/**
 * Fixed-length binary records: Spark's `FixedLengthBinaryInputFormat` as used by `binaryRecords` and
 * `binaryRecordsStream`. Each record is a `Buffer` of exactly `recordLength` bytes (a view of a read buffer that
 * is never reused). A file whose length is not a multiple of `recordLength` yields its whole records and then
 * fails with Spark's "Byte array does not have correct length" error, naming the file.
 */
export class FixedLengthBinaryInputFormat implements InputFormat<Buffer> {
  readonly name = 'FixedLengthBinaryInputFormat';

  constructor(readonly recordLength: number) {
    requireThat(
      Number.isInteger(recordLength) && recordLength > 0,
      `The record length must be a positive whole number of bytes, got ${recordLength}`,
    );
  }

  async read(file: string, sink: Sink<Buffer>, source: string): Promise<void> {
    const len = this.recordLength;
    // Whole records per read, so that records straddle chunks only after a short read.
    const chunkSize = Math.max(len, len * Math.floor(FILE_CHUNK_SIZE / len));
    let carry: Buffer | undefined;
    let position = 0;
    await readChunks(file, chunkSize, (chunk) => {
      let i = 0;
      if (carry !== undefined) {
        const need = len - carry.length;
        if (chunk.length < need) {
          carry = Buffer.concat([carry, chunk]);
          position += chunk.length;
          return;
        }
        sink(Buffer.concat([carry, chunk.subarray(0, need)]));
        carry = undefined;
        i = need;
      }
      const n = chunk.length;
      for (; i + len <= n; i += len) sink(chunk.subarray(i, i + len));
      if (i < n) carry = Buffer.from(chunk.subarray(i));
      position += n;
    });
    if (carry !== undefined) throw new WrongRecordLengthException(file, source, carry.length, len, position - carry.length);
  }
}
