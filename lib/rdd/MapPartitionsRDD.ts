import { NarrowDependency, type Dependency } from './Dependency';
import type { Partition } from './Partition';
import type { Partitioner } from './Partitioner';
import { RDD } from './RDD';
import { afterCompute, type ComputeResult, type Sink } from './Sink';
import type { TaskContext } from './TaskContext';

/**
 * How a narrow operator turns its parent's elements into its own, per partition:
 * - `sink`: element by element; `make` is called once per partition and returns the sink that receives the
 *   parent's elements and pushes results downstream (map, filter, flatMap, ... fused into one loop);
 * - `whole`: the operator needs the whole partition (mapPartitions, glom): `f` gets it as an array.
 */
export type PartitionTransform<T, U> =
  | { kind: 'sink'; make: (downstream: Sink<U>, context: TaskContext, split: Partition) => Sink<T> }
  | { kind: 'whole'; f: (elements: T[], partitionIndex: number, context: TaskContext) => Iterable<U> };

/** A narrow transformation of one parent: Spark's `MapPartitionsRDD`. */
export class MapPartitionsRDD<T, U> extends RDD<U> {
  constructor(
    readonly parent: RDD<T>,
    private readonly transform: PartitionTransform<T, U>,
    creationSite: string,
    private readonly preservesPartitioning = false,
  ) {
    super(parent.sc, creationSite);
  }

  override get partitioner(): Partitioner | undefined {
    return this.preservesPartitioning ? this.parent.partitioner : undefined;
  }

  protected getPartitions(): Partition[] {
    return this.parent.partitions;
  }

  getDependencies(): Dependency[] {
    return [new NarrowDependency(this.parent as RDD<unknown>)];
  }

  compute(split: Partition, context: TaskContext, sink: Sink<U>): ComputeResult {
    const t = this.transform;
    if (t.kind === 'sink') return this.parent.iterator(split, context, t.make(sink, context, split));
    const buffer: T[] = [];
    const r = this.parent.iterator(split, context, (x) => {
      buffer.push(x);
    });
    return afterCompute(r, () => {
      for (const y of t.f(buffer, split.index, context)) sink(y);
    });
  }
}
