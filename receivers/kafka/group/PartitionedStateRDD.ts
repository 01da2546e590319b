import { IllegalStateException } from '../../../lib/core/errors';
import type { Time } from '../../../lib/core/Time';
import { type Dependency, NarrowDependency } from '../../../lib/rdd/Dependency';
import type { Partition } from '../../../lib/rdd/Partition';
import { RDD } from '../../../lib/rdd/RDD';
import { afterCompute, type ComputeResult, type Sink } from '../../../lib/rdd/Sink';
import type { TaskContext } from '../../../lib/rdd/TaskContext';
import { GroupModeConfigException } from './GroupErrors';
import { kafkaPartitionOf } from './GroupLineage';
import type { PartitionStateStore } from './PartitionStateStore';

/** What a partitioned state stream does with one input partition's records of one batch. */
export interface PartitionUpdater<T, Out> {
  readonly name: string;
  /** The store of `partition` (it must have been acquired). */
  store(partition: string): PartitionStateStore<unknown, unknown, Out> | undefined;
  /** Applies the batch's `records` to `store`, pushing the partition's output into `sink`. */
  apply(store: PartitionStateStore<unknown, unknown, Out>, partition: string, records: T[], time: Time, sink: Sink<Out>): void;
  /** The output of the batch `store` holds already (a recomputed RDD partition). */
  replay(store: PartitionStateStore<unknown, unknown, Out>, sink: Sink<Out>): void;
}

/**
 * One batch of a group-mode stateful stream: partition `i` is input partition `i` of the batch's KafkaRDD (the same
 * partition objects, so what comes after still knows its Kafka partition) updated in place, without a shuffle: the
 * records of a key are all in one input partition. Each batch updates each store once; computing the RDD again gives
 * the same records, and computing an older batch after a newer one is an error (only the newest state is kept).
 */
export class PartitionedStateRDD<T, Out> extends RDD<Out> {
  constructor(
    readonly parent: RDD<T>,
    private readonly updater: PartitionUpdater<T, Out>,
    readonly time: Time,
    creationSite: string,
  ) {
    super(parent.sc, creationSite);
  }

  protected getPartitions(): Partition[] {
    return this.parent.partitions;
  }

  getDependencies(): Dependency[] {
    return [new NarrowDependency(this.parent as RDD<unknown>)];
  }

  compute(split: Partition, context: TaskContext, sink: Sink<Out>): ComputeResult {
    const partition = kafkaPartitionOf(split);
    if (partition === undefined) {
      throw new GroupModeConfigException(
        this.updater.name,
        `its input is not partitioned as the Kafka partitions it was read from (${this.parent}); between the direct stream and the state only map, flatMap, filter, mapValues and the like may come (no shuffle, repartition or window)`,
      );
    }
    const store = this.updater.store(partition);
    if (!store) throw new IllegalStateException(`${this.updater.name}: no state for ${partition} (it is not acquired by this member)`);
    const t = this.time.milliseconds;
    if (store.lastBatchMs === t) {
      this.updater.replay(store, sink);
      return;
    }
    if (store.lastBatchMs > t) {
      throw new IllegalStateException(`${this.updater.name}: the state of ${partition} for batch ${this.time} is gone (group mode keeps the newest state only; it is at ${store.lastBatchMs} ms)`);
    }
    const records: T[] = [];
    const r = this.parent.iterator(split, context, (x) => {
      records.push(x);
    });
    return afterCompute(r, () => {
      // A retried task may find the batch applied by the attempt that failed after applying it.
      if (store.lastBatchMs === t) this.updater.replay(store, sink);
      else this.updater.apply(store, partition, records, this.time, sink);
    });
  }
}
