import type { SparkConf } from '../../core/SparkConf';
import type { Time } from '../../core/Time';
import { KeyMap, KeySet } from '../../rdd/KeyMap';
import type { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import type { Sink } from '../../rdd/Sink';
import type { SparkContext } from '../../rdd/SparkContext';
import type { TaskContext } from '../../rdd/TaskContext';
import { OpenHashMapBasedStateMap } from '../state/OpenHashMapBasedStateMap';
import type { StateMap } from '../state/StateMap';
import { MaterializedRDD, readPartition } from './MaterializedRDD';

/** The forms of `updateStateByKey`'s function (Spark's overloads). */
export type UpdateFunction<K, V, S> =
  /** `(values, state) => newState | undefined` (undefined removes the key); called for every key with state or data. */
  | { readonly kind: 'simple'; readonly f: (values: V[], state: S | undefined) => S | undefined }
  /** `(time, key, values, state) => newState | undefined`. */
  | { readonly kind: 'time'; readonly f: (time: Time, key: K, values: V[], state: S | undefined) => S | undefined }
  /** `(iterator of [key, values, state]) => iterator of [key, newState]`: the partition's whole new state. */
  | { readonly kind: 'iterator'; readonly f: (it: Iterable<[K, V[], S | undefined]>) => Iterable<[K, S]> };

/** A key without state, as `getOrElse` reports it. */
const ABSENT: unique symbol = Symbol('absent');

/** The values a key without new data gets: shared, so frozen. */
const NO_VALUES: readonly never[] = Object.freeze([]);

/**
 * The RDD of `updateStateByKey` at one batch: each partition is a {@link StateMap} (a new version of the previous
 * batch's map for the same partition, see OpenHashMapBasedStateMap.ts) and its elements are the `[key, state]`
 * pairs. The batch's data is shuffled to the state's partitioner; the previous state, already partitioned that way,
 * is not moved. Spark builds the same result with `cogroup` + `mapPartitions` over plain pair RDDs.
 */
export class StateRDD<K, V, S> extends MaterializedRDD<[K, S], StateMap<K, S>> {
  private prevState: RDD<[K, S]> | undefined;
  private prevShuffled: RDD<[K, S]> | undefined;
  private partitionedData: RDD<[K, V]> | undefined;

  constructor(
    /** The previous batch's state (a StateRDD or, after a restart, any pair RDD), or none. */
    prevState: RDD<[K, S]> | undefined,
    /** The batch's data, or none (Spark's `None`: every key with state is updated with no values). */
    data: RDD<[K, V]> | undefined,
    partitioner: Partitioner,
    private readonly update: UpdateFunction<K, V, S>,
    readonly batchTime: Time,
    private readonly rememberPartitioner: boolean,
    private readonly conf: SparkConf,
    sc: SparkContext,
  ) {
    super(sc, 'updateStateByKey', partitioner);
    this.prevState = prevState;
    if (prevState !== undefined && !StateRDD.isStateOf(prevState, partitioner)) this.prevShuffled = prevState.partitionBy(partitioner);
    this.partitionedData = data?.partitionBy(partitioner);
  }

  /** Whether `rdd` is a StateRDD whose maps can be used as they are for `partitioner`. */
  private static isStateOf(rdd: RDD<unknown>, partitioner: Partitioner): boolean {
    return rdd instanceof StateRDD && partitioner.equals(rdd.partitioner);
  }

  override get partitioner(): Partitioner | undefined {
    return this.rememberPartitioner ? this.statePartitioner : undefined;
  }

  protected parents(): RDD<unknown>[] {
    const out: RDD<unknown>[] = [];
    if (this.prevShuffled) out.push(this.prevShuffled as RDD<unknown>);
    else if (this.prevState) out.push(this.prevState as RDD<unknown>);
    if (this.partitionedData) out.push(this.partitionedData as RDD<unknown>);
    return out;
  }

  protected dropParents(): void {
    this.prevState = undefined;
    this.prevShuffled = undefined;
    this.partitionedData = undefined;
  }

  protected emit(map: StateMap<K, S>, sink: Sink<[K, S]>): void {
    map.forEach((k, s) => sink([k, s]));
  }

  /** The state map of partition `index` (for the checkpoint machinery and tests). */
  stateMap(index: number): StateMap<K, S> | Promise<StateMap<K, S>> {
    return this.payload(index);
  }

  protected async computePayload(index: number, context: TaskContext): Promise<StateMap<K, S>> {
    const prevMap = await this.previousMap(index, context);
    const data = this.partitionedData ? await readPartition(this.partitionedData, index, context) : [];
    const newMap = prevMap.copy();
    const grouped = new KeyMap<K, V[]>();
    for (let i = 0; i < data.length; i++) {
      const [k, v] = data[i];
      const vs = grouped.get(k);
      if (vs === undefined) grouped.set(k, [v]);
      else vs.push(v);
    }
    const t = this.batchTime.milliseconds;
    const u = this.update;
    if (u.kind === 'iterator') {
      this.applyIterator(u.f, prevMap, newMap, grouped, t);
      return newMap;
    }
    const setState = (k: K, had: boolean, old: S | undefined, s: S | undefined): void => {
      if (s === undefined) {
        if (had) newMap.remove(k);
      } else if (!had || s !== old) {
        newMap.put(k, s, t);
      }
    };
    const call: (k: K, vs: V[], s: S | undefined) => S | undefined =
      u.kind === 'simple' ? (_k, vs, s) => u.f(vs, s) : (k, vs, s) => u.f(this.batchTime, k, vs, s);
    grouped.forEach((vs, k) => {
      const cur = prevMap.getOrElse(k, ABSENT);
      const had = cur !== ABSENT;
      const old = had ? (cur as S) : undefined;
      setState(k, had, old, call(k, vs, old));
    });
    prevMap.forEach((k, s) => {
      if (grouped.has(k)) return;
      setState(k, true, s, call(k, NO_VALUES as unknown as V[], s));
    });
    return newMap;
  }

  private applyIterator(
    f: (it: Iterable<[K, V[], S | undefined]>) => Iterable<[K, S]>,
    prevMap: StateMap<K, S>,
    newMap: StateMap<K, S>,
    grouped: KeyMap<K, V[]>,
    t: number,
  ): void {
    function* input(): Generator<[K, V[], S | undefined]> {
      for (const [k, vs] of grouped.entries()) yield [k, vs, prevMap.has(k) ? prevMap.get(k) : undefined];
      for (const [k, s] of prevMap.getAll()) if (!grouped.has(k)) yield [k, NO_VALUES as unknown as V[], s];
    }
    const seen = new KeySet<K>();
    for (const [k, s] of f(input())) {
      seen.add(k);
      if (!prevMap.has(k) || prevMap.get(k) !== s) newMap.put(k, s, t);
    }
    prevMap.forEach((k) => {
      if (!seen.has(k)) newMap.remove(k);
    });
  }

  private async previousMap(index: number, context: TaskContext): Promise<StateMap<K, S>> {
    const prev = this.prevState;
    if (prev === undefined) return OpenHashMapBasedStateMap.create<K, S>(this.conf);
    if (this.prevShuffled === undefined) {
      const chained = prev as unknown as StateRDD<K, V, S>;
      await chained.materializeAll();
      return chained.payload(index);
    }
    const pairs = await readPartition(this.prevShuffled, index, context);
    const map = OpenHashMapBasedStateMap.create<K, S>(this.conf);
    const t = this.batchTime.milliseconds;
    for (let i = 0; i < pairs.length; i++) map.put(pairs[i][0], pairs[i][1], t);
    return map;
  }
}
