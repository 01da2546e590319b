/**
 * Input streams of the core: queueStream (InputStreamsSuite, oneAtATime true/false, defaultRDD), ConstantInputDStream,
 * and the rxjs interop (observableStream in, toObservable out). All on the ManualClock.
 */
import { from, Subject } from 'rxjs';
import { type BatchInfo, type BatchValues, ConstantInputDStream, type RDD, SparkException } from '../../lib';
import { collectOutput, createManualContext, stopAllContexts, stopContext, TestInputStream } from './harness';

afterEach(stopAllContexts);

describe('queueStream', () => {
  test('oneAtATime = true: two RDDs queued per tick still come out one per batch', async () => {
    const ssc = createManualContext();
    const queue: RDD<string>[] = [];
    const out = collectOutput(ssc.queueStream(queue, true));
    await ssc.start();
    const input = ['1', '2', '3', '4', '5'];
    let next = 0;
    for (let i = 0; i < input.length; i++) {
      for (let k = 0; k < 2 && next < input.length; k++) queue.push(ssc.sparkContext.makeRDD([input[next++]]));
      await ssc.step(1);
    }
    await stopContext(ssc);
    expect(out.batches.filter((b) => b.length > 0)).toEqual(input.map((x) => [x]));
  });

  test('oneAtATime = false: everything queued since the last batch is one batch (a union)', async () => {
    const ssc = createManualContext();
    const queue: RDD<string>[] = [];
    const out = collectOutput(ssc.queueStream(queue, false));
    await ssc.start();
    for (const x of ['1', '2', '3']) queue.push(ssc.sparkContext.makeRDD([x]));
    await ssc.step(1);
    for (const x of ['4', '5']) queue.push(ssc.sparkContext.makeRDD([x]));
    await ssc.step(1);
    await stopContext(ssc);
    expect(out.batches.filter((b) => b.length > 0)).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
  });

  test('an empty queue gives the default RDD, else an empty RDD', async () => {
    const ssc = createManualContext();
    const withDefault = collectOutput(ssc.queueStream<number>([], true, ssc.sparkContext.makeRDD([0], 1)));
    const without = collectOutput(ssc.queueStream<number>([]));
    await ssc.start();
    await ssc.step(2);
    expect(withDefault.batches).toEqual([[0], [0]]);
    expect(without.batches).toEqual([[], []]);
  });

  test('input stream ids and names follow creation order', () => {
    const ssc = createManualContext();
    const a = ssc.queueStream<number>([]);
    const b = new TestInputStream(ssc, [[1]]);
    const c = new ConstantInputDStream(ssc, ssc.sparkContext.makeRDD([1]));
    expect([a.id, b.id, c.id]).toEqual([0, 1, 2]);
    expect(a.name).toBe('Queue stream [0]');
    expect(c.name).toBe('Constant stream [2]');
  });

  test('ConstantInputDStream gives the same RDD every batch', async () => {
    const ssc = createManualContext();
    const rdd = ssc.sparkContext.makeRDD([7, 8], 2);
    const out = collectOutput(new ConstantInputDStream(ssc, rdd));
    await ssc.start();
    await ssc.step(3);
    expect(out.batches).toEqual([[7, 8], [7, 8], [7, 8]]);
  });
});

describe('observableStream', () => {
  test('each batch takes what arrived since the previous one; values before start are not seen', async () => {
    const ssc = createManualContext();
    const source = new Subject<number>();
    const out = collectOutput(ssc.observableStream(source));
    source.next(0);
    await ssc.start();
    source.next(1);
    source.next(2);
    await ssc.step(1);
    source.next(3);
    await ssc.step(1);
    await ssc.step(1);
    expect(out.batches).toEqual([[1, 2], [3], []]);
  });

  test('a synchronous source lands in the first batch; numPartitions cuts the batch RDD', async () => {
    const ssc = createManualContext();
    const out = collectOutput(ssc.observableStream(from([1, 2, 3, 4, 5, 6]), 3));
    await ssc.start();
    await ssc.step(2);
    expect(out.partitioned[0]).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(out.batches[1]).toEqual([]);
  });

  test('the batch record count is reported to listeners', async () => {
    const ssc = createManualContext();
    const source = new Subject<string>();
    collectOutput(ssc.observableStream(source));
    const infos: BatchInfo[] = [];
    ssc.addStreamingListener({ onBatchCompleted: (e) => void infos.push(e.batchInfo) });
    await ssc.start();
    source.next('a');
    source.next('b');
    await ssc.step(1);
    expect(infos.map((b) => b.numRecords)).toEqual([2]);
  });

  test('an error from the source rejects awaitTermination, naming the stream', async () => {
    const ssc = createManualContext();
    const source = new Subject<number>();
    collectOutput(ssc.observableStream(source));
    await ssc.start();
    source.error(new Error('boom'));
    const err = await ssc.awaitTermination().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SparkException);
    expect((err as Error).message).toBe('The observable of Observable stream [0] failed: boom');
    // The context goes on; the stream gives empty batches.
    await ssc.step(1);
    expect(ssc.getState()).toBe('ACTIVE');
  });

  test('the source is unsubscribed when the context stops', async () => {
    const ssc = createManualContext();
    const source = new Subject<number>();
    collectOutput(ssc.observableStream(source));
    await ssc.start();
    expect(source.observed).toBe(true);
    await stopContext(ssc);
    expect(source.observed).toBe(false);
  });
});

describe('toObservable', () => {
  test('emits { time, values } per batch and completes when the context stops', async () => {
    const ssc = createManualContext();
    const seen: BatchValues<number>[] = [];
    let completed = false;
    new TestInputStream(ssc, [[1, 2], [], [3]])
      .map((x) => x * 10)
      .toObservable()
      .subscribe({ next: (b) => void seen.push(b), complete: () => void (completed = true) });
    await ssc.start();
    await ssc.step(3);
    expect(completed).toBe(false);
    await stopContext(ssc);
    expect(completed).toBe(true);
    expect(seen.map((b) => [b.time.milliseconds, b.values])).toEqual([
      [1000, [10, 20]],
      [2000, []],
      [3000, [30]],
    ]);
  });

  test('observableStream -> transformations -> toObservable round trip', async () => {
    const ssc = createManualContext();
    const source = new Subject<string>();
    const counts: Array<Array<[string, number]>> = [];
    ssc
      .observableStream(source)
      .map((w) => [w, 1] as [string, number])
      .reduceByKey((a, b) => a + b, 1)
      .toObservable()
      .subscribe((b) => void counts.push([...b.values].sort()));
    await ssc.start();
    for (const w of ['a', 'b', 'a']) source.next(w);
    await ssc.step(1);
    source.next('c');
    await ssc.step(1);
    expect(counts).toEqual([
      [
        ['a', 2],
        ['b', 1],
      ],
      [['c', 1]],
    ]);
  });
});
