import { type Dependency, NarrowDependency } from '../../rdd/Dependency';
import { IndexPartition, type Partition } from '../../rdd/Partition';
import type { Partitioner } from '../../rdd/Partitioner';
import { RDD } from '../../rdd/RDD';
import type { ComputeResult, Sink } from '../../rdd/Sink';
import type { SparkContext } from '../../rdd/SparkContext';
import type { TaskContext } from '../../rdd/TaskContext';

/**
 * The union of RDDs that share one partitioner, keeping it: partition i is partition i of every input, one after
 * the other (Spark's `PartitionerAwareUnionRDD`, which `sc.union` picks in that case). A window over a reduced or
 * grouped stream is then reduced again per key without a shuffle.
 */
export class PartitionerAwareUnionRDD<T> extends RDD<T> {
  constructor(
    sc: SparkContext,
    readonly rdds: readonly RDD<T>[],
    private readonly part: Partitioner,
  ) {
    super(sc, 'union');
  }

  override get partitioner(): Partitioner {
    return this.part;
  }

  protected getPartitions(): Partition[] {
    const out: Partition[] = [];
    for (let i = 0; i < this.part.numPartitions; i++) out.push(new IndexPartition(i));
    return out;
  }

  getDependencies(): Dependency[] {
    return this.rdds.map((r) => new NarrowDependency(r as RDD<unknown>));
  }

  compute(split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult {
    const rdds = this.rdds;
    const run = (from: number): ComputeResult => {
      for (let j = from; j < rdds.length; j++) {
        const r = rdds[j].iterator(rdds[j].partitions[split.index], context, sink);
        if (r instanceof Promise) return r.then(() => run(j + 1));
      }
    };
    return run(0);
  }
}

/**
 * Spark's `sc.union(rdds)` choice: a {@link PartitionerAwareUnionRDD} when every non-empty input has the same
 * partitioner, else a plain union.
 */
export function unionOf<T>(sc: SparkContext, rdds: readonly RDD<T>[]): RDD<T> {
  const nonEmpty = rdds.filter((r) => r.partitions.length > 0);
  const first = nonEmpty[0]?.partitioner;
  if (first !== undefined && nonEmpty.every((r) => r.partitioner !== undefined && first.equals(r.partitioner))) {
    return new PartitionerAwareUnionRDD(sc, nonEmpty, first);
  }
  return sc.union(nonEmpty);
}
