import type { Duration } from '../../../lib/core/Duration';
import type { Time } from '../../../lib/core/Time';
import { KeyMap } from '../../../lib/rdd/KeyMap';
import type { RDD } from '../../../lib/rdd/RDD';
import type { Sink } from '../../../lib/rdd/Sink';
import { DStream } from '../../../lib/streaming/dstream/DStream';
import type { UpdateFunction } from '../../../lib/streaming/rdd/StateRDD';
import { StorageLevel } from '../../../lib/storage/StorageLevel';
import { TopicPartition } from '../TopicPartition';
import type { TransactionRecord } from './BatchCommitter';
import { GroupStateSource } from './GroupStateSource';
import { PartitionedStateRDD, type PartitionUpdater } from './PartitionedStateRDD';
import type { PartitionStateStore } from './PartitionStateStore';
import { stateCodec } from './StateChangelog';

type Store<K, S> = PartitionStateStore<K, S, [K, S]>;

/**
 * `updateStateByKey` in group mode: the state is kept per input partition (the records of a key are all in one Kafka
 * partition, so no shuffle is needed), each batch updates the partition's store in place, and every changed key goes
 * to the changelog topic in the partition's transaction. A partition this member gains is restored from its
 * changelog before its first batch here. Each RDD is this member's whole state, as Spark's: `[key, state]` for every
 * key of the partitions it owns. Spark's `StateDStream` with a Kafka-partition "partitioner"; Kafka Streams'
 * `aggregate` with a changelogged store. No shuffle, so the element order is the partition's, not Spark's.
 */
export class PartitionedStateDStream<K, V, S> extends DStream<[K, S]> implements PartitionUpdater<[K, V], [K, S]> {
  readonly source: GroupStateSource<K, S, [K, S]>;

  constructor(
    readonly parent: DStream<[K, V]>,
    private readonly updateFunc: UpdateFunction<K, V, S>,
  ) {
    super(parent.ssc, 'updateStateByKey');
    this.persist(StorageLevel.MEMORY_ONLY_SER);
    this.source = new GroupStateSource<K, S, [K, S]>(this as DStream<unknown>, 'updateStateByKey', stateCodec<S>());
  }

  override get className(): string {
    return 'PartitionedStateDStream';
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

  compute(validTime: Time): RDD<[K, S]> | undefined {
    const data = this.parent.getOrCompute(validTime);
    if (data === undefined) return undefined;
    return new PartitionedStateRDD<[K, V], [K, S]>(data, this as PartitionUpdater<[K, V], [K, S]>, validTime, 'updateStateByKey');
  }

  store(partition: string): PartitionStateStore<unknown, unknown, [K, S]> | undefined {
    return this.source.stores.get(partition) as PartitionStateStore<unknown, unknown, [K, S]> | undefined;
  }

  apply(s: PartitionStateStore<unknown, unknown, [K, S]>, partition: string, records: [K, V][], time: Time, sink: Sink<[K, S]>): void {
    const store = s as unknown as Store<K, S>;
    const t = time.milliseconds;
    const p = TopicPartition.parse(partition).partition;
    const values = new KeyMap<K, V[]>();
    for (let i = 0; i < records.length; i++) {
      const [k, v] = records[i];
      const list = values.get(k);
      if (list) list.push(v);
      else {
        if (!store.map.has(k)) this.source.stores.checkNewKey(k, partition);
        values.set(k, [v]);
      }
    }
    const changes: TransactionRecord[] = [];
    const changelog = this.source.changelog;
    const map = store.map;
    const u = this.updateFunc;
    if (u.kind === 'iterator') {
      const triples: [K, V[], S | undefined][] = [];
      map.forEach((e, k) => triples.push([k, values.get(k) ?? [], e.state]));
      values.forEach((vs, k) => {
        if (!map.has(k)) triples.push([k, vs, undefined]);
      });
      const kept = new KeyMap<K, true>();
      for (const [k, s] of u.f(triples)) {
        kept.set(k, true);
        const old = map.get(k);
        if (old === undefined || !Object.is(old.state, s)) {
          map.set(k, { state: s, updatedMs: t });
          changes.push(changelog.record(p, k, { state: s, updatedMs: t }));
        }
      }
      const removed: K[] = [];
      map.forEach((_e, k) => {
        if (!kept.has(k)) removed.push(k);
      });
      for (const k of removed) {
        map.delete(k);
        changes.push(changelog.record(p, k, undefined));
      }
    } else {
      const update = u.kind === 'simple' ? (_k: K, vs: V[], s: S | undefined) => u.f(vs, s) : (k: K, vs: V[], s: S | undefined) => u.f(time, k, vs, s);
      const fresh: [K, V[]][] = [];
      values.forEach((vs, k) => {
        if (!map.has(k)) fresh.push([k, vs]);
      });
      const removed: K[] = [];
      map.forEach((e, k) => {
        const s = update(k, values.get(k) ?? [], e.state);
        // undefined or null (PySpark's None) removes the key, as in StateDStream.
        if (s === undefined || s === null) removed.push(k);
        else if (!Object.is(s, e.state)) {
          e.state = s;
          e.updatedMs = t;
          changes.push(changelog.record(p, k, e));
        }
      });
      for (const k of removed) {
        map.delete(k);
        changes.push(changelog.record(p, k, undefined));
      }
      for (const [k, vs] of fresh) {
        const s = update(k, vs, undefined);
        if (s === undefined || s === null) continue;
        const e = { state: s, updatedMs: t };
        map.set(k, e);
        changes.push(changelog.record(p, k, e));
      }
    }
    store.lastBatchMs = t;
    this.source.write(t, partition, changes);
    this.replay(s, sink);
  }

  replay(s: PartitionStateStore<unknown, unknown, [K, S]>, sink: Sink<[K, S]>): void {
    (s as unknown as Store<K, S>).map.forEach((e, k) => sink([k, e.state]));
  }
}
