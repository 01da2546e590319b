import type { Duration } from '../../core/Duration';
import { Interval } from '../../core/Interval';
import type { Time } from '../../core/Time';
import type { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import { StorageLevel } from '../../storage/StorageLevel';
import { ReducedWindowRDD } from '../rdd/ReducedWindowRDD';
import { DStream } from './DStream';
import { InvalidReducedWindowException } from './WindowErrors';

/**
 * The incremental `reduceByKeyAndWindow(reduceFunc, invReduceFunc, ...)`: Spark's `ReducedWindowedDStream`.
 *
 * The parent is first reduced per batch (`reducedStream`, persisted). At a valid time t, with
 * `currentWindow = [t - W + P, t]` and `previousWindow = currentWindow - S`, the window is the previous window's
 * RDD, minus the reduced batches that left (`[previousWindow.begin, currentWindow.begin - P]`, with the inverse
 * function), plus those that entered (`[previousWindow.end + P, currentWindow.end]`), per key and without a shuffle
 * (see ReducedWindowRDD). Keys are never dropped by this arithmetic (a count falls to 0 and stays) unless
 * `filterFunc` drops them. Each window depends on the one before, so the stream must be checkpointed
 * (`mustCheckpoint`): starting without `ssc.checkpoint(dir)` fails.
 */
export class ReducedWindowedDStream<K, V> extends DStream<[K, V]> {
  override mustCheckpoint = true;
  readonly reducedStream: DStream<[K, V]>;

  constructor(
    readonly parent: DStream<[K, V]>,
    private readonly reduceFunc: (a: V, b: V) => V,
    private readonly invReduceFunc: (a: V, b: V) => V,
    readonly windowDuration: Duration,
    private readonly slide: Duration,
    readonly partitioner: Partitioner,
    private readonly filterFunc: ((kv: [K, V]) => boolean) | undefined,
  ) {
    super(parent.ssc, 'reduceByKeyAndWindow');
    InvalidReducedWindowException.check(windowDuration, slide, parent.slideDuration);
    this.reducedStream = parent.reduceByKey(reduceFunc, partitioner);
    this.reducedStream.persist(StorageLevel.MEMORY_ONLY_SER);
    this.persist(StorageLevel.MEMORY_ONLY_SER);
  }

  get slideDuration(): Duration {
    return this.slide;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.reducedStream as DStream<unknown>];
  }

  override get parentRememberDuration(): Duration | undefined {
    return this.rememberDuration?.plus(this.windowDuration);
  }

  compute(validTime: Time): RDD<[K, V]> {
    const parentSlide = this.parent.slideDuration;
    const currentWindow = new Interval(validTime.minus(this.windowDuration).plus(parentSlide), validTime);
    const previousWindow = currentWindow.minus(this.slide);
    const oldRDDs = this.reducedStream.slice(previousWindow.beginTime, currentWindow.beginTime.minus(parentSlide));
    const newRDDs = this.reducedStream.slice(previousWindow.endTime.plus(parentSlide), currentWindow.endTime);
    const previousWindowRDD = this.getOrCompute(previousWindow.endTime);
    return new ReducedWindowRDD<K, V>(
      this.ssc.sparkContext,
      previousWindowRDD,
      oldRDDs,
      newRDDs,
      this.partitioner,
      this.reduceFunc,
      this.invReduceFunc,
      this.filterFunc,
      String(this),
      validTime,
    );
  }
}
