import { type Observable, type Subscription } from 'rxjs';
import { SparkException } from '../../core/errors';
import { getLogger } from '../../core/logging';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import { streamInputInfo } from '../../scheduler/StreamInputInfo';
import type { StreamingContext } from '../StreamingContext';
import { InputDStream } from './InputDStream';

const log = getLogger('ObservableInputDStream');

/**
 * An rxjs Observable as an input stream (`ssc.observableStream(source$)`; no Spark equivalent, the nearest is a
 * receiver stream). The source is subscribed when the context starts (values emitted before that are not seen)
 * and unsubscribed when it stops. Each batch takes every value that arrived since the previous batch, in arrival
 * order, as one RDD of `numPartitions` partitions. An error from the source is reported to the context
 * (`awaitTermination` rejects with it, naming the stream); after completion batches are empty.
 */
export class ObservableInputDStream<T> extends InputDStream<T> {
  private buffer: T[] = [];
  private subscription: Subscription | undefined;
  private completed = false;

  constructor(
    ssc: StreamingContext,
    readonly source: Observable<T>,
    readonly numPartitions = 1,
  ) {
    super(ssc, 'observableStream');
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new RangeError(`observableStream: numPartitions must be a positive integer, got ${numPartitions}`);
    }
  }

  /** Whether the source has completed. */
  get isCompleted(): boolean {
    return this.completed;
  }

  start(): void {
    this.subscription = this.source.subscribe({
      next: (x) => void this.buffer.push(x),
      error: (e: unknown) => {
        this.completed = true;
        const msg = e instanceof Error ? e.message : String(e);
        this.ssc.scheduler.reportError(`Error in ${this.name}`, new SparkException(`The observable of ${this.name} failed: ${msg}`, { cause: e }));
      },
      complete: () => {
        this.completed = true;
        log.info({ stream: this.name }, 'Observable source completed');
      },
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  compute(validTime: Time): RDD<T> {
    const values = this.buffer;
    this.buffer = [];
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, streamInputInfo(this.id, values.length));
    return this.ssc.sparkContext.makeRDD(values, this.numPartitions);
  }
}
