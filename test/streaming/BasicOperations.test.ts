/**
 * Spark's BasicOperationsSuite (reference §10.3; B = 1 s, 2 input partitions, ManualClock), data-driven: each row is
 * the input batches, the operation and the expected output batches, compared in order or as sets ("(set)" rows).
 * updateStateByKey rows live with the state suites; "rdd cleanup - map and window" is here without the windows.
 */
import { type DStream, HashPartitioner, Interval, type RDD, SparkException, Time } from '../../lib';
import {
  collectOutput,
  createManualContext,
  range,
  runStreams,
  setupStreams,
  stopAllContexts,
  stopContext,
  testOperation,
  testOperation2,
  TestInputStream,
} from './harness';

afterEach(stopAllContexts);

type Op = (s: DStream<any>) => DStream<any>;
type Op2 = (a: DStream<any>, b: DStream<any>) => DStream<any>;

interface Row {
  name: string;
  input: (unknown[] | null)[];
  op: Op;
  expected: unknown[][];
  useSet?: boolean;
}

const ints3 = [range(1, 4), range(5, 8), range(9, 12)];
const words = [['a', 'a', 'b'], ['', ''], []];
const pairs = (s: DStream<string>): DStream<[string, number]> => s.map((x) => [x, 1] as [string, number]);

const rows: Row[] = [
  { name: 'map', input: ints3, op: (s) => s.map((x: number) => String(x)), expected: ints3.map((b) => b.map(String)) },
  {
    name: 'flatMap',
    input: ints3,
    op: (s) => s.flatMap((x: number) => [x, x * 2]),
    expected: [
      [1, 2, 2, 4, 3, 6, 4, 8],
      [5, 10, 6, 12, 7, 14, 8, 16],
      [9, 18, 10, 20, 11, 22, 12, 24],
    ],
  },
  { name: 'filter', input: ints3, op: (s) => s.filter((x: number) => x % 2 === 0), expected: [[2, 4], [6, 8], [10, 12]] },
  {
    name: 'glom',
    input: ints3,
    op: (s) => s.glom().map((xs: number[]) => [...xs]),
    expected: [
      [[1, 2], [3, 4]],
      [[5, 6], [7, 8]],
      [[9, 10], [11, 12]],
    ],
  },
  {
    name: 'mapPartitions',
    input: ints3,
    op: (s) => s.mapPartitions((xs: number[]) => [xs.reduce((a, b) => a + b, 0)]),
    expected: [[3, 7], [11, 15], [19, 23]],
    useSet: true,
  },
  {
    name: 'groupByKey',
    input: words,
    op: (s) => pairs(s).groupByKey().mapValues((vs) => [...vs]),
    expected: [[['a', [1, 1]], ['b', [1]]], [['', [1, 1]]], []],
    useSet: true,
  },
  {
    name: 'reduceByKey',
    input: words,
    op: (s) => pairs(s).reduceByKey((a, b) => a + b),
    expected: [[['a', 2], ['b', 1]], [['', 2]], []],
    useSet: true,
  },
  { name: 'reduce', input: ints3, op: (s) => s.reduce((a: number, b: number) => a + b), expected: [[10], [26], [42]] },
  {
    name: 'count',
    input: [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]],
    op: (s) => s.count(),
    expected: [[0], [1], [2], [3], [4]],
  },
  {
    name: 'countByValue',
    input: [[1], [1, 1, 1], [1, 2], [1, 1, 2, 2]],
    op: (s) => s.countByValue(),
    expected: [[[1, 1]], [[1, 3]], [[1, 1], [2, 1]], [[2, 2], [1, 2]]],
    useSet: true,
  },
  {
    name: 'mapValues',
    input: words,
    op: (s) => pairs(s).reduceByKey((a, b) => a + b).mapValues((x) => x + 10),
    expected: [[['a', 12], ['b', 11]], [['', 12]], []],
    useSet: true,
  },
  {
    name: 'flatMapValues',
    input: words,
    op: (s) => pairs(s).reduceByKey((a, b) => a + b).flatMapValues((x) => [x, x + 10]),
    expected: [[['a', 2], ['a', 12], ['b', 1], ['b', 11]], [['', 2], ['', 12]], []],
    useSet: true,
  },
  {
    name: 'union',
    input: [range(1, 4), range(101, 104), range(201, 204)],
    op: (s) => s.union(s.map((x: number) => x + 4)),
    expected: [range(1, 8), range(101, 108), range(201, 208)],
  },
  {
    name: 'StreamingContext.union',
    input: [range(1, 4), range(101, 104), range(201, 204)],
    op: (s) => s.context.union([s, s.map((x: number) => x + 4), s.map((x: number) => x + 8)]),
    expected: [range(1, 12), range(101, 112), range(201, 212)],
  },
  {
    name: 'transform',
    input: ints3,
    op: (s) => s.transform((rdd: RDD<number>) => rdd.map((x) => String(x))),
    expected: ints3.map((b) => b.map(String)),
  },
  {
    name: 'transform with time',
    input: ints3,
    op: (s) => s.transform((rdd: RDD<number>, t: Time) => rdd.map((x) => x + t.milliseconds)),
    expected: ints3.map((b, i) => b.map((x) => x + (i + 1) * 1000)),
  },
  {
    name: 'StreamingContext.transform',
    input: [range(1, 4), range(101, 104), range(201, 204)],
    op: (s) =>
      s.context.transform([s, s.map((x: number) => x + 4), s.map((x: number) => x + 8)], (rdds) =>
        rdds[0].sc.union(rdds as RDD<unknown>[]),
      ),
    expected: [range(1, 12), range(101, 112), range(201, 212)],
  },
];

describe('BasicOperationsSuite (one input)', () => {
  test.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    await testOperation(row.input, row.op, row.expected, { useSet: row.useSet ?? false });
  });
});

interface Row2 {
  name: string;
  input1: (unknown[] | null)[];
  input2: (unknown[] | null)[];
  op: Op2;
  expected: unknown[][];
  useSet?: boolean;
}

const s1 = [['a', 'b'], ['a', ''], [''], []];
const s2 = [['a', 'b'], ['b', ''], [], ['']];
const joinOp =
  (f: (a: DStream<[string, number]>, b: DStream<[string, string]>) => DStream<unknown>): Op2 =>
  (a, b) =>
    f(
      a.map((x: string) => [x, 1] as [string, number]),
      b.map((x: string) => [x, 'x'] as [string, string]),
    );

const rows2: Row2[] = [
  {
    name: 'transformWith',
    input1: s1,
    input2: s2,
    op: joinOp((a, b) => a.transformWith(b, (r1: RDD<[string, number]>, r2: RDD<[string, string]>) => r1.join(r2))),
    expected: [[['a', [1, 'x']], ['b', [1, 'x']]], [['', [1, 'x']]], [], []],
    useSet: true,
  },
  {
    name: 'transformWith with time',
    input1: [[1], [2]],
    input2: [[10], [20]],
    op: (a, b) => a.transformWith(b, (r1: RDD<number>, r2: RDD<number>, t: Time) => r1.union(r2).map((x) => x + t.milliseconds)),
    expected: [[1001, 1010], [2002, 2020]],
  },
  {
    name: 'cogroup',
    input1: [['a', 'a', 'b'], ['a', ''], [''], []],
    input2: [['a', 'a', 'b'], ['b', ''], [], []],
    op: joinOp((a, b) => a.cogroup(b).mapValues(([vs, ws]) => [[...vs], [...ws]])),
    expected: [
      [['a', [[1, 1], ['x', 'x']]], ['b', [[1], ['x']]]],
      [['a', [[1], []]], ['b', [[], ['x']]], ['', [[1], ['x']]]],
      [['', [[1], []]]],
      [],
    ],
    useSet: true,
  },
  {
    name: 'join',
    input1: s1,
    input2: s2,
    op: joinOp((a, b) => a.join(b)),
    expected: [[['a', [1, 'x']], ['b', [1, 'x']]], [['', [1, 'x']]], [], []],
    useSet: true,
  },
  {
    name: 'leftOuterJoin',
    input1: s1,
    input2: s2,
    op: joinOp((a, b) => a.leftOuterJoin(b)),
    expected: [[['a', [1, 'x']], ['b', [1, 'x']]], [['', [1, 'x']], ['a', [1, undefined]]], [['', [1, undefined]]], []],
    useSet: true,
  },
  {
    name: 'rightOuterJoin',
    input1: s1,
    input2: s2,
    op: joinOp((a, b) => a.rightOuterJoin(b)),
    expected: [[['a', [1, 'x']], ['b', [1, 'x']]], [['', [1, 'x']], ['b', [undefined, 'x']]], [], [['', [undefined, 'x']]]],
    useSet: true,
  },
  {
    name: 'fullOuterJoin',
    input1: s1,
    input2: s2,
    op: joinOp((a, b) => a.fullOuterJoin(b)),
    expected: [
      [['a', [1, 'x']], ['b', [1, 'x']]],
      [['', [1, 'x']], ['a', [1, undefined]], ['b', [undefined, 'x']]],
      [['', [1, undefined]]],
      [['', [undefined, 'x']]],
    ],
    useSet: true,
  },
  {
    name: 'join with numPartitions',
    input1: s1,
    input2: s2,
    op: joinOp((a, b) => a.join(b, 3)),
    expected: [[['a', [1, 'x']], ['b', [1, 'x']]], [['', [1, 'x']]], [], []],
    useSet: true,
  },
  {
    name: 'join with a partitioner',
    input1: s1,
    input2: s2,
    op: joinOp((a, b) => a.join(b, new HashPartitioner(1))),
    expected: [[['a', [1, 'x']], ['b', [1, 'x']]], [['', [1, 'x']]], [], []],
    useSet: true,
  },
];

describe('BasicOperationsSuite (two inputs)', () => {
  test.each(rows2.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    await testOperation2(row.input1, row.input2, row.op, row.expected, { useSet: row.useSet ?? false });
  });
});

describe('repartition', () => {
  test.each([
    ['more', 2, 5],
    ['fewer', 5, 2],
  ])('repartition (%s partitions)', async (_name, inPartitions, outPartitions) => {
    const input = [range(1, 100), range(101, 200), range(201, 300)];
    const { ssc, output } = setupStreams(input, (s: DStream<number>) => s.repartition(outPartitions), { numInputPartitions: inPartitions });
    await runStreams(ssc, 3, output);
    expect(output.partitioned.map((parts) => parts.length)).toEqual([outPartitions, outPartitions, outPartitions]);
    output.partitioned.forEach((parts, i) => {
      expect(parts.flat().sort((a, b) => a - b)).toEqual(input[i]);
    });
  });
});

describe('errors while generating jobs (SparkException through awaitTermination)', () => {
  const errorRows: Array<{ name: string; input: (number[] | null)[]; op: Op; message: string }> = [
    {
      name: 'union with input stream return None',
      input: [range(1, 4), range(101, 104), range(201, 204), null],
      op: (s) => s.union(s.map((x: number) => x + 4)),
      message: 'Could not generate RDD from a parent for unifying at time 4000 ms',
    },
    {
      name: 'transform with NULL',
      input: [range(1, 4)],
      op: (s) => s.transform(() => null as unknown as RDD<number>),
      message:
        'Transform function must not return null. Return SparkContext.emptyRDD() instead to represent no element as the result of transformation.',
    },
    {
      name: 'transform with input stream return None',
      input: [range(1, 4), range(5, 8), null],
      op: (s) => s.transform((rdd: RDD<number>) => rdd.map((x) => String(x))),
      message: "Couldn't generate RDD from parent at time 3000 ms",
    },
  ];
  test.each(errorRows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const { ssc, output } = setupStreams(row.input, row.op);
    const run = runStreams(ssc, row.input.length, output);
    await expect(run).rejects.toThrow(SparkException);
    await expect(run).rejects.toThrow(row.message);
  });

  test('transformWith with input stream return None', async () => {
    const run = testOperation2(
      [['a', 'b'], ['a', ''], [''], null],
      [['a', 'b'], ['b', ''], [], null],
      (a, b) => a.transformWith(b, (r1: RDD<string>, r2: RDD<string>) => r1.union(r2)),
      [['a', 'b', 'a', 'b'], ['a', '', 'b', ''], ['']],
      { numBatches: 4, useSet: true },
    );
    await expect(run).rejects.toThrow("Couldn't generate RDD from parent at time 4000 ms");
  });
});

describe('slice', () => {
  test('slice computes RDDs on demand, bounds floored to the grid (clock never advanced)', async () => {
    const ssc = createManualContext();
    const stream = new TestInputStream(ssc, [[1], [2], [3], [4]], 2);
    stream.foreachRDD(() => undefined);
    await ssc.start();
    const inputFromSlice = async (from: number, to: number): Promise<Set<number>> => {
      const rdds = stream.slice(new Time(from), new Time(to));
      const out = new Set<number>();
      for (const r of rdds) for (const x of await r.collect()) out.add(x);
      return out;
    };
    expect(await inputFromSlice(0, 1000)).toEqual(new Set([1]));
    expect(await inputFromSlice(0, 2000)).toEqual(new Set([1, 2]));
    expect(await inputFromSlice(1000, 2000)).toEqual(new Set([1, 2]));
    expect(await inputFromSlice(2000, 4000)).toEqual(new Set([2, 3, 4]));
    // Unaligned bounds are floored to zeroTime + k * slide.
    expect(await inputFromSlice(1500, 2999)).toEqual(new Set([1, 2]));
    // The Interval overload.
    const viaInterval = stream.slice(new Interval(new Time(1000), new Time(3000)));
    expect(viaInterval.map((r) => r.id)).toEqual(stream.slice(new Time(1000), new Time(3000)).map((r) => r.id));
    await stopContext(ssc);
  });

  test('slice before start: not initialized', () => {
    const ssc = createManualContext();
    const stream = new TestInputStream(ssc, [[1]], 2);
    stream.foreachRDD(() => undefined);
    expect(() => stream.slice(new Time(0), new Time(1000))).toThrow(SparkException);
    expect(() => stream.slice(new Time(0), new Time(1000))).toThrow(`${stream} has not been initialized`);
  });
});

describe('rdd cleanup', () => {
  test('rdd cleanup - map (remember 3 s): RDDs older than the remember duration are forgotten', async () => {
    const cleanupTestInput = Array.from({ length: 10 }, (_, x) => [x, x + 1]);
    const { ssc, output } = setupStreams(cleanupTestInput, (s: DStream<number>) => s.map((x) => [x % 10, 1] as [number, number]));
    const mapped = ssc.graph.outputStreams[0].dependencies[0];
    ssc.remember(new Time(3000).minus(new Time(0)));
    await runStreams(ssc, cleanupTestInput.length, output);
    expect(ssc.clock.getTimeMillis()).toBe(10000);
    expect(output.batches).toHaveLength(10);
    expect(mapped.rememberDuration?.milliseconds).toBe(3000);
    expect([...mapped.generatedRDDs.keys()].sort((a, b) => a - b)).toEqual([8000, 9000, 10000]);
    // The input stream remembers at least what its child needs.
    const inputStream = ssc.graph.inputStreams[0];
    expect(inputStream.generatedRDDs.has(7000)).toBe(false);
    expect(inputStream.generatedRDDs.has(10000)).toBe(true);
  });

  test('without remember, a stream keeps only its last batch (remember = slide)', async () => {
    const { ssc, output } = setupStreams([[1], [2], [3]], (s: DStream<number>) => s.map((x) => x * 2));
    const mapped = ssc.graph.outputStreams[0].dependencies[0];
    await runStreams(ssc, 3, output);
    expect([...mapped.generatedRDDs.keys()]).toEqual([3000]);
  });
});

describe('output collection', () => {
  test('only valid batch times give an output; batches past the input are empty', async () => {
    const ssc = createManualContext();
    const s = new TestInputStream(ssc, [[1, 2]], 2);
    const out = collectOutput(s);
    await runStreams(ssc, 3, out);
    expect(out.times.map((t) => t.milliseconds)).toEqual([1000, 2000, 3000]);
    expect(out.batches).toEqual([[1, 2], [], []]);
  });
});
