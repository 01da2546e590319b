import { StorageLevel } from '../storage/StorageLevel';
import { UnsupportedOperationException } from '../core/errors';
import { type Dependency, ShuffleDependency } from './Dependency';
import type { Partition } from './Partition';
import type { Partitioner } from './Partitioner';
import type { ComputeResult, Sink } from './Sink';
import type { SparkContext } from './SparkContext';
import type { TaskContext } from './TaskContext';

/**
 * A lazy, partitioned, immutable collection: Spark's `RDD[T]`.
 *
 * Transformations (declared in RDDOperations.ts and PairRDDFunctions.ts, which add them to this class so that no
 * module imports its own subclasses) are synchronous and build lineage; actions (RDDActions.ts) return promises
 * because computing a partition may need I/O. A partition is computed by pushing its elements into a {@link Sink}
 * chain: narrow operators are fused into one pass per partition.
 */
export abstract class RDD<T> {
  readonly id: number;
  /** Spark's creation site; here the operator that made the RDD (`map`, `reduceByKey`, ...). */
  readonly creationSite: string;
  name: string | undefined;
  // Not `storageLevel`: subclasses such as WriteAheadLogBackedBlockRDD take a `storageLevel` of their own, as in Spark.
  private persistedLevel: StorageLevel = StorageLevel.NONE;
  private cachedPartitions: Partition[] | undefined;

  constructor(readonly sc: SparkContext, creationSite: string) {
    this.id = sc.newRddId();
    this.creationSite = creationSite;
  }

  /** Spark's `rdd.sparkContext` (also `rdd.context`): the context that made this RDD. */
  get sparkContext(): SparkContext {
    return this.sc;
  }

  /** Spark's `rdd.context`. */
  get context(): SparkContext {
    return this.sc;
  }

  /** The partitions of this RDD (computed once). */
  protected abstract getPartitions(): Partition[];

  /** The parents of this RDD, for lineage (`toDebugString`) and the scheduler. */
  abstract getDependencies(): Dependency[];

  /** Pushes every element of `split` into `sink`; returns a promise only when the partition needs I/O. */
  abstract compute(split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult;

  /** How this RDD is partitioned by key, if it is. */
  get partitioner(): Partitioner | undefined {
    return undefined;
  }

  get partitions(): Partition[] {
    return (this.cachedPartitions ??= this.getPartitions());
  }

  getNumPartitions(): number {
    return this.partitions.length;
  }

  /** Computes a partition, reading it from the cache when this RDD is persisted. */
  iterator(split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult {
    if (this.persistedLevel === StorageLevel.NONE) return this.compute(split, context, sink);
    return this.sc.cacheManager.getOrCompute(this, split, context, sink);
  }

  /** Spark's `persist(level)`: the level may be set once (or to the same level again). */
  persist(level: StorageLevel = StorageLevel.MEMORY_ONLY): this {
    if (this.persistedLevel !== StorageLevel.NONE && level !== this.persistedLevel) {
      throw new UnsupportedOperationException(
        'Cannot change storage level of an RDD after it was already assigned a level',
      );
    }
    this.persistedLevel = level;
    if (level !== StorageLevel.NONE) this.sc.persistentRdds.set(this.id, this as RDD<unknown>);
    return this;
  }

  /** `persist(MEMORY_ONLY)`. */
  cache(): this {
    return this.persist(StorageLevel.MEMORY_ONLY);
  }

  /** Drops the cached partitions and forgets the storage level. */
  unpersist(_blocking = false): this {
    this.sc.cacheManager.remove(this.id);
    this.sc.persistentRdds.delete(this.id);
    this.persistedLevel = StorageLevel.NONE;
    return this;
  }

  getStorageLevel(): StorageLevel {
    return this.persistedLevel;
  }

  setName(name: string): this {
    this.name = name;
    return this;
  }

  /** `MapPartitionsRDD[3] at map`, as Spark's `toString`. */
  toString(): string {
    return `${this.name ? this.name + ' ' : ''}${this.constructor.name}[${this.id}] at ${this.creationSite}`;
  }

  /** The lineage, in Spark's layout (`(2) ShuffledRDD[4] at reduceByKey []`, ` +-` at each shuffle). */
  toDebugString(): string {
    return debugString(this as RDD<unknown>).join('\n');
  }
}

function debugSelf(rdd: RDD<unknown>): string {
  const level = rdd.getStorageLevel();
  return `${rdd} [${level === StorageLevel.NONE ? '' : level.description()}]`;
}

function debugChildren(rdd: RDD<unknown>, prefix: string): string[] {
  const deps = rdd.getDependencies();
  const out: string[] = [];
  deps.forEach((d, i) => out.push(...debugChild(d.rdd, prefix, d instanceof ShuffleDependency, i === deps.length - 1)));
  return out;
}

function debugChild(rdd: RDD<unknown>, prefix: string, isShuffle: boolean, isLastChild: boolean): string[] {
  if (!isShuffle) return [prefix + debugSelf(rdd), ...debugChildren(rdd, prefix)];
  const partitionStr = `(${rdd.getNumPartitions()})`;
  const leftOffset = Math.floor((partitionStr.length - 1) / 2);
  const thisPrefix = prefix.replace(/\|\s+$/, '');
  const nextPrefix = thisPrefix + (isLastChild ? '  ' : '| ') + ' '.repeat(leftOffset) + '|' + ' '.repeat(partitionStr.length - leftOffset);
  return [`${thisPrefix}+-${partitionStr} ${debugSelf(rdd)}`, ...debugChildren(rdd, nextPrefix)];
}

/** Spark's `RDD.toDebugString` algorithm. */
function debugString(rdd: RDD<unknown>): string[] {
  const partitionStr = `(${rdd.getNumPartitions()})`;
  const leftOffset = Math.floor((partitionStr.length - 1) / 2);
  const nextPrefix = ' '.repeat(leftOffset) + '|' + ' '.repeat(partitionStr.length - leftOffset);
  return [`${partitionStr} ${debugSelf(rdd)}`, ...debugChildren(rdd, nextPrefix)];
}
