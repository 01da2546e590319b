import type { RDD } from './RDD';

/** A parent of an RDD: Spark's `Dependency`. Narrow parents are pipelined; a shuffle parent ends a stage. */
export abstract class Dependency {
  constructor(readonly rdd: RDD<unknown>) {}
}

/** Each child partition depends on a small, known set of parent partitions (Spark's `NarrowDependency`). */
export class NarrowDependency extends Dependency {}

/** The child is hash/range-partitioned from every parent partition (Spark's `ShuffleDependency`). */
export class ShuffleDependency extends Dependency {
  constructor(rdd: RDD<unknown>, readonly shuffleId: number) {
    super(rdd);
  }
}
