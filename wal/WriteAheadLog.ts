/**
 * Where a written record lives, as returned by {@link WriteAheadLog.write}: Spark's `WriteAheadLogRecordHandle`.
 * Always plain JSON data, because handles are stored in the driver's metadata log and in checkpoints.
 */
export type WriteAheadLogRecordHandle = { readonly [key: string]: unknown };

/**
 * A durable, append-only log of byte records indexed by time: Spark's `org.apache.spark.streaming.util.WriteAheadLog`.
 * The receiver data log (`<checkpointDir>/receivedData/<streamId>`) and the driver's block metadata log
 * (`<checkpointDir>/receivedBlockMetadata`) are both WriteAheadLogs.
 */
export interface WriteAheadLog<H extends WriteAheadLogRecordHandle = WriteAheadLogRecordHandle> {
  /**
   * Appends one record; resolves once it is durable (per the log's sync policy) with the handle that reads it back.
   * `timeMs` indexes the record for {@link clean} and picks its segment. The buffer must not change until the
   * promise settles (as with Node's `fs.write`).
   */
  write(record: Buffer, timeMs: number): Promise<H>;
  /** The record a handle names. */
  read(handle: H): Promise<Buffer>;
  /** Every intact record not yet cleaned, in write order; synchronous and lazy; each iteration reads afresh. */
  readAll(): Iterable<Buffer>;
  /** Deletes the records (whole segments) older than `threshTimeMs`; waits for the deletion if asked. */
  clean(threshTimeMs: number, waitForCompletion: boolean): Promise<void>;
  /** Flushes pending writes and closes the log. Idempotent. */
  close(): Promise<void>;
}
