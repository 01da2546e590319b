/**
 * updateStateByKey: the BasicOperationsSuite rows of reference §10.3 (simple, with initial RDD, iterator form,
 * time stamps, object lifecycle with `None` inputs, rdd cleanup), the PySpark updateStateByKey tests (§10.9), and
 * the checkpoint requirements (§4.6, §7.1). B = 1 s, ManualClock, outputs compared as sets.
 */
import {
  type DStream,
  HashPartitioner,
  IllegalArgumentException,
  Milliseconds,
  type RDD,
  Seconds,
  StateDStream,
  StateRDD,
  StorageLevel,
  Time,
} from '../../lib';
import { createManualContext, runStreams, setupStreams, stopAllContexts, TestInputStream } from './harness';

afterEach(async () => {
  await stopAllContexts();
});

type KV = [string, number];

function asSet(batchOut: readonly unknown[]): Set<string> {
  return new Set(batchOut.map((x) => JSON.stringify(x)));
}

async function testStateOp<U, V>(input: (U[] | null)[], op: (s: DStream<U>) => DStream<V>, expected: unknown[][], numBatches = expected.length): Promise<V[][]> {
  const { ssc, output } = setupStreams(input, op, { checkpointDir: true });
  const out = await runStreams(ssc, numBatches, output);
  expect(out.map(asSet)).toEqual(expected.map(asSet));
  return out;
}

const inputData = [['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b'], ['a'], []];
const sumUpdate = (values: number[], state: number | undefined): number | undefined => values.reduce((x, y) => x + y, 0) + (state ?? 0);

describe('updateStateByKey (BasicOperationsSuite)', () => {
  test('updateStateByKey: running counts, every key every batch', async () => {
    await testStateOp(inputData, (s) => s.map((x) => [x, 1] as KV).updateStateByKey(sumUpdate), [
      [['a', 1]],
      [['a', 2], ['b', 1]],
      [['a', 3], ['b', 2], ['c', 1]],
      [['a', 4], ['b', 3], ['c', 1]],
      [['a', 5], ['b', 3], ['c', 1]],
      [['a', 5], ['b', 3], ['c', 1]],
    ]);
  });

  const withInitialExpected: KV[][] = [
    [['a', 2], ['c', 2]],
    [['a', 3], ['b', 1], ['c', 2]],
    [['a', 4], ['b', 2], ['c', 3]],
    [['a', 5], ['b', 3], ['c', 3]],
    [['a', 6], ['b', 3], ['c', 3]],
    [['a', 6], ['b', 3], ['c', 3]],
  ];

  test('updateStateByKey - simple with initial value RDD', async () => {
    const { ssc, output } = setupStreams(inputData, (s) => s, { checkpointDir: true });
    const initialRDD = ssc.sparkContext.makeRDD<KV>([['a', 1], ['c', 2]]);
    const input = ssc.graph.outputStreams[0].dependencies[0] as DStream<string>;
    const state = input.map((x) => [x, 1] as KV).updateStateByKey(sumUpdate, new HashPartitioner(2), initialRDD);
    const { collectOutput } = await import('./harness');
    const stateOut = collectOutput(state);
    await runStreams(ssc, 6, output);
    expect(stateOut.batches.map(asSet)).toEqual(withInitialExpected.map(asSet));
  });

  test('updateStateByKey - with initial value RDD (iterator form, rememberPartitioner)', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const input = new TestInputStream(ssc, inputData);
    const initialRDD = ssc.sparkContext.makeRDD<KV>([['a', 1], ['c', 2]]);
    const updateFunc = (it: Iterable<[string, number[], number | undefined]>): Iterable<[string, number]> => {
      const out: KV[] = [];
      for (const [k, vs, s] of it) {
        const r = sumUpdate(vs, s);
        if (r !== undefined) out.push([k, r]);
      }
      return out;
    };
    const state = input.map((x) => [x, 1] as KV).updateStateByKey(updateFunc, new HashPartitioner(2), true, initialRDD);
    const { collectOutput } = await import('./harness');
    const out = collectOutput(state);
    await runStreams(ssc, 6, out);
    expect(out.batches.map(asSet)).toEqual(withInitialExpected.map(asSet));
    expect(out.partitioned[0].length).toBe(2);
  });

  test('updateStateByKey - iterator form without rememberPartitioner reshuffles the state each batch', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const input = new TestInputStream(ssc, inputData);
    // Emits every key into... whatever partition it was computed in; the next batch repartitions it.
    const updateFunc = (it: Iterable<[string, number[], number | undefined]>): Iterable<[string, number]> =>
      [...it].map(([k, vs, s]) => [k, (sumUpdate(vs, s) as number)] as KV);
    const state = input.map((x) => [x, 1] as KV).updateStateByKey(updateFunc, new HashPartitioner(3), false);
    const { collectOutput } = await import('./harness');
    const out = collectOutput(state);
    await runStreams(ssc, 6, out, { stop: false });
    expect(out.batches.map(asSet)).toEqual(
      [
        [['a', 1]],
        [['a', 2], ['b', 1]],
        [['a', 3], ['b', 2], ['c', 1]],
        [['a', 4], ['b', 3], ['c', 1]],
        [['a', 5], ['b', 3], ['c', 1]],
        [['a', 5], ['b', 3], ['c', 1]],
      ].map(asSet),
    );
    const last = (state as StateDStream<string, number, number>).generatedRDDs.get(6000) as RDD<KV>;
    expect(last.partitioner).toBeUndefined();
  });

  test('updateStateByKey - time stamps (time form)', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const input = new TestInputStream(ssc, inputData);
    const initialRDD = ssc.sparkContext.makeRDD<KV>([['a', 0], ['c', 0]]);
    const updateFunc = (time: Time, _key: string, values: number[], state: number | undefined): number | undefined =>
      values.length > 0 ? time.milliseconds + (state ?? 0) : state;
    const state = input.map((x) => [x, 1] as KV).updateStateByKey(updateFunc, new HashPartitioner(2), true, initialRDD);
    const { collectOutput } = await import('./harness');
    const out = collectOutput(state);
    await runStreams(ssc, 6, out);
    expect(out.batches.map(asSet)).toEqual(
      [
        [['a', 1000], ['c', 0]],
        [['a', 3000], ['b', 2000], ['c', 0]],
        [['a', 6000], ['b', 5000], ['c', 3000]],
        [['a', 10000], ['b', 9000], ['c', 3000]],
        [['a', 15000], ['b', 9000], ['c', 3000]],
        [['a', 15000], ['b', 9000], ['c', 3000]],
      ].map(asSet),
    );
  });

  test('updateStateByKey - object lifecycle (None inputs: every key is updated with no values)', async () => {
    class StateObject {
      counter = 0;
      expireCounter = 0;
    }
    const updateFunc = (values: number[], state: StateObject | undefined): StateObject | undefined => {
      const stateObj = state ?? new StateObject();
      const sum = values.reduce((x, y) => x + y, 0);
      if (sum === 0) stateObj.expireCounter += 1;
      else {
        stateObj.counter += sum;
        stateObj.expireCounter = 0;
      }
      return stateObj.expireCounter > 1 ? undefined : stateObj;
    };
    await testStateOp(
      [['a', 'b'], null, ['a', 'c', 'a'], ['c'], null, null],
      (s) =>
        s
          .map((x) => [x, 1] as KV)
          .updateStateByKey(updateFunc)
          .mapValues((o) => o.counter),
      [[['a', 1], ['b', 1]], [['a', 1], ['b', 1]], [['a', 3], ['c', 1]], [['a', 3], ['c', 2]], [['c', 2]], []],
    );
  });

  test('the function runs for every key with state each batch, and undefined removes the key', async () => {
    const calls: string[] = [];
    const updateFunc = (values: number[], state: number | undefined): number | undefined => {
      calls.push(`${values.length}:${state ?? '-'}`);
      const n = (state ?? 0) + values.length;
      return n >= 3 ? undefined : n;
    };
    const { ssc, output } = setupStreams(
      [['a'], ['a', 'b'], [], ['a']],
      (s) => s.map((x) => [x, 1] as KV).updateStateByKey(updateFunc, 1),
      { checkpointDir: true },
    );
    const out = await runStreams(ssc, 5, output);
    expect(out.map(asSet)).toEqual([[['a', 1]], [['a', 2], ['b', 1]], [['a', 2], ['b', 1]], [['b', 1]], [['b', 1]]].map(asSet));
    // b1: a(1:-); b2: a(1:1) b(1:-); b3: a(0:2) b(0:1); b4: a(1:2 -> 3, removed) b(0:1); b5: b(0:1).
    expect(calls.sort()).toEqual(['1:-', '1:1', '1:-', '0:2', '0:1', '1:2', '0:1', '0:1'].sort());
  });

  test('the state is partitioned by the stream partitioner and the previous state is not reshuffled', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const input = new TestInputStream(ssc, inputData, 3);
    const state = input.map((x) => [x, 1] as KV).updateStateByKey(sumUpdate, 4) as StateDStream<string, number, number>;
    const { collectOutput } = await import('./harness');
    const out = collectOutput(state);
    await runStreams(ssc, 6, out, { stop: false });
    const p = new HashPartitioner(4);
    for (const parts of out.partitioned) {
      expect(parts.length).toBe(4);
      parts.forEach((part, i) => part.forEach(([k]) => expect(p.getPartition(k)).toBe(i)));
    }
    const rdd = state.generatedRDDs.get(6000) as StateRDD<string, number, number>;
    expect(rdd).toBeInstanceOf(StateRDD);
    expect(rdd.partitioner?.equals(p)).toBe(true);
    // Its lineage was cut once computed: it holds its state maps, not the chain of earlier batches.
    expect(rdd.isMaterialized).toBe(true);
    expect(rdd.getDependencies()).toEqual([]);
    const maps = await state.stateMapsAt(new Time(6000));
    expect(maps?.reduce((n, m) => n + m.size, 0)).toBe(3);
  });
});

describe('PySpark updateStateByKey', () => {
  test('appending lists for key k, values 0..4', async () => {
    const input = [0, 1, 2, 3, 4].map((i) => [['k', i] as [string, number]]);
    const updateFunc = (vs: number[], s: number[] | undefined): number[] => [...(s ?? []), ...vs];
    await testStateOp(
      input,
      (s) => s.updateStateByKey(updateFunc).map(([, v]) => v),
      [[[0]], [[0, 1]], [[0, 1, 2]], [[0, 1, 2, 3]], [[0, 1, 2, 3, 4]]],
    );
  });

  test('with initial state (k, [0, 1]) and values 2..4', async () => {
    const { ssc, output } = setupStreams([2, 3, 4].map((i) => [['k', i] as [string, number]]), (s) => s, { checkpointDir: true, batchDuration: Milliseconds(500) });
    const input = ssc.graph.outputStreams[0].dependencies[0] as DStream<[string, number]>;
    const initial = ssc.sparkContext.makeRDD<[string, number[]]>([['k', [0, 1]]]);
    const updateFunc = (vs: number[], s: number[] | undefined): number[] => [...(s ?? []), ...vs];
    const { collectOutput } = await import('./harness');
    const out = collectOutput(input.updateStateByKey(updateFunc, undefined, initial).map(([, v]) => v));
    await runStreams(ssc, 3, output);
    expect(out.batches).toEqual([[[0, 1, 2]], [[0, 1, 2, 3]], [[0, 1, 2, 3, 4]]]);
  });
});

describe('checkpointing of updateStateByKey', () => {
  test('starting without a checkpoint directory fails with Spark\'s message', async () => {
    const ssc = createManualContext();
    const s = new TestInputStream<string>(ssc, [['a']]);
    s.map((x) => [x, 1] as KV).updateStateByKey(sumUpdate).foreachRDD(() => undefined);
    let err: unknown;
    try {
      void ssc.start();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IllegalArgumentException);
    expect((err as Error).message).toBe(
      'requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().',
    );
  });

  test('persisted MEMORY_ONLY_SER; default interval the smallest multiple of the slide >= 10 s', async () => {
    const ssc = createManualContext({ checkpointDir: true, batchDuration: Milliseconds(300) });
    const state = new TestInputStream<string>(ssc, [['a']]).map((x) => [x, 1] as KV).updateStateByKey(sumUpdate);
    state.foreachRDD(() => undefined);
    expect(state.storageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
    expect(state.mustCheckpoint).toBe(true);
    await ssc.start();
    expect(state.checkpointDuration).toEqual(Milliseconds(10200));
    expect(state.rememberDuration).toEqual(Milliseconds(20400));
  });

  test('rdd cleanup - updateStateByKey: remember = 2 x checkpoint interval', async () => {
    const cleanupTestInput = Array.from({ length: 10 }, (_, x) => [x, x + 1]);
    const { ssc, output } = setupStreams(
      cleanupTestInput,
      (s) =>
        s
          .map((x) => [x, 1] as [number, number])
          .updateStateByKey((vs: number[], st: number | undefined) => vs.reduce((a, b) => a + b, 0) + (st ?? 0))
          .checkpoint(Seconds(3)),
      { checkpointDir: true },
    );
    const stateStream = ssc.graph.outputStreams[0].dependencies[0] as StateDStream<number, number, number>;
    await runStreams(ssc, 10, output, { stop: false });
    expect(ssc.clock.getTimeMillis()).toBe(10000);
    expect(stateStream.rememberDuration).toEqual(Seconds(6));
    expect(stateStream.rememberDuration).toEqual(stateStream.checkpointDuration?.times(2));
    expect(stateStream.generatedRDDs.has(10000)).toBe(true);
    expect(stateStream.generatedRDDs.has(4000)).toBe(false);
  });
});

describe('state restored from a checkpoint (restoreState)', () => {
  test('updateStateByKey continues from a restored pair RDD', async () => {
    const { ssc, output } = setupStreams([['a'], ['b']], (s) => s.map((x) => [x, 1] as KV).updateStateByKey(sumUpdate, 2), { checkpointDir: true });
    const state = ssc.graph.outputStreams[0].dependencies[0] as StateDStream<string, number, number>;
    state.restoreState(new Time(0), ssc.sparkContext.makeRDD<KV>([['a', 10], ['z', 5]], 3));
    const out = await runStreams(ssc, 2, output);
    expect(out.map(asSet)).toEqual([[['a', 11], ['z', 5]], [['a', 11], ['b', 1], ['z', 5]]].map(asSet));
  });
});

describe('bad arguments to updateStateByKey', () => {
  test('with rememberPartitioner the function must be the iterator or the time form', () => {
    const ssc = createManualContext({ checkpointDir: true });
    const s = new TestInputStream<KV>(ssc, []);
    const twoArgs = (vs: number[], st: number | undefined): number => vs.length + (st ?? 0);
    expect(() => s.updateStateByKey(twoArgs as never, 2, true)).toThrow(IllegalArgumentException);
    expect(() => s.updateStateByKey(twoArgs as never, 2, true)).toThrow(/iterator function \(1 parameter\) or a \(time, key, values, state\) function/);
  });
});
