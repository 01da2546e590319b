/**
 * Spark's MapWithStateRDDSuite: "updating state and generating mapped data in MapWithStateRDDRecord" (reference
 * §7.2; initial time 1000, batch time 2000), and the RDD itself: one record per partition, the previous state
 * used without a shuffle, lineage cut once materialized.
 */
import {
  HashPartitioner,
  MapWithStateRDD,
  type MapWithStateRDDRecord,
  OpenHashMapBasedStateMap,
  SparkConf,
  SparkContext,
  type State,
  StateSpec,
  Time,
  updateRecordWithData,
} from '../../lib';

const initialTime = 1000;
const updatedTime = 2000;

describe('MapWithStateRDDRecord.updateRecordWithData', () => {
  let functionCalled = false;

  function assertRecordUpdate(opts: {
    initStates: number[];
    data: string[];
    expectedStates: [number, number][];
    timeoutThreshold?: number;
    removeTimedoutData?: boolean;
    expectedOutput?: number[];
    expectedTimingOutStates?: number[];
    expectedRemovedStates?: number[];
  }): void {
    const initialStateMap = new OpenHashMapBasedStateMap<string, number>();
    for (const s of opts.initStates) initialStateMap.put('key', s, initialTime);
    functionCalled = false;
    const record: MapWithStateRDDRecord<string, number, number> = { stateMap: initialStateMap, mappedData: [] };
    const data = opts.data.map((v) => ['key', v] as [string, string]);
    const removedStates: number[] = [];
    const timingOutStates: number[] = [];
    const testFunc = (t: Time, _key: string, value: string | undefined, state: State<number>): number | undefined => {
      functionCalled = true;
      expect(t.milliseconds).toBe(updatedTime);
      switch (value) {
        case 'noop':
          return undefined;
        case 'get-state':
          return state.getOption() ?? -1;
        case 'update-state':
          if (state.exists()) state.update(state.get() + 1);
          else state.update(0);
          return undefined;
        case 'remove-state':
          removedStates.push(state.get());
          state.remove();
          return undefined;
        case undefined:
          expect(state.isTimingOut()).toBe(true);
          timingOutStates.push(state.get());
          return undefined;
        default:
          throw new Error('Unexpected test data');
      }
    };
    const updated = updateRecordWithData(
      record,
      data,
      StateSpec.function(testFunc).getFunction(),
      new Time(updatedTime),
      opts.timeoutThreshold,
      opts.removeTimedoutData ?? false,
    );
    expect(new Set(updated.stateMap.getAll().map(([, s, t]) => `${s}@${t}`))).toEqual(new Set(opts.expectedStates.map(([s, t]) => `${s}@${t}`)));
    expect(new Set(updated.mappedData)).toEqual(new Set(opts.expectedOutput ?? []));
    expect(new Set(timingOutStates)).toEqual(new Set(opts.expectedTimingOutStates ?? []));
    expect(new Set(removedStates)).toEqual(new Set(opts.expectedRemovedStates ?? []));
    // The previous record's map is a version of its own: unchanged.
    expect(initialStateMap.getAll().map(([, s, t]) => [s, t])).toEqual(opts.initStates.map((s) => [s, initialTime]));
  }

  test('no data: no state changes, the function is not called', () => {
    assertRecordUpdate({ initStates: [], data: [], expectedStates: [] });
    expect(functionCalled).toBe(false);
    assertRecordUpdate({ initStates: [0], data: [], expectedStates: [[0, initialTime]] });
    expect(functionCalled).toBe(false);
  });

  test('data present: the function is called whether or not the state exists', () => {
    assertRecordUpdate({ initStates: [0], data: ['noop'], expectedStates: [[0, initialTime]] });
    expect(functionCalled).toBe(true);
    assertRecordUpdate({ initStates: [], data: ['noop'], expectedStates: [] });
    expect(functionCalled).toBe(true);
  });

  test('the function gets the right state', () => {
    assertRecordUpdate({ initStates: [], data: ['get-state'], expectedStates: [], expectedOutput: [-1] });
    assertRecordUpdate({ initStates: [123], data: ['get-state'], expectedStates: [[123, initialTime]], expectedOutput: [123] });
  });

  test('update state and timestamp, return nothing', () => {
    assertRecordUpdate({ initStates: [], data: ['update-state'], expectedStates: [[0, updatedTime]] });
    assertRecordUpdate({ initStates: [0], data: ['update-state'], expectedStates: [[1, updatedTime]] });
  });

  test('remove state', () => {
    assertRecordUpdate({ initStates: [345], data: ['remove-state'], expectedStates: [], expectedRemovedStates: [345] });
  });

  test('a state strictly older than the timeout threshold times out', () => {
    assertRecordUpdate({
      initStates: [123],
      data: [],
      timeoutThreshold: initialTime,
      removeTimedoutData: true,
      expectedStates: [[123, initialTime]],
      expectedTimingOutStates: [],
    });
    assertRecordUpdate({
      initStates: [123],
      data: [],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: true,
      expectedStates: [],
      expectedTimingOutStates: [123],
    });
    // not when the RDD is not doing a full scan (not a checkpoint batch)
    assertRecordUpdate({ initStates: [123], data: [], timeoutThreshold: initialTime + 1, removeTimedoutData: false, expectedStates: [[123, initialTime]] });
  });

  test('a state does not time out after it received data', () => {
    assertRecordUpdate({
      initStates: [123],
      data: ['noop'],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: true,
      expectedStates: [[123, updatedTime]],
      expectedTimingOutStates: [],
    });
    assertRecordUpdate({
      initStates: [123],
      data: ['remove-state'],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: true,
      expectedStates: [],
      expectedTimingOutStates: [],
      expectedRemovedStates: [123],
    });
  });

  test('SPARK-13195: no state, a threshold, data "noop": nothing is stored', () => {
    assertRecordUpdate({ initStates: [], data: ['noop'], timeoutThreshold: initialTime + 1, removeTimedoutData: true, expectedStates: [], expectedTimingOutStates: [] });
  });
});

describe('MapWithStateRDD', () => {
  let sc: SparkContext;
  beforeEach(() => {
    sc = new SparkContext(new SparkConf(false).setMaster('local[2]').setAppName('MapWithStateRDD'));
  });
  afterEach(() => sc.stop());

  test('one record per partition; states chained batch to batch without a shuffle; lineage cut once computed', async () => {
    const p = new HashPartitioner(2);
    const spec = StateSpec.function((_k: string, v: number | undefined, s: State<number>) => {
      const n = (s.getOption() ?? 0) + (v ?? 0);
      s.update(n);
      return n;
    });
    const conf = sc.conf;
    const first = new MapWithStateRDD<string, number, number, number>(
      sc,
      { kind: 'entries', rdd: sc.makeRDD<[string, [number, number]]>([['x', [10, 500]]]) },
      sc.makeRDD<[string, number]>([['a', 1], ['b', 2], ['a', 3]]),
      p,
      spec.getFunction(),
      new Time(1000),
      undefined,
      conf,
    );
    const records1 = await first.collect();
    expect(records1.length).toBe(2);
    expect(records1.flatMap((r) => r.mappedData).sort()).toEqual([1, 2, 4]);
    expect(first.isMaterialized).toBe(true);
    expect(first.getDependencies()).toEqual([]);

    const second = new MapWithStateRDD<string, number, number, number>(
      sc,
      { kind: 'previous', rdd: first as MapWithStateRDD<string, unknown, number, number> },
      sc.makeRDD<[string, number]>([['x', 1]]),
      p,
      spec.getFunction(),
      new Time(2000),
      undefined,
      conf,
    );
    const records2 = await second.collect();
    const states = records2.flatMap((r) => r.stateMap.getAll()).map(([k, s, t]) => `${k}=${s}@${t}`).sort();
    expect(states).toEqual(['a=4@1000', 'b=2@1000', 'x=11@2000']);
    // each partition's map holds exactly the keys the partitioner gives it
    records2.forEach((r, i) => r.stateMap.forEach((k) => expect(p.getPartition(k)).toBe(i)));
    // the first batch's records still read as they were
    expect(records1.flatMap((r) => r.stateMap.getAll()).map(([k, s]) => `${k}=${s}`).sort()).toEqual(['a=4', 'b=2', 'x=10']);
  });
});
