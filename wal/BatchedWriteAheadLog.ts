import { IllegalStateException, SparkException, UnsupportedOperationException } from '../lib/core/errors';
import { getLogger } from '../lib/core/logging';
import type { WriteAheadLog, WriteAheadLogRecordHandle } from './WriteAheadLog';

const log = getLogger('BatchedWriteAheadLog');

/** Default of `spark.streaming.driver.writeAheadLog.batchingTimeout`. */
export const DEFAULT_BATCHING_TIMEOUT_MS = 5000;

interface QueuedRecord {
  readonly record: Buffer;
  readonly time: number;
  readonly resolve: (h: WriteAheadLogRecordHandle) => void;
  readonly reject: (e: unknown) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

// Aggregate format: 'DSBW' <n u32 BE> <length u32 BE × n> <records concatenated>.
const AGGREGATE_MAGIC = 0x44534257;

/**
 * Packs the records written while the wrapped log is busy into one record of the wrapped log, and unpacks them on
 * `readAll`: Spark's `BatchedWriteAheadLog`, used for the driver's block metadata log. A batch is sorted by time
 * and written with the time of its latest record, and every record of the batch resolves with the same handle.
 */
export class BatchedWriteAheadLog implements WriteAheadLog {
  private queue: QueuedRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private running = false;
  private active = true;
  private closing: Promise<void> | undefined;

  constructor(
    readonly wrappedLog: WriteAheadLog,
    private readonly batchingTimeoutMs: number = DEFAULT_BATCHING_TIMEOUT_MS,
  ) {}

  write(record: Buffer, timeMs: number): Promise<WriteAheadLogRecordHandle> {
    if (!this.active) return Promise.reject(closedError(timeMs));
    return new Promise((resolve, reject) => {
      const q: QueuedRecord = { record, time: timeMs, resolve, reject, timer: undefined, settled: false };
      q.timer = setTimeout(() => {
        settle(q, new SparkException(`BatchedWriteAheadLog: the write of the record with time ${timeMs} did not complete within ${this.batchingTimeoutMs} ms`));
      }, this.batchingTimeoutMs);
      q.timer.unref();
      this.queue.push(q);
      if (!this.running) {
        this.running = true;
        this.writing = this.writeLoop();
      }
    });
  }

  read(_handle: WriteAheadLogRecordHandle): Promise<Buffer> {
    return Promise.reject(
      new UnsupportedOperationException('read() is not supported for BatchedWriteAheadLog as the data may require de-aggregation.'),
    );
  }

  readAll(): Iterable<Buffer> {
    const wrapped = this.wrappedLog;
    return {
      *[Symbol.iterator]() {
        for (const r of wrapped.readAll()) yield* BatchedWriteAheadLog.deaggregate(r);
      },
    };
  }

  clean(threshTimeMs: number, waitForCompletion: boolean): Promise<void> {
    return this.wrappedLog.clean(threshTimeMs, waitForCompletion);
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  /** Packs records into one buffer (Spark's `aggregate`). */
  static aggregate(records: readonly Buffer[]): Buffer {
    let total = 8 + 4 * records.length;
    for (const r of records) total += r.length;
    const out = Buffer.allocUnsafe(total);
    out.writeUInt32BE(AGGREGATE_MAGIC, 0);
    out.writeUInt32BE(records.length, 4);
    let p = 8;
    let q = 8 + 4 * records.length;
    for (const r of records) {
      out.writeUInt32BE(r.length, p);
      p += 4;
      r.copy(out, q);
      q += r.length;
    }
    return out;
  }

  /**
   * Unpacks an aggregate (Spark's `deaggregate`). A buffer that is not an aggregate is one record written without
   * batching, so logs written with batching off stay readable.
   */
  static deaggregate(buffer: Buffer): Buffer[] {
    if (buffer.length < 8 || buffer.readUInt32BE(0) !== AGGREGATE_MAGIC) return [buffer];
    const n = buffer.readUInt32BE(4);
    if (8 + 4 * n > buffer.length) return [buffer];
    const out = new Array<Buffer>(n);
    let q = 8 + 4 * n;
    for (let i = 0; i < n; i++) {
      const len = buffer.readUInt32BE(8 + 4 * i);
      if (q + len > buffer.length) return [buffer];
      out[i] = buffer.subarray(q, q + len);
      q += len;
    }
    return q === buffer.length ? out : [buffer];
  }

  /** One batch at a time: everything queued while the previous write was in flight goes in the next one. */
  private async writeLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.filter((q) => !q.settled);
        this.queue = [];
        if (batch.length === 0) continue;
        // Stable sort by time; the batch is named by its latest record.
        batch.sort((a, b) => a.time - b.time);
        const time = batch[batch.length - 1].time;
        try {
          const handle = await this.wrappedLog.write(BatchedWriteAheadLog.aggregate(batch.map((q) => q.record)), time);
          for (const q of batch) settle(q, undefined, handle);
        } catch (e) {
          log.error({ err: (e as Error).message, records: batch.length }, 'BatchedWriteAheadLog: writing a batch failed');
          const err = new SparkException(`BatchedWriteAheadLog failed to write a batch of ${batch.length} record(s): ${(e as Error)?.message ?? String(e)}`, { cause: e });
          for (const q of batch) settle(q, err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async doClose(): Promise<void> {
    this.active = false;
    const queued = this.queue;
    this.queue = [];
    for (const q of queued) settle(q, closedError(q.time));
    await this.writing;
    await this.wrappedLog.close();
  }
}

function settle(q: QueuedRecord, error: unknown, handle?: WriteAheadLogRecordHandle): void {
  if (q.settled) return;
  q.settled = true;
  if (q.timer) clearTimeout(q.timer);
  if (error !== undefined) q.reject(error);
  else q.resolve(handle as WriteAheadLogRecordHandle);
}

function closedError(time: number): IllegalStateException {
  return new IllegalStateException(`close() was called on BatchedWriteAheadLog before write request with time ${time} could be fulfilled.`);
}
