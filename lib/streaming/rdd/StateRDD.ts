import type { SparkConf } from '../../core/SparkConf';
import type { Time } from '../../core/Time';
import { type ApiFlavor, apiFlavor } from '../../rdd/ApiFlavor';
import { appendOnlyMapOrder } from '../../rdd/AppendOnlyMap';
import { keyHash } from '../../rdd/KeyHash';
import { KeySet } from '../../rdd/KeyMap';
import type { Partitioner } from '../../rdd/Partitioner';
import { PythonDict } from '../../rdd/PythonDict';
import type { RDD } from '../../rdd/RDD';
import type { Sink } from '../../rdd/Sink';
import type { SparkContext } from '../../rdd/SparkContext';
import type { TaskContext } from '../../rdd/TaskContext';
import { OpenHashMapBasedStateMap } from '../state/OpenHashMapBasedStateMap';
import type { StateMap } from '../state/StateMap';
import { MaterializedRDD, readPartition } from './MaterializedRDD';

/** The forms of `updateStateByKey`'s function (Spark's overloads). */
export type UpdateFunction<K, V, S> =
  /**
   * `(values, state) => newState | undefined` (undefined, or null as PySpark's None, removes the key); called for
   * every key with state or data.
   */
  | { readonly kind: 'simple'; readonly f: (values: V[], state: S | undefined) => S | null | undefined }
  /** `(time, key, values, state) => newState | null | undefined`. */
  | { readonly kind: 'time'; readonly f: (time: Time, key: K, values: V[], state: S | undefined) => S | null | undefined }
  /** `(iterator of [key, values, state]) => iterator of [key, newState]`: the partition's whole new state. */
  | { readonly kind: 'iterator'; readonly f: (it: Iterable<[K, V[], S | undefined]>) => Iterable<[K, S]> };

/**
 * One partition of a state RDD: the state map, and its keys with their states in Spark's output order (two plain
 * arrays, not one pair per key: the partition is kept for the stream's remember duration).
 */
export interface StatePartition<K, S> {
  readonly stateMap: StateMap<K, S>;
  readonly keys: K[];
  readonly states: S[];
  /** The keys' hashCodes (Scala flavour), so the next batch's AppendOnlyMap order does not hash them again. */
  readonly hashes: Int32Array | undefined;
}

/** A key without state. */
const ABSENT: unique symbol = Symbol('absent');

/** The values of a key without new data: shared, so frozen. */
const NO_VALUES: readonly never[] = Object.freeze([]);

/**
 * The RDD of `updateStateByKey` at one batch: each partition is a {@link StateMap} (a new version of the previous
 * batch's map for the same partition, see OpenHashMapBasedStateMap.ts) and its elements are the `[key, state]`
 * pairs, in the order Spark's update function produces them (see `group`). The batch's data is shuffled to the
 * state's partitioner; the previous state, already partitioned that way, is not moved. Spark builds the same result
 * with `cogroup` + `mapPartitions` over plain pair RDDs.
 */
export class StateRDD<K, V, S> extends MaterializedRDD<[K, S], StatePartition<K, S>> {
  private prevState: RDD<[K, S]> | undefined;
  private prevShuffled: RDD<[K, S]> | undefined;
  private partitionedData: RDD<[K, V]> | undefined;
  private readonly flavor: ApiFlavor;

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
    this.flavor = apiFlavor(sc);
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

  protected emit(part: StatePartition<K, S>, sink: Sink<[K, S]>): void {
    const { keys, states } = part;
    for (let i = 0; i < keys.length; i++) sink([keys[i], states[i]]);
  }

  /** The state map of partition `index` (for the checkpoint machinery and tests). */
  stateMap(index: number): StateMap<K, S> | Promise<StateMap<K, S>> {
    const p = this.payload(index);
    return p instanceof Promise ? p.then((x) => x.stateMap) : p.stateMap;
  }

  protected async computePayload(index: number, context: TaskContext): Promise<StatePartition<K, S>> {
    const prev = await this.previousPartition(index, context);
    const prevMap = prev.stateMap;
    const stateMap = prevMap.copy();
    if (!this.partitionedData && this.flavor === 'python') {
      // PythonStateDStream: no parent RDD, the last state as it was (Scala re-applies the update function).
      return { stateMap, keys: prev.keys, states: prev.states, hashes: prev.hashes };
    }
    const data = this.partitionedData ? await readPartition(this.partitionedData, index, context) : [];
    const t = this.batchTime.milliseconds;
    const u = this.update;
    const keys: K[] = [];
    const states: S[] = [];
    const hashes: number[] | undefined = this.flavor === 'scala' ? [] : undefined;
    if (u.kind === 'iterator') {
      const input: [K, V[], S | undefined][] = [];
      this.visit(prev, data, (k, vs, old) => void input.push([k, vs, old === ABSENT ? undefined : (old as S)]));
      const seen = new KeySet<K>();
      for (const [k, s] of u.f(input)) {
        seen.add(k);
        if (!prevMap.has(k) || prevMap.get(k) !== s) stateMap.put(k, s, t);
        keys.push(k);
        states.push(s);
      }
      prevMap.forEach((k) => {
        if (!seen.has(k)) stateMap.remove(k);
      });
      return { stateMap, keys, states, hashes: undefined };
    }
    const call: (k: K, vs: V[], s: S | undefined) => S | null | undefined =
      u.kind === 'simple' ? (_k, vs, s) => u.f(vs, s) : (k, vs, s) => u.f(this.batchTime, k, vs, s);
    this.visit(prev, data, (k, vs, old, h) => {
      const had = old !== ABSENT;
      const s = call(k, vs, had ? (old as S) : undefined);
      // undefined (Scala's None) or null (PySpark's None) removes the key.
      if (s === undefined || s === null) {
        if (had) stateMap.remove(k);
        return;
      }
      if (!had || s !== old) stateMap.put(k, s, t);
      keys.push(k);
      states.push(s);
      hashes?.push(h);
    });
    return { stateMap, keys, states, hashes: hashes && Int32Array.from(hashes) };
  }

  /**
   * Calls `f` with each key's values in this batch and previous state (ABSENT: none), in the order Spark hands them
   * to the update function: Scala `parentRDD.cogroup(prevStateRDD)` (a CoGroupedRDD: the data, then the state, into
   * one AppendOnlyMap, so the AppendOnlyMap order of the keys in that first-insertion order); PySpark
   * `prevState.cogroup(data)` (the state, then the data, into a dict: first-insertion order). Without a previous
   * state the data alone, as Spark's `groupByKey`. Only the batch's records go through a table; the state is walked
   * as it is. `h` is the key's hashCode (Scala flavour).
   */
  private visit(prev: StatePartition<K, S>, data: [K, V][], f: (k: K, vs: V[], old: S | typeof ABSENT, h: number) => void): void {
    const prevKeys = prev.keys;
    const prevStates = prev.states;
    const prevMap = prev.stateMap;
    const grouped = new PythonDict<K, V[]>();
    const one = (v: V): V[] => [v];
    const add = (vs: V[], v: V): V[] => (vs.push(v), vs);
    for (let i = 0; i < data.length; i++) grouped.combine(data[i][0], data[i][1], one, add);
    const dataKeys = grouped.keyArray;
    const dataValues = grouped.valueArray;
    const noValues = NO_VALUES as unknown as V[];
    if (this.flavor === 'python') {
      for (let i = 0; i < prevKeys.length; i++) {
        const j = grouped.indexOf(prevKeys[i]);
        f(prevKeys[i], j < 0 ? noValues : dataValues[j], prevStates[i], 0);
      }
      for (let j = 0; j < dataKeys.length; j++) if (!prevMap.has(dataKeys[j])) f(dataKeys[j], dataValues[j], ABSENT, 0);
      return;
    }
    // The insertion sequence: data keys (refs 0..D-1), then state-only keys (refs D + i); then its AppendOnlyMap order.
    const d = dataKeys.length;
    const seqHashes = new Int32Array(d + prevKeys.length);
    const seqRefs = new Int32Array(d + prevKeys.length);
    let n = 0;
    let nullIndex = -1;
    for (let j = 0; j < d; j++) {
      const k = dataKeys[j];
      if (k === null) nullIndex = n;
      else seqHashes[n] = keyHash(k);
      seqRefs[n++] = j;
    }
    const prevHashes = prev.hashes;
    for (let i = 0; i < prevKeys.length; i++) {
      const k = prevKeys[i];
      if (grouped.indexOf(k) >= 0) continue;
      if (k === null) nullIndex = n;
      else seqHashes[n] = prevHashes ? prevHashes[i] : keyHash(k);
      seqRefs[n++] = d + i;
    }
    const order = appendOnlyMapOrder(seqHashes, n, nullIndex);
    for (let o = 0; o < n; o++) {
      const at = order[o];
      const r = seqRefs[at];
      if (r < d) f(dataKeys[r], dataValues[r], prevMap.getOrElse(dataKeys[r], ABSENT), seqHashes[at]);
      else f(prevKeys[r - d], noValues, prevStates[r - d], seqHashes[at]);
    }
  }

  /** The previous state of partition `index`: a state map and its keys and states in the previous batch's order. */
  private async previousPartition(index: number, context: TaskContext): Promise<StatePartition<K, S>> {
    const prev = this.prevState;
    if (prev === undefined) return { stateMap: OpenHashMapBasedStateMap.create<K, S>(this.conf), keys: [], states: [], hashes: undefined };
    if (this.prevShuffled === undefined) {
      const chained = prev as unknown as StateRDD<K, V, S>;
      await chained.materializeAll();
      return chained.payload(index);
    }
    const pairs = await readPartition(this.prevShuffled, index, context);
    const stateMap = OpenHashMapBasedStateMap.create<K, S>(this.conf);
    const t = this.batchTime.milliseconds;
    const keys: K[] = [];
    const states: S[] = [];
    for (let i = 0; i < pairs.length; i++) {
      // A key given twice (an initial RDD may) keeps its first state: Spark's cogroup takes the head of its states.
      if (stateMap.has(pairs[i][0])) continue;
      stateMap.put(pairs[i][0], pairs[i][1], t);
      keys.push(pairs[i][0]);
      states.push(pairs[i][1]);
    }
    return { stateMap, keys, states, hashes: undefined };
  }
}
