import type { Duration } from '../../../lib/core/Duration';
import { IllegalStateException } from '../../../lib/core/errors';
import type { Time } from '../../../lib/core/Time';
import { KeyMap } from '../../../lib/rdd/KeyMap';
import type { RDD } from '../../../lib/rdd/RDD';
import type { Sink } from '../../../lib/rdd/Sink';
import { DEFAULT_CHECKPOINT_DURATION_MULTIPLIER } from '../../../lib/streaming/dstream/InternalMapWithStateDStream';
import { DStream } from '../../../lib/streaming/dstream/DStream';
import { MapWithStateDStream } from '../../../lib/streaming/dstream/MapWithStateDStream';
import { StateImpl } from '../../../lib/streaming/state/State';
import type { InternalMappingFunction, StateSpec } from '../../../lib/streaming/state/StateSpec';
import { StorageLevel } from '../../../lib/storage/StorageLevel';
import { TopicPartition } from '../TopicPartition';
import type { TransactionRecord } from './BatchCommitter';
import { GroupStateSource } from './GroupStateSource';
import { PartitionedStateRDD, type PartitionUpdater } from './PartitionedStateRDD';
import type { PartitionStateStore } from './PartitionStateStore';
import { timedStateCodec } from './StateChangelog';

/** One input partition of one batch of a group-mode mapWithState: what the function emitted, and the state after it. */
export interface PartitionMapWithStateRecord<K, S, M> {
  readonly mappedData: M[];
  readonly store: PartitionStateStore<K, S, unknown>;
}

type Rec<K, S, M> = PartitionMapWithStateRecord<K, S, M>;

/**
 * The state stream behind a group-mode `mapWithState` (Spark's `InternalMapWithStateDStream`, kept per input
 * partition as {@link PartitionedStateDStream} is): one record per input partition and batch, the mapping function
 * called once per record in the partition's order, then, on full-scan batches (every `checkpoint(interval)`,
 * by default 10 batches, as Spark), once per state idle longer than the spec's timeout. Every key put or removed goes
 * to the changelog, with its update time, so timeouts continue on the member that gains the partition.
 */
export class PartitionedInternalMapWithStateDStream<K, V, S, M> extends DStream<Rec<K, S, M>> implements PartitionUpdater<[K, V], Rec<K, S, M>> {
  readonly source: GroupStateSource<K, S, Rec<K, S, M>>;
  /** Timeouts are looked for on batches at multiples of this (Spark: the checkpoint interval). */
  fullScanInterval: Duration | undefined;
  private readonly mappingFunction: InternalMappingFunction<K, V, S, M>;

  constructor(
    readonly parent: DStream<[K, V]>,
    readonly spec: StateSpec<K, V, S, M>,
  ) {
    super(parent.ssc, 'mapWithState');
    this.persist(StorageLevel.MEMORY_ONLY);
    const f = spec.getFunction();
    if (f === undefined) throw new IllegalStateException('Mapping function not set');
    this.mappingFunction = f;
    this.source = new GroupStateSource<K, S, Rec<K, S, M>>(this as DStream<unknown>, 'mapWithState', timedStateCodec<S>());
  }

  override get className(): string {
    return 'PartitionedInternalMapWithStateDStream';
  }

  get name(): string {
    return this.source.streamName;
  }

  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.parent as DStream<unknown>];
  }

  compute(validTime: Time): RDD<Rec<K, S, M>> | undefined {
    const data = this.parent.getOrCompute(validTime);
    if (data === undefined) return undefined;
    return new PartitionedStateRDD<[K, V], Rec<K, S, M>>(data, this as PartitionUpdater<[K, V], Rec<K, S, M>>, validTime, 'mapWithState');
  }

  store(partition: string): PartitionStateStore<unknown, unknown, Rec<K, S, M>> | undefined {
    return this.source.stores.get(partition) as PartitionStateStore<unknown, unknown, Rec<K, S, M>> | undefined;
  }

  apply(s: PartitionStateStore<unknown, unknown, Rec<K, S, M>>, partition: string, records: [K, V][], time: Time, sink: Sink<Rec<K, S, M>>): void {
    const store = s as unknown as PartitionStateStore<K, S, Rec<K, S, M>>;
    const map = store.map;
    const t = time.milliseconds;
    const timeout = this.spec.getTimeoutInterval();
    const hasTimeout = timeout !== undefined;
    const changed = new KeyMap<K, true>();
    const mappedData: M[] = [];
    const state = new StateImpl<S>();
    const f = this.mappingFunction;
    for (let i = 0; i < records.length; i++) {
      const key = records[i][0];
      const current = map.get(key);
      if (current === undefined) {
        this.source.stores.checkNewKey(key, partition);
        state.wrap(false);
      } else state.wrap(true, current.state);
      f(time, key, records[i][1], state, mappedData);
      if (state.isRemoved()) {
        if (current !== undefined) {
          map.delete(key);
          changed.set(key, true);
        }
      } else if (state.isUpdated() || (state.exists() && hasTimeout)) {
        map.set(key, { state: state.get(), updatedMs: t });
        changed.set(key, true);
      }
    }
    if (hasTimeout && this.isFullScan(time)) {
      const threshold = t - timeout.milliseconds;
      const timedOut: [K, S][] = [];
      map.forEach((e, k) => {
        if (e.updatedMs < threshold) timedOut.push([k, e.state]);
      });
      for (const [key, st] of timedOut) {
        state.wrapTimingOutState(st);
        f(time, key, undefined, state, mappedData);
        map.delete(key);
        changed.set(key, true);
      }
    }
    const p = TopicPartition.parse(partition).partition;
    const changes: TransactionRecord[] = [];
    changed.forEach((_v, k) => changes.push(this.source.changelog.record(p, k, map.get(k))));
    store.lastBatchMs = t;
    const rec: Rec<K, S, M> = { mappedData, store: store as PartitionStateStore<K, S, unknown> };
    store.lastOutput = [rec];
    this.source.write(t, partition, changes);
    sink(rec);
  }

  replay(s: PartitionStateStore<unknown, unknown, Rec<K, S, M>>, sink: Sink<Rec<K, S, M>>): void {
    for (const r of s.lastOutput) sink(r);
  }

  private isFullScan(time: Time): boolean {
    const interval = this.fullScanInterval ?? this.slideDuration.times(DEFAULT_CHECKPOINT_DURATION_MULTIPLIER);
    return time.minus(this.zeroTime!).isMultipleOf(interval);
  }
}

/**
 * What `mapWithState` returns in group mode: Spark's `MapWithStateDStream` (the mapped data, and
 * {@link stateSnapshots}) over {@link PartitionedInternalMapWithStateDStream}. `checkpoint(interval)` sets how often
 * timeouts are looked for; the state itself is in the changelog, not in checkpoint files.
 */
export class PartitionedMapWithStateDStream<K, V, S, M> extends MapWithStateDStream<K, V, S, M> {
  readonly partitioned: PartitionedInternalMapWithStateDStream<K, V, S, M>;

  constructor(dataStream: DStream<[K, V]>, spec: StateSpec<K, V, S, M>) {
    super(dataStream, spec);
    this.partitioned = new PartitionedInternalMapWithStateDStream<K, V, S, M>(dataStream, spec);
  }

  override get className(): string {
    return 'PartitionedMapWithStateDStream';
  }

  override get slideDuration(): Duration {
    return this.partitioned.slideDuration;
  }

  override get dependencies(): readonly DStream<unknown>[] {
    return [this.partitioned as DStream<unknown>];
  }

  override compute(validTime: Time): RDD<M> | undefined {
    return this.partitioned.getOrCompute(validTime)?.flatMap((r) => r.mappedData);
  }

  override checkpoint(interval: Duration): this {
    this.partitioned.fullScanInterval = interval;
    return this;
  }

  /** Every batch, every key's state on this member (its partitions'). */
  override stateSnapshots(): DStream<[K, S]> {
    return this.partitioned.flatMap((r) => {
      const out: [K, S][] = [];
      r.store.map.forEach((e, k) => out.push([k, e.state]));
      return out;
    });
  }
}
