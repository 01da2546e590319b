/**
 * Spark's MapWithStateSuite (reference §10.5) on the ManualClock: B = 1 s, outputs and state snapshots compared as
 * sets per batch; State's flag transitions and messages (§1.4); checkpoint durations (§4.6).
 */
import {
  type DStream,
  Duration,
  HashPartitioner,
  IllegalArgumentException,
  InternalMapWithStateDStream,
  MapWithStateDStream,
  MapWithStateRDD,
  Milliseconds,
  NoSuchElementException,
  Seconds,
  type State,
  StateImpl,
  StateSpec,
  StorageLevel,
  Time,
} from '../../lib';
import { collectOutput, createManualContext, runStreams, stopAllContexts, stopContext, TestInputStream } from './harness';

afterEach(async () => {
  await stopAllContexts();
});

function asSet(batchOut: readonly unknown[]): Set<string> {
  return new Set(batchOut.map((x) => JSON.stringify(x)));
}
const sets = (bs: readonly (readonly unknown[])[]): Set<string>[] => bs.map(asSet);

/** MapWithStateSuite's `getOperationOutput`: input words mapped to (w, 1), the outputs and the state snapshots. */
async function getOperationOutput<S, M>(
  input: string[][],
  spec: StateSpec<string, number, S, M>,
  numBatches: number,
  opts: { master?: string } = {},
): Promise<{ outputs: M[][]; snapshots: [string, S][][]; stream: MapWithStateDStream<string, number, S, M> }> {
  const ssc = createManualContext({ checkpointDir: true, master: opts.master ?? 'local' });
  const inputStream = new TestInputStream(ssc, input, 2);
  const stream = inputStream.map((x) => [x, 1] as [string, number]).mapWithState(spec);
  const outputs = collectOutput(stream);
  const snapshots = collectOutput(stream.stateSnapshots());
  await runStreams(ssc, numBatches, outputs);
  return { outputs: outputs.batches, snapshots: snapshots.batches, stream };
}

const inputData = [[], ['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b'], ['a'], []];
const stateData: [string, number][][] = [
  [],
  [['a', 1]],
  [['a', 2], ['b', 1]],
  [['a', 3], ['b', 2], ['c', 1]],
  [['a', 4], ['b', 3], ['c', 1]],
  [['a', 5], ['b', 3], ['c', 1]],
  [['a', 5], ['b', 3], ['c', 1]],
];

describe('MapWithStateSuite', () => {
  test('state - get, exists, update, remove', () => {
    let state: StateImpl<number>;
    const testState = (
      expectedData: number | undefined,
      { shouldBeUpdated = false, shouldBeRemoved = false, shouldBeTimingOut = false } = {},
    ): void => {
      if (expectedData !== undefined) {
        expect(state.exists()).toBe(true);
        expect(state.get()).toBe(expectedData);
        expect(state.getOption()).toBe(expectedData);
        expect(state.getOption() ?? -1).toBe(expectedData);
      } else {
        expect(state.exists()).toBe(false);
        expect(() => state.get()).toThrow(NoSuchElementException);
        expect(() => state.get()).toThrow('State is not set');
        expect(state.getOption()).toBeUndefined();
        expect(state.getOption() ?? -1).toBe(-1);
      }
      expect(state.isTimingOut()).toBe(shouldBeTimingOut);
      if (shouldBeTimingOut) {
        expect(() => state.remove()).toThrow(new IllegalArgumentException('requirement failed: Cannot remove the state that is timing out'));
        expect(() => state.update(-1)).toThrow(new IllegalArgumentException('requirement failed: Cannot update the state that is timing out'));
      }
      expect(state.isUpdated()).toBe(shouldBeUpdated);
      expect(state.isRemoved()).toBe(shouldBeRemoved);
      if (shouldBeRemoved) {
        expect(() => state.remove()).toThrow(new IllegalArgumentException('requirement failed: Cannot remove the state that has already been removed'));
        expect(() => state.update(-1)).toThrow(new IllegalArgumentException('requirement failed: Cannot update the state after it has been removed'));
      }
    };

    state = new StateImpl<number>();
    testState(undefined);
    state.wrap(false);
    testState(undefined);
    state.wrap(true, 1);
    testState(1);
    state.update(2);
    testState(2, { shouldBeUpdated: true });
    state = new StateImpl<number>();
    state.update(2);
    testState(2, { shouldBeUpdated: true });
    state.remove();
    testState(undefined, { shouldBeRemoved: true });
    state.wrapTimingOutState(3);
    testState(3, { shouldBeTimingOut: true });
    expect(String(state)).toBe('3');
    state.wrap(false);
    expect(String(state)).toBe('<state not set>');
  });

  test('mapWithState - basic operations with simple API', async () => {
    const outputData = [[], [1], [2, 1], [3, 2, 1], [4, 3], [5], []];
    const mappingFunc = (_key: string, value: number | undefined, state: State<number>): number => {
      const sum = (value ?? 0) + (state.getOption() ?? 0);
      state.update(sum);
      return sum;
    };
    const { outputs, snapshots } = await getOperationOutput(inputData, StateSpec.function(mappingFunc).numPartitions(1), outputData.length);
    expect(sets(outputs)).toEqual(sets(outputData));
    expect(sets(snapshots)).toEqual(sets(stateData));
  });

  test('mapWithState - basic operations with advanced API', async () => {
    const outputData = [[], ['aa'], ['aa', 'bb'], ['aa', 'bb', 'cc'], ['aa', 'bb'], ['aa'], []];
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>): string | undefined => {
      const sum = (value ?? 0) + (state.getOption() ?? 0);
      state.update(sum);
      return key + key;
    };
    const { outputs, snapshots } = await getOperationOutput(inputData, StateSpec.function(mappingFunc), outputData.length);
    expect(sets(outputs)).toEqual(sets(outputData));
    expect(sets(snapshots)).toEqual(sets(stateData));
  });

  test('mapWithState - type inferencing and class tags', () => {
    // The TypeScript counterpart: the spec's type parameters flow to the stream and its snapshots.
    const ssc = createManualContext({ checkpointDir: true });
    const input = new TestInputStream<[string, number]>(ssc, []);
    const spec = StateSpec.function((_k: string, v: number | undefined, s: State<number>): bigint => {
      s.update(v ?? 0);
      return 1n;
    });
    const stream: MapWithStateDStream<string, number, number, bigint> = input.mapWithState(spec);
    const snapshots: DStream<[string, number]> = stream.stateSnapshots();
    expect(stream).toBeInstanceOf(MapWithStateDStream);
    expect(snapshots.slideDuration).toEqual(Seconds(1));
  });

  test('mapWithState - states as mapped data', async () => {
    const outputData: [string, number][][] = [[], [['a', 1]], [['a', 2], ['b', 1]], [['a', 3], ['b', 2], ['c', 1]], [['a', 4], ['b', 3]], [['a', 5]], []];
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>): [string, number] | undefined => {
      const sum = (value ?? 0) + (state.getOption() ?? 0);
      state.update(sum);
      return [key, sum];
    };
    const { outputs, snapshots } = await getOperationOutput(inputData, StateSpec.function(mappingFunc), outputData.length);
    expect(sets(outputs)).toEqual(sets(outputData));
    expect(sets(snapshots)).toEqual(sets(stateData));
  });

  test('mapWithState - initial states, with nothing returned as from mapping function', async () => {
    const initialStates: [string, number][] = [['a', 5], ['b', 10], ['c', -20], ['d', 0]];
    const stateDataWithInitial: [string, number][][] = [
      [['a', 5], ['b', 10], ['c', -20], ['d', 0]],
      [['a', 6], ['b', 10], ['c', -20], ['d', 0]],
      [['a', 7], ['b', 11], ['c', -20], ['d', 0]],
      [['a', 8], ['b', 12], ['c', -19], ['d', 0]],
      [['a', 9], ['b', 13], ['c', -19], ['d', 0]],
      [['a', 10], ['b', 13], ['c', -19], ['d', 0]],
      [['a', 10], ['b', 13], ['c', -19], ['d', 0]],
    ];
    const ssc = createManualContext({ checkpointDir: true, master: 'local' });
    const initialRDD = ssc.sparkContext.makeRDD(initialStates);
    const mappingFunc = (_time: Time, _key: string, value: number | undefined, state: State<number>): undefined => {
      state.update((value ?? 0) + (state.getOption() ?? 0));
      return undefined;
    };
    const stream = new TestInputStream(ssc, inputData, 2)
      .map((x) => [x, 1] as [string, number])
      .mapWithState(StateSpec.function(mappingFunc).initialState(initialRDD));
    const outputs = collectOutput(stream);
    const snapshots = collectOutput(stream.stateSnapshots());
    await runStreams(ssc, 7, outputs);
    expect(outputs.batches).toEqual([[], [], [], [], [], [], []]);
    expect(sets(snapshots.batches)).toEqual(sets(stateDataWithInitial));
  });

  test('mapWithState - state removing', async () => {
    const input = [[], ['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b'], ['a'], []];
    // States that should be present when the next batch's data is being processed.
    const outputData = [[], [], ['a'], ['b'], ['a', 'c'], ['b'], ['a'], []];
    const expectedStates: [string, number][][] = [[], [['a', 1]], [['b', 1]], [['a', 1], ['c', 1]], [['b', 1]], [['a', 1]], [], []];
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>): string | undefined => {
      if (state.exists()) {
        state.remove();
        return key;
      }
      state.update(value as number);
      return undefined;
    };
    const { outputs, snapshots } = await getOperationOutput(input, StateSpec.function(mappingFunc).numPartitions(1), outputData.length);
    expect(sets(outputs)).toEqual(sets(outputData));
    expect(sets(snapshots)).toEqual(sets(expectedStates));
  });

  test('mapWithState - state timing out', async () => {
    const inputDataT = [['a', 'b', 'c'], ['a', 'b'], ['a'], [], [], ['a'], ...Array.from({ length: 20 }, () => ['a'])];
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>): string | undefined => {
      if (value !== undefined) state.update(1);
      return state.isTimingOut() ? key : undefined;
    };
    const { outputs, snapshots } = await getOperationOutput(inputDataT, StateSpec.function(mappingFunc).timeout(Seconds(3)), 20);
    // b and c are returned once each, when they time out
    expect(outputs.flat().sort()).toEqual(['b', 'c']);
    // states for a, b, c are defined at one point in time
    expect(snapshots.some((s) => asSet(s).size === 3 && [...asSet(s)].every((x) => asSet([['a', 1], ['b', 1], ['c', 1]]).has(x)))).toBe(true);
    // finally only a has a state
    expect(asSet(snapshots[snapshots.length - 1])).toEqual(asSet([['a', 1]]));
  });

  test('timeouts are looked for only on the batches where the state is checkpointed (every 10 batches by default)', async () => {
    const input = [['a', 'b'], ['a'], ...Array.from({ length: 12 }, () => ['a'])];
    const timedOutAt: [string, number][] = [];
    const mappingFunc = (time: Time, key: string, value: number | undefined, state: State<number>): undefined => {
      if (value !== undefined) state.update(value);
      if (state.isTimingOut()) timedOutAt.push([key, time.milliseconds]);
      return undefined;
    };
    const { snapshots, stream } = await getOperationOutput(input, StateSpec.function(mappingFunc).timeout(Seconds(2)), 14);
    // b was idle from 1000 ms; with a 2 s timeout it is due at 4000 ms but only found at the 10 s checkpoint batch.
    expect(timedOutAt).toEqual([['b', 10000]]);
    expect(asSet(snapshots[8])).toEqual(asSet([['a', 1], ['b', 1]]));
    expect(asSet(snapshots[9])).toEqual(asSet([['a', 1]]));
    const internal = stream.dependencies[0] as InternalMapWithStateDStream<string, number, number, undefined>;
    expect((internal.generatedRDDs.get(10000) as MapWithStateRDD<string, number, number, undefined>).fullScan).toBe(true);
  });

  test('the function runs only for keys with data, once per record in order, seeing the previous record\'s state', async () => {
    const calls: string[] = [];
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>): number => {
      calls.push(`${key}:${value}:${state.getOption() ?? '-'}`);
      const n = (state.getOption() ?? 0) + (value as number);
      state.update(n);
      return n;
    };
    const ssc = createManualContext({ checkpointDir: true });
    const input = new TestInputStream<[string, number]>(ssc, [[['a', 1], ['b', 5], ['a', 2], ['a', 3]], [], [['b', 1]]], 1);
    const stream = input.mapWithState(StateSpec.function(mappingFunc).numPartitions(1));
    const out = collectOutput(stream);
    await runStreams(ssc, 3, out);
    expect(out.batches).toEqual([[1, 5, 3, 6], [], [6]]);
    expect(calls).toEqual(['a:1:-', 'b:5:-', 'a:2:1', 'a:3:3', 'b:1:5']);
  });

  test('mapWithState - checkpoint durations', async () => {
    const cases: [Duration, Duration, Duration | undefined][] = [
      [Milliseconds(100), Seconds(1), undefined],
      [Seconds(1), Seconds(10), undefined],
      [Seconds(10), Seconds(100), undefined],
      [Milliseconds(100), Seconds(2), Seconds(2)],
      [Seconds(1), Seconds(2), Seconds(2)],
      [Seconds(10), Seconds(20), Seconds(20)],
    ];
    for (const [batchDuration, expected, explicit] of cases) {
      const ssc = createManualContext({ checkpointDir: true, batchDuration });
      const inputStream = new TestInputStream<number>(ssc, [], 2).map((x) => [x, 1] as [number, number]);
      const dummyFunc = (_k: number, _v: number | undefined, _s: State<number>): number => 0;
      const mapWithStateStream = inputStream.mapWithState(StateSpec.function(dummyFunc));
      const internal = mapWithStateStream.internalStream;
      if (explicit) mapWithStateStream.checkpoint(explicit);
      mapWithStateStream.foreachRDD(() => undefined);
      await ssc.start();
      expect(mapWithStateStream.checkpointDuration).toBeUndefined();
      expect({ batchDuration, d: internal.checkpointDuration }).toEqual({ batchDuration, d: expected });
      await stopContext(ssc);
    }
  });

  test('internal stream: persisted MEMORY_ONLY, partitioned by the spec partitioner or HashPartitioner(defaultParallelism)', () => {
    const ssc = createManualContext({ checkpointDir: true, master: 'local[3]' });
    const input = new TestInputStream<[string, number]>(ssc, []);
    const f = (_k: string, _v: number | undefined, _s: State<number>): number => 0;
    const s1 = input.mapWithState(StateSpec.function(f));
    const s2 = input.mapWithState(StateSpec.function(f).partitioner(new HashPartitioner(5)));
    expect(s1.internalStream.storageLevel).toBe(StorageLevel.MEMORY_ONLY);
    expect(s1.internalStream.mustCheckpoint).toBe(true);
    expect(s1.internalStream.partitioner.equals(new HashPartitioner(3))).toBe(true);
    expect(s2.internalStream.partitioner.equals(new HashPartitioner(5))).toBe(true);
    expect(s1.className).toBe('MapWithStateDStreamImpl');
  });

  test('starting without a checkpoint directory fails with Spark\'s message', async () => {
    const ssc = createManualContext();
    const f = (_k: string, _v: number | undefined, _s: State<number>): number => 0;
    new TestInputStream<[string, number]>(ssc, []).mapWithState(StateSpec.function(f)).foreachRDD(() => undefined);
    expect(() => ssc.start()).toThrow(
      'requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().',
    );
  });

  test('StateSpec: arity decides the form; explicit constructors; the function is required', () => {
    const simple = StateSpec.function((_k: string, v: number | undefined, _s: State<number>) => v);
    const timed = StateSpec.function((_t: Time, _k: string, v: number | undefined, _s: State<number>) => v);
    const out1: (number | undefined)[] = [];
    const out2: number[] = [];
    const st = new StateImpl<number>();
    simple.getFunction()(new Time(1), 'k', undefined, st, out1);
    timed.getFunction()(new Time(1), 'k', undefined, st, out2);
    // The simple form always emits (Spark wraps it in Some); the time form's undefined emits nothing (None).
    expect(out1).toEqual([undefined]);
    expect(out2).toEqual([]);
    const rest = StateSpec.functionWithTime((...args: unknown[]) => args[1] as string);
    const out3: string[] = [];
    rest.getFunction()(new Time(1), 'k', 1, st, out3);
    expect(out3).toEqual(['k']);
    expect(() => StateSpec.function(undefined as unknown as () => number)).toThrow(IllegalArgumentException);
    const spec = StateSpec.function((_k: string, v: number | undefined, _s: State<number>) => v).numPartitions(4).timeout(Seconds(3));
    expect(spec.getPartitioner()?.equals(new HashPartitioner(4))).toBe(true);
    expect(spec.getTimeoutInterval()).toEqual(Seconds(3));
    expect(spec.getInitialStateRDD()).toBeUndefined();
  });
});

describe('state restored from a checkpoint (restoreState)', () => {
  test('mapWithState continues from restored [key, state, updateTime] entries, update times kept', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const mappingFunc = (_t: Time, key: string, value: number | undefined, state: State<number>): [string, number] | undefined => {
      if (state.isTimingOut()) return [key, -1];
      state.update((state.getOption() ?? 0) + (value as number));
      return undefined;
    };
    const stream = new TestInputStream(ssc, [['a'], [], []], 1)
      .map((x) => [x, 1] as [string, number])
      .mapWithState(StateSpec.function(mappingFunc).timeout(Seconds(5)));
    stream.checkpoint(Seconds(2));
    stream.internalStream.restoreState(new Time(0), ssc.sparkContext.makeRDD<[string, number, number]>([['a', 10, 0], ['old', 1, -9000]]));
    const outputs = collectOutput(stream);
    const snapshots = collectOutput(stream.stateSnapshots());
    await runStreams(ssc, 3, outputs);
    // 'old' was last updated at -9000 ms: at the 2000 ms checkpoint batch it is past the 5 s timeout.
    expect(outputs.batches).toEqual([[], [['old', -1]], []]);
    expect(snapshots.batches.map((b) => asSet(b))).toEqual([asSet([['a', 11], ['old', 1]]), asSet([['a', 11]]), asSet([['a', 11]])]);
  });
});
