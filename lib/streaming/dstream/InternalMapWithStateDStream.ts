import type { Duration } from '../../core/Duration';
import { IllegalStateException } from '../../core/errors';
import type { Time } from '../../core/Time';
import { HashPartitioner, type Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import { StorageLevel } from '../../storage/StorageLevel';
import { MapWithStateRDD, type MapWithStateRDDRecord, type MapWithStateSource } from '../rdd/MapWithStateRDD';
import type { StateMap } from '../state/StateMap';
import type { InternalMappingFunction, StateSpec } from '../state/StateSpec';
import { DStream } from './DStream';

/** Spark's `DEFAULT_CHECKPOINT_DURATION_MULTIPLIER`: mapWithState checkpoints every 10 batches by default. */
export const DEFAULT_CHECKPOINT_DURATION_MULTIPLIER = 10;

/**
 * The state stream behind `mapWithState`: Spark's `InternalMapWithStateDStream`. Each RDD has one
 * {@link MapWithStateRDDRecord} per partition (state map + mapped data), made from the previous batch's RDD and
 * the batch's data shuffled to the state's partitioner. Persisted MEMORY_ONLY; must be checkpointed, by default
 * every 10 slides. Timed-out states are looked for only on the batches whose RDD is marked for checkpointing.
 */
export class InternalMapWithStateDStream<K, V, S, M> extends DStream<MapWithStateRDDRecord<K, S, M>> {
  override mustCheckpoint = true;
  readonly partitioner: Partitioner;
  private readonly mappingFunction: InternalMappingFunction<K, V, S, M>;

  constructor(
    readonly parent: DStream<[K, V]>,
    readonly spec: StateSpec<K, V, S, M>,
  ) {
    super(parent.ssc, 'mapWithState');
    this.persist(StorageLevel.MEMORY_ONLY);
    this.partitioner = spec.getPartitioner() ?? new HashPartitioner(this.ssc.sparkContext.defaultParallelism);
    const f = spec.getFunction();
    if (f === undefined) throw new IllegalStateException('Mapping function not set');
    this.mappingFunction = f;
  }

  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.parent as DStream<unknown>];
  }

  /** 10 x the slide (Spark sets this in `initialize`), not the 10 s rule of other stateful streams. */
  protected override defaultCheckpointDuration(): Duration {
    return this.slideDuration.times(DEFAULT_CHECKPOINT_DURATION_MULTIPLIER);
  }

  compute(validTime: Time): RDD<MapWithStateRDDRecord<K, S, M>> {
    const sc = this.ssc.sparkContext;
    const prev = this.getOrCompute(validTime.minus(this.slideDuration));
    let source: MapWithStateSource<K, S, M>;
    if (prev instanceof MapWithStateRDD && this.partitioner.equals(prev.partitioner)) {
      source = { kind: 'previous', rdd: prev as MapWithStateRDD<K, unknown, S, M> };
    } else if (prev !== undefined) {
      // Restored or differently partitioned state: Spark's createFromRDD (entries keep their update times).
      const entries = prev.flatMap((r) => r.stateMap.getAll().map(([k, s, t]) => [k, [s, t]] as [K, [S, number]]));
      source = { kind: 'entries', rdd: entries };
    } else {
      const t = validTime.milliseconds;
      const initial = this.spec.getInitialStateRDD() ?? sc.emptyRDD<[K, S]>();
      source = { kind: 'entries', rdd: initial.map(([k, s]) => [k, [s, t]] as [K, [S, number]]) };
    }
    const data = this.parent.getOrCompute(validTime) ?? sc.emptyRDD<[K, V]>();
    const timeout = this.spec.getTimeoutInterval();
    const threshold = timeout === undefined ? undefined : validTime.minus(timeout).milliseconds;
    return new MapWithStateRDD<K, V, S, M>(sc, source, data, this.partitioner, this.mappingFunction, validTime, threshold, this.ssc.conf);
  }

  /** On the checkpoint batches, also time out idle states (Spark's `MapWithStateRDD.checkpoint()` sets `doFullScan`). */
  protected override markForCheckpoint(rdd: RDD<MapWithStateRDDRecord<K, S, M>>, time: Time): void {
    if (rdd instanceof MapWithStateRDD) rdd.setFullScan();
    super.markForCheckpoint(rdd, time);
  }

  /**
   * Makes the `[key, state, updateTime]` entries this stream's state at `time` (a state read back from a
   * checkpoint; Spark's `MapWithStateRDD.createFromRDD`): the batch after `time` continues from it.
   */
  restoreState(time: Time, entries: RDD<[K, S, number]>): void {
    const sc = this.ssc.sparkContext;
    const noop: InternalMappingFunction<K, V, S, M> = () => undefined;
    const source: MapWithStateSource<K, S, M> = { kind: 'entries', rdd: entries.map(([k, s, t]) => [k, [s, t]] as [K, [S, number]]) };
    this.generatedRDDs.set(
      time.milliseconds,
      new MapWithStateRDD<K, V, S, M>(sc, source, sc.emptyRDD<[K, V]>(), this.partitioner, noop, time, undefined, this.ssc.conf),
    );
  }

  /** The per-partition state maps at `time` (for incremental checkpoints; see StateDStream.stateMapsAt). */
  async stateMapsAt(time: Time): Promise<StateMap<K, S>[] | undefined> {
    const rdd = this.getOrCompute(time);
    if (!(rdd instanceof MapWithStateRDD)) return undefined;
    const state = rdd as MapWithStateRDD<K, V, S, M>;
    await state.materializeAll();
    const out: StateMap<K, S>[] = [];
    for (let i = 0; i < state.getNumPartitions(); i++) out.push((await state.record(i)).stateMap);
    return out;
  }
}
