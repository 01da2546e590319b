import type { Partition } from './Partition';
import type { RDD } from './RDD';
import { afterCompute, type ComputeResult, type Sink } from './Sink';
import type { TaskContext } from './TaskContext';

/**
 * Keeps the partitions of persisted RDDs (Spark's `CacheManager` over the block manager's `rdd_<id>_<split>`
 * blocks). Partitions are kept as arrays of their elements.
 */
export class CacheManager {
  private readonly blocks = new Map<number, Map<number, unknown[]>>();

  getOrCompute<T>(rdd: RDD<T>, split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult {
    const cached = this.blocks.get(rdd.id)?.get(split.index) as T[] | undefined;
    if (cached) {
      for (let i = 0; i < cached.length; i++) sink(cached[i]);
      return;
    }
    const values: T[] = [];
    const r = rdd.compute(split, context, (x) => {
      values.push(x);
    });
    return afterCompute(r, () => {
      let m = this.blocks.get(rdd.id);
      if (!m) this.blocks.set(rdd.id, (m = new Map()));
      m.set(split.index, values);
      for (let i = 0; i < values.length; i++) sink(values[i]);
    });
  }

  /** Whether partition `index` of RDD `rddId` is cached. */
  contains(rddId: number, index: number): boolean {
    return this.blocks.get(rddId)?.has(index) ?? false;
  }

  /** Number of elements cached for an RDD (for tests and the UI). */
  cachedPartitionCount(rddId: number): number {
    return this.blocks.get(rddId)?.size ?? 0;
  }

  remove(rddId: number): void {
    this.blocks.delete(rddId);
  }

  clear(): void {
    this.blocks.clear();
  }
}
