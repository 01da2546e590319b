import type { Duration } from '../../core/Duration';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import { DStream } from './DStream';

/**
 * A stream that applies one RDD operation to its parent's RDD of each batch. It stands for Spark's small
 * one-parent classes (`MappedDStream`, `FlatMappedDStream`, `FilteredDStream`, `GlommedDStream`,
 * `MapPartitionedDStream`, `MapValuedDStream`, `FlatMapValuedDStream`, `ShuffledDStream`), whose name it shows.
 */
export class MappedRDDDStream<T, U> extends DStream<U> {
  constructor(
    readonly parent: DStream<T>,
    private readonly sparkClassName: string,
    creationSite: string,
    private readonly f: (rdd: RDD<T>) => RDD<U>,
  ) {
    super(parent.ssc, creationSite);
  }

  override get className(): string {
    return this.sparkClassName;
  }

  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.parent as DStream<unknown>];
  }

  compute(validTime: Time): RDD<U> | undefined {
    const rdd = this.parent.getOrCompute(validTime);
    return rdd === undefined ? undefined : this.f(rdd);
  }
}
