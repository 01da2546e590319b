import { NarrowDependency, type Dependency } from './Dependency';
import type { Partition } from './Partition';
import { RDD } from './RDD';
import type { ComputeResult, Sink } from './Sink';
import type { TaskContext } from './TaskContext';

class CoalescedPartition implements Partition {
  constructor(readonly index: number, readonly parents: Partition[]) {}
}

/** Fewer partitions without a shuffle, each a run of consecutive parent partitions: Spark's `CoalescedRDD`. */
export class CoalescedRDD<T> extends RDD<T> {
  constructor(readonly parent: RDD<T>, private readonly maxPartitions: number) {
    super(parent.sc, 'coalesce');
    if (maxPartitions < 1) throw new RangeError(`Number of partitions (${maxPartitions}) must be positive.`);
  }

  protected getPartitions(): Partition[] {
    const parents = this.parent.partitions;
    const n = Math.min(this.maxPartitions, parents.length);
    const out: Partition[] = [];
    for (let i = 0; i < n; i++) {
      const start = Math.floor((i * parents.length) / n);
      const end = Math.floor(((i + 1) * parents.length) / n);
      out.push(new CoalescedPartition(i, parents.slice(start, end)));
    }
    return out;
  }

  getDependencies(): Dependency[] {
    return [new NarrowDependency(this.parent as RDD<unknown>)];
  }

  compute(split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult {
    const parents = (split as CoalescedPartition).parents;
    let i = 0;
    const next = (): ComputeResult => {
      while (i < parents.length) {
        const r = this.parent.iterator(parents[i++], context, sink);
        if (r instanceof Promise) return r.then(next);
      }
    };
    return next();
  }
}
