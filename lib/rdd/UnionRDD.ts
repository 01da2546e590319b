import { NarrowDependency, type Dependency } from './Dependency';
import type { Partition } from './Partition';
import { RDD } from './RDD';
import type { ComputeResult, Sink } from './Sink';
import type { SparkContext } from './SparkContext';
import type { TaskContext } from './TaskContext';

class UnionPartition implements Partition {
  constructor(readonly index: number, readonly rdd: RDD<unknown>, readonly parentPartition: Partition) {}
}

/** The partitions of several RDDs side by side: Spark's `UnionRDD`. */
export class UnionRDD<T> extends RDD<T> {
  constructor(sc: SparkContext, readonly rdds: readonly RDD<T>[], creationSite = 'union') {
    super(sc, creationSite);
  }

  protected getPartitions(): Partition[] {
    const out: Partition[] = [];
    for (const r of this.rdds) for (const p of r.partitions) out.push(new UnionPartition(out.length, r as RDD<unknown>, p));
    return out;
  }

  getDependencies(): Dependency[] {
    return this.rdds.map((r) => new NarrowDependency(r as RDD<unknown>));
  }

  compute(split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult {
    const p = split as UnionPartition;
    return (p.rdd as RDD<T>).iterator(p.parentPartition, context, sink);
  }
}
