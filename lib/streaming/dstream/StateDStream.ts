import type { Duration } from '../../core/Duration';
import type { Time } from '../../core/Time';
import type { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import { StorageLevel } from '../../storage/StorageLevel';
import { StateRDD, type UpdateFunction } from '../rdd/StateRDD';
import type { StateMap } from '../state/StateMap';
import { DStream } from './DStream';

/**
 * `updateStateByKey`: Spark's `StateDStream`. Each batch's RDD holds the whole state, `[key, state]` pairs, built
 * from the previous batch's state and the batch's data: the update function runs for every key that has a state or
 * new values (values `[]` when it has none), and returning `undefined` (or `null`, PySpark's `None`) removes the key.
 *
 * - first batch (no previous state): keys with data only, or the `initialRDD`'s keys and the keys with data;
 * - the parent has no RDD (Spark's `None`): every key with state is updated with no values (first batch: no RDD).
 *
 * Each partition is a state map (OpenHashMapBasedStateMap.ts): the batch's data is shuffled to the state's
 * partitioner and the state stays where it is. The stream is persisted (MEMORY_ONLY_SER, the state maps being the
 * stored form) and must be checkpointed (`mustCheckpoint`).
 */
export class StateDStream<K, V, S> extends DStream<[K, S]> {
  override mustCheckpoint = true;

  constructor(
    readonly parent: DStream<[K, V]>,
    private readonly updateFunc: UpdateFunction<K, V, S>,
    readonly partitioner: Partitioner,
    readonly rememberPartitioner: boolean,
    readonly initialRDD: RDD<[K, S]> | undefined,
  ) {
    super(parent.ssc, 'updateStateByKey');
    this.persist(StorageLevel.MEMORY_ONLY_SER);
  }

  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.parent as DStream<unknown>];
  }

  compute(validTime: Time): RDD<[K, S]> | undefined {
    const prev = this.getOrCompute(validTime.minus(this.slideDuration));
    const data = this.parent.getOrCompute(validTime);
    if (prev === undefined && data === undefined) return undefined;
    return new StateRDD<K, V, S>(
      prev ?? this.initialRDD,
      data,
      this.partitioner,
      this.updateFunc,
      validTime,
      this.rememberPartitioner,
      this.ssc.conf,
      this.ssc.sparkContext,
    );
  }

  /**
   * Makes `state` this stream's RDD at `time` (a state read back from a checkpoint): the batch after `time`
   * continues from it, after shuffling it once to the stream's partitioner.
   */
  restoreState(time: Time, state: RDD<[K, S]>): void {
    this.generatedRDDs.set(time.milliseconds, state);
  }

  /**
   * The per-partition state maps at `time` (computing them if needed), for incremental checkpoints:
   * `map.changesSince(mapsAtLastCheckpoint[i])` is what changed, `map.getAll()` the whole state.
   */
  async stateMapsAt(time: Time): Promise<StateMap<K, S>[] | undefined> {
    const rdd = this.getOrCompute(time);
    if (!(rdd instanceof StateRDD)) return undefined;
    const state = rdd as StateRDD<K, V, S>;
    await state.materializeAll();
    const out: StateMap<K, S>[] = [];
    for (let i = 0; i < state.getNumPartitions(); i++) out.push(await state.stateMap(i));
    return out;
  }
}
