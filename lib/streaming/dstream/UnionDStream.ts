import type { Duration } from '../../core/Duration';
import { requireThat, SparkException } from '../../core/errors';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import { DStream } from './DStream';

/** The union of several streams' RDDs of each batch: Spark's `UnionDStream`. */
export class UnionDStream<T> extends DStream<T> {
  constructor(readonly parents: readonly DStream<T>[]) {
    super(parents[0].ssc, 'union');
    requireThat(parents.length > 0, 'List of DStreams to union is empty');
    requireThat(new Set(parents.map((p) => p.ssc)).size === 1, 'Some of the DStreams have different contexts');
    requireThat(new Set(parents.map((p) => p.slideDuration.milliseconds)).size === 1, 'Some of the DStreams have different slide durations');
  }

  get slideDuration(): Duration {
    return this.parents[0].slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return this.parents as readonly DStream<unknown>[];
  }

  compute(validTime: Time): RDD<T> {
    const rdds = this.parents.map((p) => {
      const r = p.getOrCompute(validTime);
      if (r === undefined) throw new SparkException(`Could not generate RDD from a parent for unifying at time ${validTime}`);
      return r;
    });
    return this.ssc.sparkContext.union(rdds);
  }
}
