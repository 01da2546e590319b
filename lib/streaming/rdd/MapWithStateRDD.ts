import type { SparkConf } from '../../core/SparkConf';
import type { Time } from '../../core/Time';
import type { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import type { Sink } from '../../rdd/Sink';
import type { SparkContext } from '../../rdd/SparkContext';
import type { TaskContext } from '../../rdd/TaskContext';
import { OpenHashMapBasedStateMap } from '../state/OpenHashMapBasedStateMap';
import { StateImpl } from '../state/State';
import type { InternalMappingFunction } from '../state/StateSpec';
import type { StateMap } from '../state/StateMap';
import { MaterializedRDD, readPartition } from './MaterializedRDD';

/** A key without state, as `getOrElse` reports it (no state value can be this object). */
const ABSENT: unique symbol = Symbol('absent');

/** One partition of a mapWithState RDD: its state map and what the mapping function emitted (Spark's record). */
export interface MapWithStateRDDRecord<K, S, M> {
  readonly stateMap: StateMap<K, S>;
  readonly mappedData: M[];
}

/**
 * Spark's `MapWithStateRDDRecord.updateRecordWithData`: a new version of the previous state map, the function
 * called once per data record in order (each call sees the state the previous one left), then, when
 * `removeTimedoutData` and a threshold are given, once per state last updated strictly before the threshold
 * (timing out, no value), which is then removed.
 */
export function updateRecordWithData<K, V, S, M>(
  prevRecord: MapWithStateRDDRecord<K, S, M> | undefined,
  data: ReadonlyArray<readonly [K, V]>,
  mappingFunction: InternalMappingFunction<K, V, S, M>,
  batchTime: Time,
  timeoutThresholdTime: number | undefined,
  removeTimedoutData: boolean,
  conf?: SparkConf,
): MapWithStateRDDRecord<K, S, M> {
  const newStateMap = prevRecord ? prevRecord.stateMap.copy() : OpenHashMapBasedStateMap.create<K, S>(conf);
  const mappedData: M[] = [];
  const state = new StateImpl<S>();
  const t = batchTime.milliseconds;
  const hasTimeout = timeoutThresholdTime !== undefined;
  for (let i = 0; i < data.length; i++) {
    const key = data[i][0];
    const current = newStateMap.getOrElse(key, ABSENT);
    if (current === ABSENT) state.wrap(false);
    else state.wrap(true, current as S);
    mappingFunction(batchTime, key, data[i][1], state, mappedData);
    if (state.isRemoved()) newStateMap.remove(key);
    else if (state.isUpdated() || (state.exists() && hasTimeout)) newStateMap.put(key, state.get(), t);
  }
  if (removeTimedoutData && hasTimeout) {
    for (const [key, s] of newStateMap.getByTime(timeoutThresholdTime)) {
      state.wrapTimingOutState(s);
      mappingFunction(batchTime, key, undefined, state, mappedData);
      newStateMap.remove(key);
    }
  }
  return { stateMap: newStateMap, mappedData };
}

/** Where the first state of a MapWithStateRDD comes from. */
export type MapWithStateSource<K, S, M> =
  /** The previous batch's RDD, partitioned by the same partitioner: its maps are copied as they are. */
  | { readonly kind: 'previous'; readonly rdd: MapWithStateRDD<K, unknown, S, M> }
  /** `[key, [state, updateTime]]` entries to partition and load (initial state, or a differently partitioned state). */
  | { readonly kind: 'entries'; readonly rdd: RDD<[K, [S, number]]> };

/**
 * Spark's `MapWithStateRDD`: one {@link MapWithStateRDDRecord} per partition, made from the same partition of the
 * previous state and of the batch's data (shuffled to the state's partitioner). Timeouts are looked for only when
 * the RDD is marked for a full scan, which the stream does on the batches where its state is checkpointed.
 */
export class MapWithStateRDD<K, V, S, M> extends MaterializedRDD<MapWithStateRDDRecord<K, S, M>, MapWithStateRDDRecord<K, S, M>> {
  private source: MapWithStateSource<K, S, M> | undefined;
  private entries: RDD<[K, [S, number]]> | undefined;
  private partitionedData: RDD<[K, V]> | undefined;
  private doFullScan = false;

  constructor(
    sc: SparkContext,
    source: MapWithStateSource<K, S, M>,
    data: RDD<[K, V]>,
    partitioner: Partitioner,
    private readonly mappingFunction: InternalMappingFunction<K, V, S, M>,
    readonly batchTime: Time,
    readonly timeoutThresholdTime: number | undefined,
    private readonly conf: SparkConf,
  ) {
    super(sc, 'mapWithState', partitioner);
    this.source = source;
    if (source.kind === 'entries') this.entries = source.rdd.partitionBy(partitioner);
    this.partitionedData = data.partitionBy(partitioner);
  }

  override get partitioner(): Partitioner {
    return this.statePartitioner;
  }

  /** Look for timed-out states when computing (Spark sets this in `MapWithStateRDD.checkpoint()`). */
  setFullScan(): void {
    this.doFullScan = true;
  }

  get fullScan(): boolean {
    return this.doFullScan;
  }

  protected parents(): RDD<unknown>[] {
    const out: RDD<unknown>[] = [];
    if (this.entries) out.push(this.entries as RDD<unknown>);
    else if (this.source) out.push(this.source.rdd as RDD<unknown>);
    if (this.partitionedData) out.push(this.partitionedData as RDD<unknown>);
    return out;
  }

  protected dropParents(): void {
    this.source = undefined;
    this.entries = undefined;
    this.partitionedData = undefined;
  }

  protected emit(record: MapWithStateRDDRecord<K, S, M>, sink: Sink<MapWithStateRDDRecord<K, S, M>>): void {
    sink(record);
  }

  /** The record of partition `index`. */
  record(index: number): MapWithStateRDDRecord<K, S, M> | Promise<MapWithStateRDDRecord<K, S, M>> {
    return this.payload(index);
  }

  protected async computePayload(index: number, context: TaskContext): Promise<MapWithStateRDDRecord<K, S, M>> {
    const prev = await this.previousRecord(index, context);
    const data = this.partitionedData ? await readPartition(this.partitionedData, index, context) : [];
    return updateRecordWithData(prev, data, this.mappingFunction, this.batchTime, this.timeoutThresholdTime, this.doFullScan, this.conf);
  }

  private async previousRecord(index: number, context: TaskContext): Promise<MapWithStateRDDRecord<K, S, M>> {
    const source = this.source;
    if (source?.kind === 'previous') {
      await source.rdd.materializeAll();
      return source.rdd.payload(index);
    }
    const map = OpenHashMapBasedStateMap.create<K, S>(this.conf);
    if (this.entries) {
      const entries = await readPartition(this.entries, index, context);
      for (let i = 0; i < entries.length; i++) map.put(entries[i][0], entries[i][1][0], entries[i][1][1]);
    }
    return { stateMap: map, mappedData: [] };
  }
}
