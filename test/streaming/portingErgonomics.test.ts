/**
 * What a PySpark (or Scala) program ported line by line needs to just work (issue 14): `ssc.union` with varargs or an
 * array, `transformWith` in both argument orders, `queueStream` of plain arrays, `null` (PySpark's `None`) from an
 * `updateStateByKey` function removing the key, and `step()` rejecting when a batch's output operation throws.
 * ManualClock, B = 1 s.
 */
import { IllegalArgumentException, type RDD, type Time } from '../../lib';
import { collectOutput, createManualContext, stopAllContexts, TestInputStream } from './harness';

afterEach(stopAllContexts);

const sorted = (batches: number[][]): number[][] => batches.map((b) => [...b].sort((x, y) => x - y));

test('ssc.union takes the streams as varargs (PySpark) or as one array (Scala); no stream or a non-stream is a clear error', async () => {
  const ssc = createManualContext();
  const a = new TestInputStream(ssc, [[1], [2]]);
  const b = new TestInputStream(ssc, [[10], [20]]);
  const c = new TestInputStream(ssc, [[100], [200]]);
  const varargs = collectOutput(ssc.union(a, b, c));
  const array = collectOutput(ssc.union([a, b, c]));
  await ssc.start();
  await ssc.step(2);
  expect(sorted(varargs.batches)).toEqual([
    [1, 10, 100],
    [2, 20, 200],
  ]);
  expect(sorted(array.batches)).toEqual(sorted(varargs.batches));
  expect(() => ssc.union()).toThrow(new IllegalArgumentException('union: should have at least one DStream to union'));
  expect(() => ssc.union(a, 5 as never)).toThrow('union: argument 1 is not a DStream (got number)');
});

test("transformWith takes Scala's (other, fn) and PySpark's (fn, other), with PySpark's (time, a, b) for three parameters", async () => {
  const ssc = createManualContext();
  const a = new TestInputStream(ssc, [[1, 2], [3]]);
  const b = new TestInputStream(ssc, [[10], [20]]);
  const scala = collectOutput(a.transformWith(b, (x: RDD<number>, y: RDD<number>) => x.union(y)));
  const pyspark = collectOutput(a.transformWith((x: RDD<number>, y: RDD<number>) => x.union(y), b));
  const times: number[] = [];
  const pysparkTimed = collectOutput(
    a.transformWith((time: Time, x: RDD<number>, y: RDD<number>) => {
      times.push(time.milliseconds);
      return x.union(y.map((v) => -v));
    }, b),
  );
  await ssc.start();
  await ssc.step(2);
  expect(sorted(scala.batches)).toEqual([
    [1, 2, 10],
    [3, 20],
  ]);
  expect(sorted(pyspark.batches)).toEqual(sorted(scala.batches));
  expect(sorted(pysparkTimed.batches)).toEqual([
    [-10, 1, 2],
    [-20, 3],
  ]);
  expect(times).toEqual([1000, 2000]);
  expect(() => a.transformWith(b as never, b as never)).toThrow(
    'transformWith takes (other DStream, function) as Spark or (function, other DStream) as PySpark, got (DStream, DStream)',
  );
});

test('queueStream takes plain arrays as PySpark does: each becomes an RDD; the array stays the live queue', async () => {
  const ssc = createManualContext();
  const queue: number[][] = [[1, 2], [3]];
  const out = collectOutput(ssc.queueStream(queue));
  const withDefault = collectOutput(ssc.queueStream([[7]], true, [0]));
  await ssc.start();
  await ssc.step(2);
  // Scala's idiom still works on the same array: push RDDs while running.
  (queue as unknown as RDD<number>[]).push(ssc.sparkContext.parallelize([4, 5]));
  await ssc.step(1);
  expect(sorted(out.batches)).toEqual([[1, 2], [3], [4, 5]]);
  expect(withDefault.batches).toEqual([[7], [0], [0]]);
  expect(() => ssc.queueStream([[1], 'x' as never])).toThrow('queueStream: queue[1] must be an RDD or an array of elements, got string');
});

test("updateStateByKey: null from the function (PySpark's None) removes the key, as undefined does", async () => {
  const ssc = createManualContext({ checkpointDir: true });
  const input = new TestInputStream(ssc, [['a', 'b'], ['a'], [], ['b']]);
  const state = input
    .map((w) => [w, 1] as [string, number])
    .updateStateByKey((values: number[], total: number | undefined) => (values.length === 0 ? null : (total ?? 0) + values.length));
  const out = collectOutput(state);
  await ssc.start();
  await ssc.step(4);
  const asSorted = out.batches.map((b) => [...b].sort());
  expect(asSorted).toEqual([
    [
      ['a', 1],
      ['b', 1],
    ],
    [['a', 2]],
    [],
    [['b', 1]],
  ]);
});

test('step() rejects with the error of an output operation that throws; the next step goes on', async () => {
  const ssc = createManualContext();
  const input = new TestInputStream(ssc, [[1], [2], [3]]);
  const seen: number[] = [];
  input.foreachRDD(async (rdd) => {
    const xs = await rdd.collect();
    if (xs.includes(2)) throw new Error('no twos');
    seen.push(...xs);
  });
  await ssc.start();
  await ssc.step(1);
  await expect(ssc.step(1)).rejects.toThrow('no twos');
  await ssc.step(1);
  expect(seen).toEqual([1, 3]);
});
