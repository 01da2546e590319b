import { EmptyRDD, ParallelCollectionRDD } from '../../rdd/ParallelCollectionRDD';
import type { Partition } from '../../rdd/Partition';
import type { RDD } from '../../rdd/RDD';
import type { Sink } from '../../rdd/Sink';
import { TaskContext } from '../../rdd/TaskContext';
import { UnionRDD } from '../../rdd/UnionRDD';
import { StorageLevel } from '../../storage/StorageLevel';
import { MaterializedRDD } from '../../streaming/rdd/MaterializedRDD';
import { PartitionerAwareUnionRDD } from '../../streaming/rdd/PartitionerAwareUnionRDD';

/**
 * Whether partition `index` of `rdd` can be read again without running the program's functions or doing I/O, so
 * that the data view may read it when the batch did not (`print()` reads only the first partitions): a persisted
 * RDD's cached partition, a stateful stream's RDD (state, mapWithState and incremental-window RDDs keep their
 * partitions; computing one that is missing is work the next batch does anyway, once), a parallelized collection,
 * and unions of those (windows over a persisted parent). Anything else (a `map` over a block, a shuffle's reduce side)
 * is shown only as far as the batch computed it.
 */
export function isCheap(rdd: RDD<unknown>, index: number): boolean {
  if (rdd instanceof MaterializedRDD) return true;
  if (rdd.getStorageLevel() !== StorageLevel.NONE && rdd.sc.cacheManager.contains(rdd.id, index)) return true;
  if (rdd instanceof ParallelCollectionRDD || rdd instanceof EmptyRDD) return true;
  if (rdd instanceof UnionRDD) {
    const p = rdd.partitions[index] as Partition & { rdd?: RDD<unknown>; parentPartition?: Partition };
    return p.rdd !== undefined && p.parentPartition !== undefined && isCheap(p.rdd, p.parentPartition.index);
  }
  if (rdd instanceof PartitionerAwareUnionRDD) return rdd.rdds.every((r) => isCheap(r as RDD<unknown>, index));
  return false;
}

/** Reads partition `index` into `sink` when {@link isCheap}; false when not cheap or the read failed. */
export async function readIfCheap<T>(rdd: RDD<T>, index: number, sink: Sink<T>): Promise<boolean> {
  if (!isCheap(rdd as RDD<unknown>, index)) return false;
  try {
    await rdd.iterator(rdd.partitions[index], new TaskContext(-1, index, 0), sink);
    return true;
  } catch {
    // Released (unpersisted after its lineage was cut) or a failing program function: shown as not computed.
    return false;
  }
}

/** Every element of a cheap RDD, or undefined when some partition is not cheap. */
export async function readAllIfCheap<T>(rdd: RDD<T>, sink: Sink<T>): Promise<boolean> {
  for (let i = 0; i < rdd.partitions.length; i++) if (!isCheap(rdd as RDD<unknown>, i)) return false;
  for (let i = 0; i < rdd.partitions.length; i++) if (!(await readIfCheap(rdd, i, sink))) return false;
  return true;
}
