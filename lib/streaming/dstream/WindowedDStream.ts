import type { Duration } from '../../core/Duration';
import { Interval } from '../../core/Interval';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import { StorageLevel } from '../../storage/StorageLevel';
import { unionOf } from '../rdd/PartitionerAwareUnionRDD';
import { DStream } from './DStream';
import { InvalidWindowException } from './WindowErrors';

/**
 * The parent's RDDs of the last `windowDuration`, every `slideDuration`: Spark's `WindowedDStream`.
 *
 * The window at a valid time t (t after the zero time, on the slide grid) is the union of the parent's RDDs at
 * `t - W + P, ..., t` (P = the parent's slide), i.e. the interval (t - W, t]; times at or before the zero time are
 * skipped, so the first windows are partial. The window itself is never persisted: constructing it persists the
 * parent (MEMORY_ONLY_SER) and `persist(level)` on the window sets the parent's level instead. The parent keeps its
 * RDDs `windowDuration` longer than this stream needs them.
 */
export class WindowedDStream<T> extends DStream<T> {
  constructor(
    readonly parent: DStream<T>,
    readonly windowDuration: Duration,
    private readonly slide: Duration,
  ) {
    super(parent.ssc, 'window');
    if (!windowDuration.isMultipleOf(parent.slideDuration)) {
      throw new InvalidWindowException('window', windowDuration, parent.slideDuration);
    }
    if (!slide.isMultipleOf(parent.slideDuration)) {
      throw new InvalidWindowException('slide', slide, parent.slideDuration);
    }
    // Spark persists the parent in the constructor: every window over it reads the same RDDs.
    parent.persist(StorageLevel.MEMORY_ONLY_SER);
  }

  get slideDuration(): Duration {
    return this.slide;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.parent as DStream<unknown>];
  }

  override get parentRememberDuration(): Duration | undefined {
    return this.rememberDuration?.plus(this.windowDuration);
  }

  /** A window is not persisted itself: the level goes to the parent (Spark's behaviour). */
  override persist(level: StorageLevel = StorageLevel.MEMORY_ONLY_SER): this {
    this.parent.persist(level);
    return this;
  }

  compute(validTime: Time): RDD<T> {
    const currentWindow = new Interval(validTime.minus(this.windowDuration).plus(this.parent.slideDuration), validTime);
    const rdds = this.parent.slice(currentWindow.beginTime, currentWindow.endTime);
    return unionOf(this.ssc.sparkContext, rdds);
  }
}
