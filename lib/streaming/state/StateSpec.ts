import type { Duration } from '../../core/Duration';
import { requireThat } from '../../core/errors';
import type { Time } from '../../core/Time';
import { HashPartitioner, type Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import type { State } from './State';

/** The simple mapping function: its result is always emitted (Spark's `(K, Option[V], State[S]) => M`). */
export type MappingFunction<K, V, S, M> = (key: K, value: V | undefined, state: State<S>) => M;

/**
 * The mapping function with the batch time: an `undefined` result emits nothing (Spark's
 * `(Time, K, Option[V], State[S]) => Option[M]`). `value` is `undefined` when the state is timing out.
 */
export type MappingFunctionWithTime<K, V, S, M> = (time: Time, key: K, value: V | undefined, state: State<S>) => M | undefined;

/** Both forms as one: appends what the call emits to `mapped`. */
export type InternalMappingFunction<K, V, S, M> = (time: Time, key: K, value: V | undefined, state: State<S>, mapped: M[]) => void;

/**
 * Everything `mapWithState` needs: Spark's `StateSpec`. Built with `StateSpec.function(fn)` and the chainable
 * `initialState(rdd)`, `numPartitions(n)`, `partitioner(p)` and `timeout(idleDuration)`.
 *
 * `StateSpec.function` takes either form and tells them apart by the function's declared parameter count
 * (`fn.length`): four parameters is the form with the batch time, fewer is the simple form. A function whose
 * `length` does not say (rest or default parameters) should use {@link StateSpec.functionWithTime} or
 * {@link StateSpec.simpleFunction}.
 */
export class StateSpec<K, V, S, M> {
  private initialStateRDD: RDD<[K, S]> | undefined;
  private statePartitioner: Partitioner | undefined;
  private timeoutInterval: Duration | undefined;

  private constructor(private readonly mappingFunction: InternalMappingFunction<K, V, S, M>) {}

  /** Spark's `StateSpec.function(f)`: the simple form `(key, value, state) => M` or the form with time (4 parameters). */
  static function<K, V, S, M>(f: MappingFunction<K, V, S, M>): StateSpec<K, V, S, M>;
  static function<K, V, S, M>(f: MappingFunctionWithTime<K, V, S, M>): StateSpec<K, V, S, M>;
  static function<K, V, S, M>(f: MappingFunction<K, V, S, M> | MappingFunctionWithTime<K, V, S, M>): StateSpec<K, V, S, M> {
    requireThat(typeof f === 'function', 'Mapping function must be a function');
    if (f.length >= 4) return StateSpec.functionWithTime(f as MappingFunctionWithTime<K, V, S, M>);
    return StateSpec.simpleFunction(f as MappingFunction<K, V, S, M>);
  }

  /** The form with the batch time, whatever the function's `length`. */
  static functionWithTime<K, V, S, M>(f: MappingFunctionWithTime<K, V, S, M>): StateSpec<K, V, S, M> {
    requireThat(typeof f === 'function', 'Mapping function must be a function');
    return new StateSpec<K, V, S, M>((time, key, value, state, mapped) => {
      const r = f(time, key, value, state);
      if (r !== undefined) mapped.push(r);
    });
  }

  /** The simple form, whatever the function's `length`. */
  static simpleFunction<K, V, S, M>(f: MappingFunction<K, V, S, M>): StateSpec<K, V, S, M> {
    requireThat(typeof f === 'function', 'Mapping function must be a function');
    return new StateSpec<K, V, S, M>((_time, key, value, state, mapped) => {
      mapped.push(f(key, value, state));
    });
  }

  /** The states to start from (Spark's `initialState(rdd)`); they get the first batch's time as update time. */
  initialState(rdd: RDD<[K, S]>): this {
    this.initialStateRDD = rdd;
    return this;
  }

  /** `partitioner(new HashPartitioner(n))`. */
  numPartitions(n: number): this {
    return this.partitioner(new HashPartitioner(n));
  }

  /** How the state is partitioned (default `HashPartitioner(sc.defaultParallelism)`). */
  partitioner(p: Partitioner): this {
    this.statePartitioner = p;
    return this;
  }

  /**
   * Keys idle (no data) for longer than this are timed out: the function is called once more with no value and
   * `state.isTimingOut()`, then the state is removed. Checked on the batches where the state is checkpointed.
   */
  timeout(idleDuration: Duration): this {
    this.timeoutInterval = idleDuration;
    return this;
  }

  getFunction(): InternalMappingFunction<K, V, S, M> {
    return this.mappingFunction;
  }

  getInitialStateRDD(): RDD<[K, S]> | undefined {
    return this.initialStateRDD;
  }

  getPartitioner(): Partitioner | undefined {
    return this.statePartitioner;
  }

  getTimeoutInterval(): Duration | undefined {
    return this.timeoutInterval;
  }
}
