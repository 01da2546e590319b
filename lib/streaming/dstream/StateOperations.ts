/**
 * The stateful operations of pair {@link DStream}s (Spark's `updateStateByKey` overloads and `mapWithState`), added
 * to the class here (declaration merging) so that DStream.ts never imports its subclasses. Both need
 * `ssc.checkpoint(dir)`.
 *
 * `updateStateByKey` forms (Scala overloads; told apart at run time by the third argument and the function's
 * declared parameter count):
 * - `updateStateByKey((values, state) => newState | undefined[, numPartitions | partitioner[, initialRDD]])`
 *   (`null`, PySpark's `None`, removes the key as `undefined` does)
 * - `updateStateByKey((iterator of [key, values, state]) => iterable of [key, state], partitioner, rememberPartitioner[, initialRDD])`
 * - `updateStateByKey((time, key, values, state) => newState | undefined, partitioner, rememberPartitioner[, initialRDD])`
 *   (a function of exactly four declared parameters).
 */
import './DStreamOperations';
import './PairDStreamFunctions';
import { IllegalArgumentException } from '../../core/errors';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import type { UpdateFunction } from '../rdd/StateRDD';
import type { StateSpec } from '../state/StateSpec';
import { DStream } from './DStream';
import { MapWithStateDStream } from './MapWithStateDStream';
import { type PartitionArg, streamPartitioner } from './PairDStreamFunctions';
import { StateDStream } from './StateDStream';

/**
 * Other implementations of the state operators, for streams they claim (installed by receivers/kafka: group mode
 * keeps the state per input partition with a changelog). Each returns its stream, or undefined to leave the stream
 * to Spark's operators below.
 */
export const stateOperatorOverrides: {
  updateStateByKey?: <K, V, S>(stream: DStream<[K, V]>, form: UpdateFunction<K, V, S>, partitioner: PartitionArg | undefined, initialRDD: RDD<[K, S]> | undefined) => DStream<[K, S]> | undefined;
  mapWithState?: <K, V, S, M>(stream: DStream<[K, V]>, spec: StateSpec<K, V, S, M>) => MapWithStateDStream<K, V, S, M> | undefined;
} = {};

declare module './DStream' {
  // T must be declared for the interface to merge with the class, though pair functions do not use it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface DStream<T> {
    /**
     * Spark's `updateStateByKey(updateFunc[, numPartitions | partitioner[, initialRDD]])`: the function runs every
     * batch for every key with a state or new values (`values` is `[]` without new values); `undefined` (Scala's
     * `None`) or `null` (PySpark's `None`) removes the key. The stream's RDDs are the whole state.
     */
    updateStateByKey<K, V, S>(
      this: DStream<[K, V]>,
      updateFunc: (values: V[], state: S | undefined) => S | null | undefined,
      partitioner?: PartitionArg,
      initialRDD?: RDD<[K, S]>,
    ): DStream<[K, S]>;
    /**
     * Spark's iterator form: `updateFunc` gets each partition's `[key, values, state]` triples and returns the
     * partition's new `[key, state]` pairs (keys it leaves out are removed). `rememberPartitioner` keeps the
     * partitioner on the result (else the state is shuffled again next batch).
     */
    updateStateByKey<K, V, S>(
      this: DStream<[K, V]>,
      updateFunc: (it: Iterable<[K, V[], S | undefined]>) => Iterable<[K, S]>,
      partitioner: PartitionArg,
      rememberPartitioner: boolean,
      initialRDD?: RDD<[K, S]>,
    ): DStream<[K, S]>;
    /** Spark's form with the batch time and key: `(time, key, values, state) => newState | null | undefined`. */
    updateStateByKey<K, V, S>(
      this: DStream<[K, V]>,
      updateFunc: (time: Time, key: K, values: V[], state: S | undefined) => S | null | undefined,
      partitioner: PartitionArg,
      rememberPartitioner: boolean,
      initialRDD?: RDD<[K, S]>,
    ): DStream<[K, S]>;
    /**
     * Spark's `mapWithState(spec)`: the spec's function runs once per data record (in order, each call seeing the
     * state the previous left) and once for each state timing out; the stream is what it returns, and
     * `stateSnapshots()` the states.
     */
    mapWithState<K, V, S, M>(this: DStream<[K, V]>, spec: StateSpec<K, V, S, M>): MapWithStateDStream<K, V, S, M>;
  }
}

DStream.prototype.updateStateByKey = function <K, V, S>(
  this: DStream<[K, V]>,
  updateFunc: (...args: any[]) => any,
  partitioner?: PartitionArg,
  third?: boolean | RDD<[K, S]>,
  fourth?: RDD<[K, S]>,
): DStream<[K, S]> {
  if (typeof updateFunc !== 'function') throw new IllegalArgumentException('updateStateByKey needs an update function');
  const p = streamPartitioner(this as DStream<unknown>, partitioner);
  let form: UpdateFunction<K, V, S>;
  let rememberPartitioner = true;
  let initialRDD: RDD<[K, S]> | undefined;
  if (typeof third === 'boolean') {
    rememberPartitioner = third;
    initialRDD = fourth;
    if (updateFunc.length === 4) form = { kind: 'time', f: updateFunc };
    else if (updateFunc.length <= 1) form = { kind: 'iterator', f: updateFunc };
    else {
      throw new IllegalArgumentException(
        `updateStateByKey with rememberPartitioner takes an iterator function (1 parameter) or a (time, key, values, state) function (4 parameters); got a function of ${updateFunc.length} parameters`,
      );
    }
  } else {
    initialRDD = third;
    form = { kind: 'simple', f: updateFunc };
  }
  const other = stateOperatorOverrides.updateStateByKey?.(this, form, partitioner, initialRDD);
  if (other) return other;
  return new StateDStream<K, V, S>(this, form, p, rememberPartitioner, initialRDD);
} as DStream<unknown>['updateStateByKey'];

DStream.prototype.mapWithState = function <K, V, S, M>(this: DStream<[K, V]>, spec: StateSpec<K, V, S, M>): MapWithStateDStream<K, V, S, M> {
  return stateOperatorOverrides.mapWithState?.(this, spec) ?? new MapWithStateDStream<K, V, S, M>(this, spec);
};
