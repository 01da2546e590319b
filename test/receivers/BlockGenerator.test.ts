/** Spark's BlockGeneratorSuite (block interval 10 ms, ManualClock), plus the bounded queue and the wait hints. */
import { ManualClock, SparkConf, SparkException, StreamBlockId, StreamId } from '../../lib';
import { BlockGenerator, type BlockGeneratorListener } from '../../receivers';
import { waitFor } from './helpers';

const BLOCK_MS = 10;

class TestBlockGeneratorListener implements BlockGeneratorListener<number> {
  readonly pushedData: number[] = [];
  readonly addedData: unknown[] = [];
  readonly addedMetadata: unknown[] = [];
  readonly generated: string[] = [];
  readonly pushed: string[] = [];
  readonly errors: Array<{ message: string; throwable: unknown }> = [];
  onAddDataCalled = false;
  onGenerateBlockCalled = false;
  onPushBlockCalled = false;

  onAddData(data: unknown, metadata: unknown): void {
    if (Array.isArray(data)) this.addedData.push(...data);
    else this.addedData.push(data);
    this.addedMetadata.push(metadata);
    this.onAddDataCalled = true;
  }
  onGenerateBlock(blockId: StreamBlockId): void {
    this.generated.push(blockId.name);
    this.onGenerateBlockCalled = true;
  }
  onPushBlock(blockId: StreamBlockId, arrayBuffer: number[]): void | Promise<void> {
    this.pushed.push(blockId.name);
    this.pushedData.push(...arrayBuffer);
    this.onPushBlockCalled = true;
  }
  onError(message: string, throwable: unknown): void {
    this.errors.push({ message, throwable });
  }
}

function conf(extra: Record<string, string> = {}): SparkConf {
  return new SparkConf(false).set('spark.streaming.blockInterval', `${BLOCK_MS}ms`).setAll(extra);
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

describe('BlockGenerator', () => {
  test('block generation and data callbacks', async () => {
    const listener = new TestBlockGeneratorListener();
    const clock = new ManualClock();
    const g = new BlockGenerator<number>(listener, StreamId(0), conf(), clock);
    expect(g.isActive()).toBe(false);
    expect(g.isStopped()).toBe(false);
    expect(listener.onAddDataCalled || listener.onGenerateBlockCalled || listener.onPushBlockCalled).toBe(false);

    g.start();
    expect(g.isActive()).toBe(true);
    expect(g.isStopped()).toBe(false);
    expect(listener.onAddDataCalled || listener.onGenerateBlockCalled || listener.onPushBlockCalled).toBe(false);

    const data1 = range(1, 10);
    for (const d of data1) expect(g.addData(d)).toBeUndefined();
    expect(listener.onAddDataCalled || listener.onGenerateBlockCalled || listener.onPushBlockCalled).toBe(false);
    clock.advance(BLOCK_MS);
    await waitFor(() => listener.onGenerateBlockCalled && listener.onPushBlockCalled, 'a block');
    expect(listener.pushedData).toEqual(data1);
    expect(listener.onAddDataCalled).toBe(false);
    // The block is named by the start of its interval.
    expect(listener.pushed).toEqual(['input-0-0']);

    const data2 = range(11, 20);
    const metadata2 = data2.map(String);
    data2.forEach((d, i) => g.addDataWithCallback(d, metadata2[i]));
    expect(listener.onAddDataCalled).toBe(true);
    expect(listener.addedData).toEqual(data2);
    expect(listener.addedMetadata).toEqual(metadata2);
    clock.advance(BLOCK_MS);
    await waitFor(() => listener.pushedData.length === 20, 'the second block');
    expect(listener.pushedData).toEqual([...data1, ...data2]);

    const data3 = range(21, 30);
    g.addMultipleDataWithCallback(data3[Symbol.iterator](), 'metadata');
    expect(listener.addedMetadata).toEqual([...metadata2, 'metadata']);
    expect(listener.addedData).toEqual([...data2, ...data3]);
    clock.advance(BLOCK_MS);
    await waitFor(() => listener.pushedData.length === 30, 'the third block');
    expect(listener.pushedData).toEqual([...data1, ...data2, ...data3]);
    expect(listener.pushed).toEqual(['input-0-0', 'input-0-10', 'input-0-20']);

    await g.stop();
    expect(g.isStopped()).toBe(true);
    expect(() => g.addData(1)).toThrow(SparkException);
    expect(() => g.addData(1)).toThrow('Cannot add data as BlockGenerator has not been started or has been stopped');
    expect(() => g.addDataWithCallback(1, 1)).toThrow(SparkException);
    expect(() => g.addMultipleDataWithCallback([1], 1)).toThrow(SparkException);
    expect(() => g.start()).toThrow('Cannot start BlockGenerator as its not in the Initialized state [state = StoppedAll]');
    await g.stop(); // stopping again is fine
  });

  test('stop ensures correct shutdown: no more data, a final block with everything buffered, all blocks pushed', async () => {
    const listener = new TestBlockGeneratorListener();
    const clock = new ManualClock();
    const g = new BlockGenerator<number>(listener, StreamId(0), conf(), clock);
    g.start();
    const data = range(1, 1000);
    for (const d of data) g.addData(d);
    // Nothing is cut until the interval ends.
    await new Promise((r) => setImmediate(r));
    expect(listener.onGenerateBlockCalled).toBe(false);
    const stopping = g.stop();
    expect(g.isActive()).toBe(false);
    expect(g.isStopped()).toBe(false);
    expect(() => g.addData(1)).toThrow(SparkException);
    await stopping;
    expect(g.isStopped()).toBe(true);
    expect(listener.pushedData).toEqual(data);
    // The final block is named by the interval it was cut in, as if the timer had fired.
    expect(listener.pushed).toEqual(['input-0-0']);
    // The clock never moved: stop does not wait for the timer.
    expect(clock.getTimeMillis()).toBe(0);
  });

  test('block push errors are reported and the next blocks are still pushed', async () => {
    const listener = new TestBlockGeneratorListener();
    let fail = true;
    listener.onPushBlock = function (this: TestBlockGeneratorListener, id, buf) {
      if (fail) {
        fail = false;
        throw new SparkException('test');
      }
      this.pushedData.push(...buf);
      this.pushed.push(id.name);
    };
    const clock = new ManualClock();
    const g = new BlockGenerator<number>(listener, StreamId(3), conf(), clock);
    g.start();
    expect(listener.errors).toEqual([]);
    g.addData(1);
    clock.advance(BLOCK_MS);
    await waitFor(() => listener.errors.length === 1, 'the push error');
    expect(listener.errors[0].message).toBe('Error in block pushing thread (block input-3-0)');
    expect((listener.errors[0].throwable as Error).message).toBe('test');
    g.addData(2);
    await g.stop();
    expect(listener.pushedData).toEqual([2]);
  });

  test('empty intervals make no block', async () => {
    const listener = new TestBlockGeneratorListener();
    const clock = new ManualClock();
    const g = new BlockGenerator<number>(listener, StreamId(0), conf(), clock);
    g.start();
    clock.advance(5 * BLOCK_MS);
    await new Promise((r) => setImmediate(r));
    g.addData(7);
    clock.advance(BLOCK_MS);
    await waitFor(() => listener.pushed.length === 1, 'one block');
    expect(listener.pushed).toEqual(['input-0-50']);
    await g.stop();
  });

  test('a full block queue (spark.streaming.blockQueueSize) makes adds return a wait, released as blocks are pushed', async () => {
    const listener = new TestBlockGeneratorListener();
    const releases: Array<() => void> = [];
    listener.onPushBlock = function (this: TestBlockGeneratorListener, _id, buf) {
      this.pushedData.push(...buf);
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    const clock = new ManualClock();
    const g = new BlockGenerator<number>(listener, StreamId(0), conf({ 'spark.streaming.blockQueueSize': '2' }), clock);
    g.start();
    // Block 1 is being pushed; blocks 2 and 3 fill the queue.
    for (let i = 1; i <= 3; i++) {
      expect(g.addData(i)).toBeUndefined();
      clock.advance(BLOCK_MS);
      await waitFor(() => g.bufferedRecords === 0, `block ${i} cut`);
    }
    expect(releases.length).toBe(1);
    expect(g.queuedBlocks).toBe(2);
    const wait = g.addData(4);
    expect(wait).toBeInstanceOf(Promise);
    let released = false;
    void wait!.then(() => (released = true));
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(false);
    releases.shift()!();
    await waitFor(() => released, 'the wait to be released');
    const stopping = g.stop();
    await waitFor(() => releases.length > 0, 'the next push');
    while (!g.isStopped()) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await stopping;
    expect(listener.pushedData).toEqual([1, 2, 3, 4]);
  });

  test('with spark.streaming.receiver.maxRate, adds beyond the rate return a wait of the right length', async () => {
    const listener = new TestBlockGeneratorListener();
    const rateClock = new ManualClock(1_000_000);
    const g = new BlockGenerator<number>(listener, StreamId(0), conf({ 'spark.streaming.receiver.maxRate': '100' }), new ManualClock(), { rateClock });
    g.start();
    expect(g.getCurrentLimit()).toBe(100);
    // 50 records at 100/s: granted now, the next add waits 500 ms.
    expect(g.addMultipleData(range(1, 50))).toBeUndefined();
    const wait = g.addData(51);
    expect(wait).toBeInstanceOf(Promise);
    let done = false;
    void wait!.then(() => (done = true));
    rateClock.advance(499);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    rateClock.advance(1);
    await waitFor(() => done, 'the rate wait');
    await g.stop();
  });

  test("a non-positive block interval is Spark's error", () => {
    expect(() => new BlockGenerator(new TestBlockGeneratorListener(), StreamId(0), conf().set('spark.streaming.blockInterval', '0ms'))).toThrow(
      "requirement failed: 'spark.streaming.blockInterval' should be a positive value",
    );
  });
});
