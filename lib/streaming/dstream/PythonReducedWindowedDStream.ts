import type { Duration } from '../../core/Duration';
import { Interval } from '../../core/Interval';
import type { Time } from '../../core/Time';
import type { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import { StorageLevel } from '../../storage/StorageLevel';
import { unionOf } from '../rdd/PartitionerAwareUnionRDD';
import { ReducedWindowRDD } from '../rdd/ReducedWindowRDD';
import { DStream } from './DStream';
import { InvalidReducedWindowException } from './WindowErrors';

/**
 * PySpark's `reduceByKeyAndWindow(func, invFunc, ...)` (the Python flavour, ApiFlavor.ts): Spark's
 * `PythonReducedWindowedDStream` over the per-batch reduced stream. "For small window, reduce once will be better
 * than twice": only when the window is at least 5 slides long and the previous window exists does it go incremental
 * (the previous window minus the batches that left, with `invFunc`, plus those that entered; PySpark's order, see
 * ReducedWindowRDD.mergePython). Otherwise it reduces the window's batches again, so a key that left the window is
 * gone (where Scala's keeps it, e.g. at 0) and an empty window is empty (Scala's `countByWindow` prints 0).
 * `filterFunc` applies to the reduced result in both paths. The stream must be checkpointed, as in Spark.
 */
export class PythonReducedWindowedDStream<K, V> extends DStream<[K, V]> {
  override mustCheckpoint = true;

  constructor(
    /** The parent reduced per batch (`reduceByKey(func, numPartitions)`). */
    readonly reduced: DStream<[K, V]>,
    private readonly reduceFunc: (a: V, b: V) => V,
    private readonly invReduceFunc: (a: V, b: V) => V,
    readonly windowDuration: Duration,
    private readonly slide: Duration,
    readonly partitioner: Partitioner,
    private readonly filterFunc: ((kv: [K, V]) => boolean) | undefined,
  ) {
    super(reduced.ssc, 'reduceByKeyAndWindow');
    InvalidReducedWindowException.check(windowDuration, slide, reduced.slideDuration);
    reduced.persist(StorageLevel.MEMORY_ONLY_SER);
    this.persist(StorageLevel.MEMORY_ONLY_SER);
  }

  get slideDuration(): Duration {
    return this.slide;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.reduced as DStream<unknown>];
  }

  override get parentRememberDuration(): Duration | undefined {
    return this.rememberDuration?.plus(this.windowDuration);
  }

  compute(validTime: Time): RDD<[K, V]> | undefined {
    const parentSlide = this.reduced.slideDuration;
    const current = new Interval(validTime.minus(this.windowDuration), validTime);
    const previous = current.minus(this.slide);
    const previousRDD = this.getOrCompute(previous.endTime);
    if (previousRDD !== undefined && this.windowDuration.greaterEq(this.slide.times(5))) {
      const oldRDDs = this.reduced.slice(previous.beginTime.plus(parentSlide), current.beginTime);
      const newRDDs = this.reduced.slice(previous.endTime.plus(parentSlide), current.endTime);
      return new ReducedWindowRDD<K, V>(
        this.ssc.sparkContext,
        previousRDD,
        oldRDDs,
        newRDDs,
        this.partitioner,
        this.reduceFunc,
        this.invReduceFunc,
        this.filterFunc,
        String(this),
        validTime,
        'python',
      );
    }
    const currentRDDs = this.reduced.slice(current.beginTime.plus(parentSlide), current.endTime);
    if (currentRDDs.length === 0) return undefined;
    const r = unionOf(this.ssc.sparkContext, currentRDDs).reduceByKey(this.reduceFunc, this.partitioner);
    return this.filterFunc ? r.filter(this.filterFunc) : r;
  }
}
