import type { Dependency } from './Dependency';
import type { Partition } from './Partition';
import { RDD } from './RDD';
import type { ComputeResult, Sink } from './Sink';
import type { SparkContext } from './SparkContext';

class ParallelCollectionPartition<T> implements Partition {
  constructor(readonly index: number, readonly values: readonly T[]) {}
}

/** A local collection cut into slices: Spark's `ParallelCollectionRDD` (same slicing as Spark's). */
export class ParallelCollectionRDD<T> extends RDD<T> {
  constructor(sc: SparkContext, private readonly data: readonly T[], private readonly numSlices: number, creationSite = 'parallelize') {
    super(sc, creationSite);
    if (numSlices < 1) throw new RangeError('Positive number of partitions required');
  }

  protected getPartitions(): Partition[] {
    const n = this.data.length;
    const out: Partition[] = [];
    for (let i = 0; i < this.numSlices; i++) {
      const start = Math.floor((i * n) / this.numSlices);
      const end = Math.floor(((i + 1) * n) / this.numSlices);
      out.push(new ParallelCollectionPartition(i, this.data.slice(start, end)));
    }
    return out;
  }

  getDependencies(): Dependency[] {
    return [];
  }

  compute(split: Partition, _context: unknown, sink: Sink<T>): ComputeResult {
    const values = (split as ParallelCollectionPartition<T>).values;
    for (let i = 0; i < values.length; i++) sink(values[i]);
  }
}

/** An RDD with no partitions: Spark's `EmptyRDD`. */
export class EmptyRDD<T> extends RDD<T> {
  constructor(sc: SparkContext) {
    super(sc, 'emptyRDD');
  }
  protected getPartitions(): Partition[] {
    return [];
  }
  getDependencies(): Dependency[] {
    return [];
  }
  compute(): ComputeResult {}
}
