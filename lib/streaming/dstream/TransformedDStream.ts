import type { Duration } from '../../core/Duration';
import { requireThat, SparkException } from '../../core/errors';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import type { StreamingContext } from '../StreamingContext';
import { DStream } from './DStream';

/**
 * A stream computed by a function of its parents' RDDs and the batch time: Spark's `TransformedDStream` (used by
 * `transform`, `transformWith`, `ssc.transform` and the pair joins). A parent without an RDD, or a function
 * returning null, is Spark's error.
 */
export class TransformedDStream<U> extends DStream<U> {
  constructor(
    ssc: StreamingContext,
    readonly parents: readonly DStream<unknown>[],
    private readonly transformFunc: (rdds: RDD<unknown>[], time: Time) => RDD<U>,
    creationSite = 'transform',
  ) {
    super(ssc, creationSite);
    requireThat(parents.length > 0, 'List of DStreams to transform is empty');
    requireThat(new Set(parents.map((p) => p.ssc)).size === 1, 'Some of the DStreams have different contexts');
    requireThat(new Set(parents.map((p) => p.slideDuration.milliseconds)).size === 1, 'Some of the DStreams have different slide durations');
  }

  get slideDuration(): Duration {
    return this.parents[0].slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return this.parents;
  }

  compute(validTime: Time): RDD<U> {
    const rdds = this.parents.map((p) => {
      const r = p.getOrCompute(validTime);
      if (r === undefined) throw new SparkException(`Couldn't generate RDD from parent at time ${validTime}`);
      return r;
    });
    const result = this.transformFunc(rdds, validTime);
    if (result == null) {
      throw new SparkException(
        'Transform function must not return null. Return SparkContext.emptyRDD() instead to represent no element as the result of transformation.',
      );
    }
    return result;
  }
}
