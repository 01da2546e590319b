import * as path from 'node:path';
import { IllegalStateException, SparkException, UnsupportedOperationException } from '../../lib/core/errors';
import { BatchedWriteAheadLog } from '../../wal/BatchedWriteAheadLog';
import { FileBasedWriteAheadLog } from '../../wal/FileBasedWriteAheadLog';
import type { WriteAheadLog, WriteAheadLogRecordHandle } from '../../wal/WriteAheadLog';
import { asStrings, removeDir, segmentFiles, strings, tempDir } from './walTestKit';

/** A wrapped log that records its calls and holds each write until the test releases it. */
class RecordingLog implements WriteAheadLog {
  readonly writes: Array<{ records: string[]; time: number; release: (h?: WriteAheadLogRecordHandle) => void; fail: (e: unknown) => void }> = [];
  closed = 0;
  private waiters: Array<() => void> = [];

  write(record: Buffer, time: number): Promise<WriteAheadLogRecordHandle> {
    return new Promise((resolve, reject) => {
      this.writes.push({
        records: BatchedWriteAheadLog.deaggregate(record).map(String),
        time,
        release: (h) => resolve(h ?? { n: this.writes.length }),
        fail: reject,
      });
      for (const w of this.waiters.splice(0)) w();
    });
  }
  /** Resolves once `n` writes reached the wrapped log (no polling: woken by write()). */
  async untilWrites(n: number): Promise<void> {
    while (this.writes.length < n) await new Promise<void>((r) => this.waiters.push(r));
  }
  read(): Promise<Buffer> {
    return Promise.reject(new Error('not used'));
  }
  readAll(): Iterable<Buffer> {
    return [];
  }
  clean(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

let dir: string;
beforeEach(() => {
  dir = path.join(tempDir(), 'wal');
});
afterEach(() => removeDir(path.dirname(dir)));

describe('BatchedWriteAheadLog (BatchedWriteAheadLogSuite)', () => {
  test('aggregate and deaggregate round-trip; a non-aggregate buffer is one record', () => {
    const records = [Buffer.from('BlockAdditionEvent'), Buffer.alloc(0), Buffer.from('BatchCleanupEvent')];
    expect(BatchedWriteAheadLog.deaggregate(BatchedWriteAheadLog.aggregate(records))).toEqual(records);
    const plain = Buffer.from('written without batching');
    expect(BatchedWriteAheadLog.deaggregate(plain)).toEqual([plain]);
    expect(BatchedWriteAheadLog.deaggregate(BatchedWriteAheadLog.aggregate([]))).toEqual([]);
  });

  test('a failure of the wrapped log bubbles up as SparkException with the cause', async () => {
    const wrapped = new RecordingLog();
    const batched = new BatchedWriteAheadLog(wrapped);
    const w = batched.write(Buffer.from('x'), 1);
    await wrapped.untilWrites(1);
    wrapped.writes[0].fail(new Error('Hello!'));
    const err = await w.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SparkException);
    expect((err as Error).cause).toEqual(new Error('Hello!'));
  });

  test('a batch is sorted by time and named by its latest record; all its records share one handle', async () => {
    const wrapped = new RecordingLog();
    const batched = new BatchedWriteAheadLog(wrapped);
    const first = batched.write(Buffer.from('e1'), 3);
    await wrapped.untilWrites(1);
    const rest = [batched.write(Buffer.from('e2'), 5), batched.write(Buffer.from('e3'), 8), batched.write(Buffer.from('e4'), 12), batched.write(Buffer.from('e5'), 10)];
    wrapped.writes[0].release({ first: true });
    await expect(first).resolves.toEqual({ first: true });
    await wrapped.untilWrites(2);
    expect(wrapped.writes.map((w) => [w.records, w.time])).toEqual([
      [['e1'], 3],
      [['e2', 'e3', 'e5', 'e4'], 12],
    ]);
    wrapped.writes[1].release({ second: true });
    await expect(Promise.all(rest)).resolves.toEqual(Array(4).fill({ second: true }));
  });

  test('close() fails queued writes, closes the wrapped log, and later writes throw IllegalStateException', async () => {
    const wrapped = new RecordingLog();
    const batched = new BatchedWriteAheadLog(wrapped);
    const inFlight = batched.write(Buffer.from('a'), 1);
    await wrapped.untilWrites(1);
    const queued = [2, 3, 4].map((t) => batched.write(Buffer.from(String(t)), t));
    const closing = batched.close();
    for (const [i, q] of queued.entries()) {
      await expect(q).rejects.toThrow(`close() was called on BatchedWriteAheadLog before write request with time ${i + 2} could be fulfilled.`);
    }
    wrapped.writes[0].release();
    await inFlight;
    await closing;
    expect(wrapped.closed).toBe(1);
    await expect(batched.write(Buffer.from('late'), 9)).rejects.toThrow(IllegalStateException);
    await batched.close();
    expect(wrapped.closed).toBe(1);
  });

  test('a write not fulfilled within the batching timeout fails', async () => {
    const wrapped = new RecordingLog();
    const batched = new BatchedWriteAheadLog(wrapped, 20);
    await expect(batched.write(Buffer.from('x'), 1)).rejects.toThrow(/did not complete within 20 ms/);
  });

  test('read() is not supported', async () => {
    const batched = new BatchedWriteAheadLog(new RecordingLog());
    await expect(batched.read({})).rejects.toThrow(UnsupportedOperationException);
    await expect(batched.read({})).rejects.toThrow('read() is not supported for BatchedWriteAheadLog as the data may require de-aggregation.');
  });

  test('over a file log: written, read back by a new instance, cleaned (WriteAheadLogSuite with batching)', async () => {
    const data = strings(1, 100);
    let batched = new BatchedWriteAheadLog(new FileBasedWriteAheadLog(dir, { rollingIntervalSecs: 1 }));
    let t = 10000;
    // Ten records per turn: each turn's records are batched behind the write in flight.
    for (let i = 0; i < data.length; i += 10) {
      await Promise.all(data.slice(i, i + 10).map((d) => batched.write(d, (t += 500))));
    }
    await batched.close();
    expect(segmentFiles(dir).length).toBeGreaterThan(1);
    batched = new BatchedWriteAheadLog(new FileBasedWriteAheadLog(dir, { rollingIntervalSecs: 1 }));
    expect(asStrings(batched.readAll())).toEqual(data.map(String));
    await batched.clean(t / 2 + 5000, true);
    expect(asStrings(batched.readAll()).length).toBeLessThan(100);
    await batched.close();
  });

  test('readAll of a log written without batching returns its records', async () => {
    const file = new FileBasedWriteAheadLog(dir);
    await Promise.all(strings(1, 3).map((d) => file.write(d, 1)));
    await file.close();
    expect(asStrings(new BatchedWriteAheadLog(new FileBasedWriteAheadLog(dir)).readAll())).toEqual(['1', '2', '3']);
  });
});
