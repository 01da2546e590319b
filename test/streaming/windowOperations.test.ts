/**
 * Spark's WindowOperationsSuite (reference §10.4) and the PySpark window tests (§10.9), data-driven on the
 * ManualClock: B = 1 s unless said, outputs compared as sets per emitted RDD.
 */
import {
  type DStream,
  Duration,
  InvalidReducedWindowException,
  InvalidWindowException,
  Milliseconds,
  ReducedWindowedDStream,
  Seconds,
  StorageLevel,
  Time,
  WindowedDStream,
} from '../../lib';
import { createManualContext, runStreams, setupStreams, stopAllContexts, TestInputStream } from './harness';

afterEach(async () => {
  await stopAllContexts();
});

type KV = [string, number];
const batch = Seconds(1);

const largerSlideInput: KV[][] = [[['a', 1]], [['a', 2]], [['a', 3]], [['a', 4]], [['a', 5]], [['a', 6]], [], []];
const largerSlideReduceOutput: KV[][] = [[['a', 3]], [['a', 10]], [['a', 18]], [['a', 11]]];

const bigInput: KV[][] = [
  [['a', 1]],
  [['a', 1], ['b', 1]],
  [['a', 1], ['b', 1], ['c', 1]],
  [['a', 1], ['b', 1]],
  [['a', 1]],
  [],
  [['a', 1]],
  [['a', 1], ['b', 1]],
  [['a', 1], ['b', 1], ['c', 1]],
  [['a', 1], ['b', 1]],
  [['a', 1]],
  [],
];

const bigGroupByOutput: [string, number[]][][] = [
  [['a', [1]]],
  [['a', [1, 1]], ['b', [1]]],
  [['a', [1, 1]], ['b', [1, 1]], ['c', [1]]],
  [['a', [1, 1]], ['b', [1, 1]], ['c', [1]]],
  [['a', [1, 1]], ['b', [1]]],
  [['a', [1]]],
  [['a', [1]]],
  [['a', [1, 1]], ['b', [1]]],
  [['a', [1, 1]], ['b', [1, 1]], ['c', [1]]],
  [['a', [1, 1]], ['b', [1, 1]], ['c', [1]]],
  [['a', [1, 1]], ['b', [1]]],
  [['a', [1]]],
];

const bigReduceOutput: KV[][] = [
  [['a', 1]],
  [['a', 2], ['b', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1]],
  [['a', 1]],
  [['a', 1]],
  [['a', 2], ['b', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1]],
  [['a', 1]],
];

const bigReduceInvOutput: KV[][] = [
  [['a', 1]],
  [['a', 2], ['b', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1], ['c', 0]],
  [['a', 1], ['b', 0], ['c', 0]],
  [['a', 1], ['b', 0], ['c', 0]],
  [['a', 2], ['b', 1], ['c', 0]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 2], ['c', 1]],
  [['a', 2], ['b', 1], ['c', 0]],
  [['a', 1], ['b', 0], ['c', 0]],
];

/** Pairs (and nested arrays) as canonical text, so outputs compare as sets regardless of element identity. */
function asSet(batchOut: readonly unknown[]): Set<string> {
  return new Set(batchOut.map((x) => JSON.stringify(x)));
}

function expectSets(out: readonly (readonly unknown[])[], expected: readonly (readonly unknown[])[]): void {
  expect(out.map(asSet)).toEqual(expected.map(asSet));
}

/** Spark's `testOperation` for windows: `numBatches = expected.size * (slide / batch)`, compared as sets. */
async function testWindowOp<U, V>(
  input: U[][],
  op: (s: DStream<U>) => DStream<V>,
  expected: unknown[][],
  slide: Duration = batch,
  opts: { checkpoint?: boolean; batchDuration?: Duration; numBatches?: number } = {},
): Promise<V[][]> {
  const b = opts.batchDuration ?? batch;
  const { ssc, output } = setupStreams(input, op, { checkpointDir: opts.checkpoint ?? true, batchDuration: b });
  const out = await runStreams(ssc, opts.numBatches ?? expected.length * slide.div(b), output);
  expectSets(out, expected);
  return out;
}

describe('window', () => {
  const input = [[0], [1], [2], [3], [4], [5]];
  const cases: [string, number, number, number[][]][] = [
    ['basic window', 2, 1, [[0], [0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]],
    ['tumbling window', 2, 2, [[0, 1], [2, 3], [4, 5]]],
    ['larger window', 4, 2, [[0, 1], [0, 1, 2, 3], [2, 3, 4, 5], [4, 5]]],
    ['non-overlapping window', 2, 3, [[1, 2], [4, 5]]],
  ];
  test.each(cases)('window - %s (W=%ss, S=%ss)', async (_name, w, s, expected) => {
    await testWindowOp(input, (st) => st.window(Seconds(w), Seconds(s)), expected, Seconds(s), { checkpoint: false });
  });

  test('the window at t covers (t - W, t]: partial first windows, then the last W/B batches', async () => {
    const { ssc, output } = setupStreams([[1000], [2000], [3000], [4000], [5000]], (s) => s.window(Seconds(3), Seconds(1)));
    const out = await runStreams(ssc, 5, output);
    expect(output.times.map((t) => t.milliseconds)).toEqual([1000, 2000, 3000, 4000, 5000]);
    expectSets(out, [[1000], [1000, 2000], [1000, 2000, 3000], [2000, 3000, 4000], [3000, 4000, 5000]]);
  });

  test('a window slides only on its own grid: no output (and no job) at the other batch times', async () => {
    const { ssc, output } = setupStreams([[1], [2], [3], [4]], (s) => s.window(Seconds(2), Seconds(2)));
    await runStreams(ssc, 4, output);
    expect(output.times.map((t) => t.milliseconds)).toEqual([2000, 4000]);
  });

  test('window - persistence level', () => {
    const ssc = createManualContext();
    const inputStream = new TestInputStream<number>(ssc, [[0], [1], [2], [3], [4], [5]], 1);
    const windowStream1 = inputStream.window(batch.times(2));
    expect(windowStream1.storageLevel).toBe(StorageLevel.NONE);
    expect(inputStream.storageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
    windowStream1.persist(StorageLevel.MEMORY_ONLY);
    expect(windowStream1.storageLevel).toBe(StorageLevel.NONE);
    expect(inputStream.storageLevel).toBe(StorageLevel.MEMORY_ONLY);
  });

  test('window(W) slides by the parent slide; the window over a window uses its parent slide', () => {
    const ssc = createManualContext();
    const s = new TestInputStream<number>(ssc, []);
    const w1 = s.window(Seconds(4)) as WindowedDStream<number>;
    expect(w1).toBeInstanceOf(WindowedDStream);
    expect(w1.slideDuration).toEqual(batch);
    const w2 = w1.window(Seconds(4), Seconds(2));
    expect(w2.slideDuration).toEqual(Seconds(2));
  });
});

describe('invalid windows fail at definition with Spark messages', () => {
  test('WindowedDStream: plain exception naming both durations', () => {
    const ssc = createManualContext();
    const s = new TestInputStream<number>(ssc, []);
    expect(() => s.window(Milliseconds(1500))).toThrow(InvalidWindowException);
    expect(() => s.window(Milliseconds(1500))).toThrow(
      'The window duration of windowed DStream (1500 ms) must be a multiple of the slide duration of parent DStream (1000 ms)',
    );
    expect(() => s.window(Seconds(2), Milliseconds(500))).toThrow(
      'The slide duration of windowed DStream (500 ms) must be a multiple of the slide duration of parent DStream (1000 ms)',
    );
    const w = s.window(Seconds(4), Seconds(2));
    // A window over a window is checked against that window's slide.
    expect(() => w.window(Seconds(3))).toThrow('The window duration of windowed DStream (3000 ms) must be a multiple of the slide duration of parent DStream (2000 ms)');
  });

  test('ReducedWindowedDStream: "requirement failed: ..." (IllegalArgumentException)', () => {
    const ssc = createManualContext();
    const s = new TestInputStream<KV>(ssc, []);
    const add = (a: number, b: number): number => a + b;
    const sub = (a: number, b: number): number => a - b;
    expect(() => s.reduceByKeyAndWindow(add, sub, Milliseconds(1500), Seconds(1))).toThrow(InvalidReducedWindowException);
    expect(() => s.reduceByKeyAndWindow(add, sub, Milliseconds(1500), Seconds(1))).toThrow(
      'requirement failed: The window duration of ReducedWindowedDStream (1500 ms) must be multiple of the slide duration of parent DStream (1000 ms)',
    );
    expect(() => s.reduceByKeyAndWindow(add, sub, Seconds(2), Milliseconds(100))).toThrow(
      'requirement failed: The slide duration of ReducedWindowedDStream (100 ms) must be multiple of the slide duration of parent DStream (1000 ms)',
    );
    // The non-incremental forms go through window().
    expect(() => s.reduceByKeyAndWindow(add, Milliseconds(1500))).toThrow(InvalidWindowException);
    expect(() => s.groupByKeyAndWindow(Seconds(2), Milliseconds(1500))).toThrow(InvalidWindowException);
    expect(() => s.countByWindow(Milliseconds(100), Milliseconds(100))).toThrow(InvalidReducedWindowException);
  });

  test('PySpark invalid windows: 0.1 s window or slide on a 0.5 s batch', () => {
    const ssc = createManualContext({ batchDuration: Milliseconds(500) });
    const s = new TestInputStream<KV>(ssc, []);
    const add = (a: number, b: number): number => a + b;
    expect(() => s.reduceByKeyAndWindow(add, undefined, Milliseconds(100), Milliseconds(100))).toThrow(InvalidWindowException);
    expect(() => s.reduceByKeyAndWindow(add, undefined, Seconds(1), Milliseconds(100))).toThrow(InvalidWindowException);
  });
});

describe('reduceByKeyAndWindow', () => {
  const add = (a: number, b: number): number => a + b;
  const sub = (a: number, b: number): number => a - b;
  // name, W, S, input, expected non-incremental, expected incremental
  const cases: [string, number, number, KV[][], KV[][], KV[][]][] = [
    ['basic reduction', 2, 1, [[['a', 1], ['a', 3]]], [[['a', 4]]], [[['a', 4]]]],
    ['key already in window and new value added into window', 2, 1, [[['a', 1]], [['a', 1]]], [[['a', 1]], [['a', 2]]], [[['a', 1]], [['a', 2]]]],
    [
      'new key added into window',
      2,
      1,
      [[['a', 1]], [['a', 1], ['b', 1]]],
      [[['a', 1]], [['a', 2], ['b', 1]]],
      [[['a', 1]], [['a', 2], ['b', 1]]],
    ],
    [
      'key removed from window',
      2,
      1,
      [[['a', 1]], [['a', 1]], [], []],
      [[['a', 1]], [['a', 2]], [['a', 1]], []],
      [[['a', 1]], [['a', 2]], [['a', 1]], [['a', 0]]],
    ],
    ['larger slide time', 4, 2, largerSlideInput, largerSlideReduceOutput, largerSlideReduceOutput],
    ['big test', 2, 1, bigInput, bigReduceOutput, bigReduceInvOutput],
  ];

  test.each(cases)('reduceByKeyAndWindow - %s', async (_n, w, s, input, expected) => {
    await testWindowOp(input, (st) => st.reduceByKeyAndWindow(add, Seconds(w), Seconds(s)), expected, Seconds(s), { checkpoint: false });
  });

  test.each(cases)('reduceByKeyAndWindow with inverse function - %s', async (_n, w, s, input, _e, expectedInv) => {
    await testWindowOp(
      input,
      (st) => st.reduceByKeyAndWindow(add, sub, Seconds(w), Seconds(s)).checkpoint(Seconds(100)),
      expectedInv,
      Seconds(s),
    );
  });

  test('reduceByKeyAndWindow with inverse and filter functions - big test', async () => {
    await testWindowOp(
      bigInput,
      (st) => st.reduceByKeyAndWindow(add, sub, Seconds(2), Seconds(1), 2, (kv) => kv[1] !== 0).checkpoint(Seconds(100)),
      bigReduceOutput,
    );
  });

  test('every overload: partitions or a partitioner give that partitioning, with the same results', async () => {
    const { HashPartitioner } = await import('../../lib');
    const p3 = new HashPartitioner(3);
    const ops: [string, (st: DStream<KV>) => DStream<KV>, number][] = [
      ['(f, W)', (st) => st.reduceByKeyAndWindow(add, Seconds(2)), 2],
      ['(f, W, S)', (st) => st.reduceByKeyAndWindow(add, Seconds(2), Seconds(1)), 2],
      ['(f, W, S, n)', (st) => st.reduceByKeyAndWindow(add, Seconds(2), Seconds(1), 4), 4],
      ['(f, W, S, p)', (st) => st.reduceByKeyAndWindow(add, Seconds(2), Seconds(1), p3), 3],
      ['(f, invF, W)', (st) => st.reduceByKeyAndWindow(add, sub, Seconds(2)).filter((kv) => kv[1] !== 0), 2],
      ['(f, invF, W, S, n)', (st) => st.reduceByKeyAndWindow(add, sub, Seconds(2), Seconds(1), 4).filter((kv) => kv[1] !== 0), 4],
      ['(f, invF, W, S, p, filter)', (st) => st.reduceByKeyAndWindow(add, sub, Seconds(2), Seconds(1), p3, (kv) => kv[1] !== 0), 3],
    ];
    for (const [name, op, parts] of ops) {
      const { ssc, output } = setupStreams(bigInput, op, { checkpointDir: true });
      const out = await runStreams(ssc, bigInput.length, output);
      expect({ name, out: out.map(asSet) }).toEqual({ name, out: bigReduceOutput.map(asSet) });
      expect({ name, parts: output.partitioned[0].length }).toEqual({ name, parts });
    }
  });

  test('the incremental form keeps its partitioner and is a ReducedWindowedDStream that must checkpoint', () => {
    const ssc = createManualContext({ checkpointDir: true });
    const s = new TestInputStream<KV>(ssc, []);
    const r = s.reduceByKeyAndWindow(add, sub, Seconds(2), Seconds(1)) as ReducedWindowedDStream<string, number>;
    expect(r).toBeInstanceOf(ReducedWindowedDStream);
    expect(r.mustCheckpoint).toBe(true);
    expect(r.storageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
    expect(r.reducedStream.storageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
  });
});

describe('groupByKeyAndWindow, countByWindow, countByValueAndWindow, reduceByWindow', () => {
  test('groupByKeyAndWindow - big test', async () => {
    const out = await testWindowOp(
      bigInput,
      (st) => st.groupByKeyAndWindow(Seconds(2), Seconds(1)).map(([k, vs]) => [k, [...vs].sort()] as [string, number[]]),
      bigGroupByOutput,
      batch,
      { checkpoint: false },
    );
    expect(out.length).toBe(12);
  });

  test('groupByKeyAndWindow does not change the cached batches it combines (windows overlap)', async () => {
    const { ssc, output } = setupStreams(
      [[['a', 1]], [['a', 2]], [['a', 3]]] as KV[][],
      (st) => st.groupByKeyAndWindow(Seconds(2), Seconds(1), 1).map(([k, vs]) => [k, [...vs].sort()] as [string, number[]]),
    );
    const out = await runStreams(ssc, 3, output);
    expect(out).toEqual([[['a', [1]]], [['a', [1, 2]]], [['a', [2, 3]]]]);
  });

  test('countByWindow', async () => {
    await testWindowOp([[1], [1], [1, 2], [0], [], []], (st) => st.countByWindow(Seconds(2), Seconds(1)), [[1], [2], [3], [3], [1], [0]]);
  });

  test('countByValueAndWindow', async () => {
    await testWindowOp(
      [['a'], ['b', 'b'], ['a', 'b']],
      (st) => st.countByValueAndWindow(Seconds(2), Seconds(1)),
      [[['a', 1]], [['a', 1], ['b', 2]], [['a', 1], ['b', 3]]],
    );
  });

  test('reduceByWindow without and with the inverse function', async () => {
    const input = [[1, 2], [3], [], [4, 5], [6]];
    const expected = [[3], [6], [3], [9], [15]];
    await testWindowOp(input, (st) => st.reduceByWindow((a, b) => a + b, Seconds(2), Seconds(1)), [[3], [6], [3], [9], [15]], batch, { checkpoint: false });
    // Without an inverse an empty window has no element; with one the key stays and gives 0.
    await testWindowOp([[1], [], [], [2]], (st) => st.reduceByWindow((a, b) => a + b, Seconds(2), Seconds(1)), [[1], [1], [], [2]], batch, { checkpoint: false });
    await testWindowOp(input, (st) => st.reduceByWindow((a, b) => a + b, (a, b) => a - b, Seconds(2), Seconds(1)), expected);
    await testWindowOp([[1], [], [], [2]], (st) => st.reduceByWindow((a, b) => a + b, (a, b) => a - b, Seconds(2), Seconds(1)), [[1], [1], [0], [2]]);
  });
});

describe('PySpark window tests (batch 0.5 s)', () => {
  const half = Milliseconds(500);
  const rangeBatches = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: i + 1 }, (_x, j) => j));
  const opts = { batchDuration: half };

  test('window(1.5, .5).count() and countByWindow(1.5, .5)', async () => {
    const expected = [[1], [3], [6], [9], [12], [9], [5]];
    // PySpark's inputs are range(1..5) batches: [0], [0,1], ..., [0..4]; counts of the last 3 batches.
    await testWindowOp(rangeBatches(5), (s) => s.window(Milliseconds(1500), half).count(), expected, half, opts);
    await testWindowOp(rangeBatches(5), (s) => s.countByWindow(Milliseconds(1500), half), expected, half, opts);
  });

  test('countByWindow(2.5, .5)', async () => {
    await testWindowOp(
      rangeBatches(6),
      (s) => s.countByWindow(Milliseconds(2500), half),
      [[1], [3], [6], [10], [15], [20], [18], [15], [11], [6]],
      half,
      opts,
    );
  });

  test('countByValueAndWindow(2.5, .5)', async () => {
    await testWindowOp(
      rangeBatches(6),
      (s) => s.countByValueAndWindow(Milliseconds(2500), half),
      [
        [[0, 1]],
        [[0, 2], [1, 1]],
        [[0, 3], [1, 2], [2, 1]],
        [[0, 4], [1, 3], [2, 2], [3, 1]],
        [[0, 5], [1, 4], [2, 3], [3, 2], [4, 1]],
        [[0, 5], [1, 5], [2, 4], [3, 3], [4, 2], [5, 1]],
        [[0, 4], [1, 4], [2, 4], [3, 3], [4, 2], [5, 1]],
        [[0, 3], [1, 3], [2, 3], [3, 3], [4, 2], [5, 1]],
        [[0, 2], [1, 2], [2, 2], [3, 2], [4, 2], [5, 1]],
        [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1], [5, 1]],
      ],
      half,
      opts,
    );
  });

  test('groupByKeyAndWindow(1.5, .5)', async () => {
    const input = [0, 1, 2, 3, 4].map((i) => [['a', i] as [string, number]]);
    const out = await testWindowOp(
      input,
      (s) => s.groupByKeyAndWindow(Milliseconds(1500), half).map(([, vs]) => [...vs].sort()),
      [[[0]], [[0, 1]], [[0, 1, 2]], [[1, 2, 3]], [[2, 3, 4]], [[3, 4]], [[4]]],
      half,
      opts,
    );
    expect(out.length).toBe(7);
  });

  test('reduceByKeyAndWindow(add, None, 5, 1) then filter(v > 0).count()', async () => {
    await testWindowOp(
      rangeBatches(6).map((b) => b.map((k) => [k, 1] as [number, number])),
      (s) => s.reduceByKeyAndWindow((a, b) => a + b, undefined, Seconds(5), Seconds(1)).filter((kv) => kv[1] > 0).count(),
      [[2], [4], [6], [6], [6], [6]],
      Seconds(1),
      { ...opts, checkpoint: false },
    );
  });
});

describe('rdd cleanup - map and window', () => {
  test('parents remember their window on top of the child remember duration', async () => {
    const cleanupTestInput = Array.from({ length: 10 }, (_, x) => [x, x + 1]);
    const { ssc, output } = setupStreams(cleanupTestInput, (s) =>
      s
        .map((x) => [x % 10, 1] as [number, number])
        .window(Seconds(2), Seconds(1))
        .window(Seconds(4), Seconds(2)),
    );
    ssc.remember(Seconds(3));
    const windowedStream2 = ssc.graph.outputStreams[0].dependencies[0] as WindowedDStream<[number, number]>;
    const windowedStream1 = windowedStream2.dependencies[0] as WindowedDStream<[number, number]>;
    const mappedStream = windowedStream1.dependencies[0];
    const out = await runStreams(ssc, 10, output, { stop: false });
    expect(ssc.clock.getTimeMillis()).toBe(10000);
    expect(out.length).toBe(5);

    expect(windowedStream2.rememberDuration).toEqual(Seconds(3));
    expect(windowedStream1.rememberDuration).toEqual(Seconds(3).plus(windowedStream2.windowDuration));
    expect(mappedStream.rememberDuration).toEqual(Seconds(3).plus(windowedStream2.windowDuration).plus(windowedStream1.windowDuration));

    const has = (s: DStream<unknown>, ms: number): boolean => s.generatedRDDs.has(new Time(ms).milliseconds);
    expect(has(windowedStream2 as DStream<unknown>, 10000)).toBe(true);
    expect(has(windowedStream2 as DStream<unknown>, 8000)).toBe(true);
    expect(has(windowedStream2 as DStream<unknown>, 6000)).toBe(false);
    expect(has(windowedStream1 as DStream<unknown>, 10000)).toBe(true);
    expect(has(windowedStream1 as DStream<unknown>, 4000)).toBe(true);
    expect(has(windowedStream1 as DStream<unknown>, 3000)).toBe(false);
    expect(has(mappedStream, 10000)).toBe(true);
    expect(has(mappedStream, 2000)).toBe(true);
    expect(has(mappedStream, 1000)).toBe(false);
  });
});

describe('checkpoint requirements of inverse windows', () => {
  test('starting without a checkpoint directory fails with Spark\'s message', async () => {
    const ssc = createManualContext();
    const s = new TestInputStream<number>(ssc, [[1]]);
    s.countByWindow(Seconds(2), Seconds(1)).foreachRDD(() => undefined);
    expect(() => ssc.start()).toThrow(
      'requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().',
    );
    expect(ssc.getState()).toBe('STOPPED');
  });

  test('default checkpoint interval: the smallest multiple of the slide that is at least 10 s', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const s = new TestInputStream<KV>(ssc, [[['a', 1]]]);
    const add = (a: number, b: number): number => a + b;
    const sub = (a: number, b: number): number => a - b;
    const r1 = s.reduceByKeyAndWindow(add, sub, Seconds(6), Seconds(3));
    const r2 = s.reduceByKeyAndWindow(add, sub, Seconds(4), Seconds(4));
    r1.foreachRDD(() => undefined);
    r2.foreachRDD(() => undefined);
    await ssc.start();
    expect(r1.checkpointDuration).toEqual(Seconds(12));
    expect(r2.checkpointDuration).toEqual(Seconds(12));
  });
});

describe('incremental windows computed partially (take) stay correct', () => {
  test('an output that reads only some partitions each slide still gets the right windows later', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const input = new TestInputStream<KV>(ssc, bigInput, 2);
    const add = (a: number, b: number): number => a + b;
    const sub = (a: number, b: number): number => a - b;
    const windowed = input.reduceByKeyAndWindow(add, sub, Seconds(2), Seconds(1), 3) as ReducedWindowedDStream<string, number>;
    const seen: KV[][] = [];
    windowed.foreachRDD(async (rdd, time) => {
      // Like print(): only the first partitions are read, except on the last batch.
      if (time.milliseconds < 12000) await rdd.take(1);
      else seen.push(await rdd.collect());
    });
    await ssc.start();
    await ssc.step(12);
    await ssc.awaitTerminationOrTimeout(0);
    expect(asSet(seen[0])).toEqual(asSet(bigReduceInvOutput[11]));
    // Every window but the newest has every partition computed and no parents left.
    const older = windowed.generatedRDDs.get(11000) as unknown as { isMaterialized: boolean };
    expect(older.isMaterialized).toBe(true);
  });
});

describe('bad input to incremental windows', () => {
  test('a key leaving the window that neither the previous window nor new batches have fails the batch with Spark\'s message', async () => {
    // The filter drops a from the window while its batch is still inside, so when that batch leaves, a is unknown.
    const { ssc, output } = setupStreams(
      [[['a', 1]], [], []] as KV[][],
      (s) => s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, Seconds(2), Seconds(1), 1, (kv) => kv[1] !== 1),
      { checkpointDir: true },
    );
    await expect(runStreams(ssc, 3, output)).rejects.toThrow(
      'Neither previous window has value for key, nor new values found. Are you sure your key class hashes consistently?',
    );
  });
});
