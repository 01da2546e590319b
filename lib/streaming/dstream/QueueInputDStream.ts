import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import type { StreamingContext } from '../StreamingContext';
import { InputDStream } from './InputDStream';

/**
 * Batches taken from a queue of RDDs the program fills while running: Spark's `QueueInputDStream`. With
 * `oneAtATime` each batch takes one RDD, otherwise all queued RDDs as one union; an empty queue gives `defaultRDD`
 * (or an empty RDD). Not checkpointable.
 */
export class QueueInputDStream<T> extends InputDStream<T> {
  constructor(
    ssc: StreamingContext,
    readonly queue: RDD<T>[],
    readonly oneAtATime: boolean,
    readonly defaultRDD: RDD<T> | undefined,
  ) {
    super(ssc, 'queueStream');
  }

  start(): void {}
  stop(): void {}

  // Like Spark's, a queue stream reports no StreamInputInfo: its record count is unknown until the batch runs.
  compute(_validTime: Time): RDD<T> {
    const taken: RDD<T>[] = [];
    if (this.oneAtATime && this.queue.length > 0) taken.push(this.queue.shift() as RDD<T>);
    else while (this.queue.length > 0) taken.push(this.queue.shift() as RDD<T>);
    let rdd: RDD<T>;
    if (taken.length === 0) rdd = this.defaultRDD ?? this.ssc.sparkContext.emptyRDD<T>();
    else if (taken.length === 1 || this.oneAtATime) rdd = taken[0];
    else rdd = this.ssc.sparkContext.union(taken);
    return rdd;
  }
}
