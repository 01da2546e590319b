import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import type { StreamingContext } from '../StreamingContext';
import { InputDStream } from './InputDStream';

/**
 * Batches taken from a queue of RDDs the program fills while running: Spark's `QueueInputDStream`. With
 * `oneAtATime` each batch takes one RDD, otherwise all queued RDDs as one union. A drained queue gives
 * `defaultRDD`: by default (`undefined`) Spark's `sc.makeRDD(Seq.empty, 1)`, one empty partition (so `glom`,
 * `mapPartitions` and `getNumPartitions` see one partition, as `StreamingContext.queueStream(queue, oneAtATime)`
 * passes it); `null` is Scala's `queueStream(queue, oneAtATime, null)`, for which Spark 3.5 gives `emptyRDD`, no
 * partitions at all. Not checkpointable.
 */
export class QueueInputDStream<T> extends InputDStream<T> {
  private defaultEmpty: RDD<T> | undefined;

  constructor(
    ssc: StreamingContext,
    readonly queue: RDD<T>[],
    readonly oneAtATime: boolean,
    readonly defaultRDD: RDD<T> | null | undefined,
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
    if (taken.length === 1 || (this.oneAtATime && taken.length > 0)) return taken[0];
    if (taken.length > 0) return this.ssc.sparkContext.union(taken);
    if (this.defaultRDD === null) return this.ssc.sparkContext.emptyRDD<T>();
    // One RDD for every drained batch, made when first needed (Spark makes it in queueStream()).
    return this.defaultRDD ?? (this.defaultEmpty ??= this.ssc.sparkContext.makeRDD<T>([], 1));
  }
}
