import type { Duration } from '../../core/Duration';
import { getLogger } from '../../core/logging';
import type { Time } from '../../core/Time';
import type { StreamId } from '../../storage/StreamId';
import type { StreamingContext } from '../StreamingContext';
import { DStream } from './DStream';

const log = getLogger('InputDStream');

/**
 * A stream that produces data rather than transforming another: Spark's `InputDStream`. It registers itself with
 * the graph, gets the next input stream id, and slides at the batch duration.
 */
export abstract class InputDStream<T> extends DStream<T> {
  readonly id: StreamId;
  /** The last time this stream produced an RDD for (Spark's `lastValidTime`). */
  protected lastValidTime: Time | undefined;

  constructor(ssc: StreamingContext, creationSite: string) {
    super(ssc, creationSite);
    this.id = ssc.getNewInputStreamId();
    ssc.graph.addInputStream(this as InputDStream<unknown>);
  }

  /** `Queue input stream [0]`: the class name without "InputDStream", split on capitals (Spark's `name`). */
  get name(): string {
    const base = this.className.replace(/InputDStream$/, 'Stream').replace(/DStream$/, 'Stream');
    const words = base.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    return `${words.charAt(0).toUpperCase()}${words.slice(1)} [${this.id}]`;
  }

  get slideDuration(): Duration {
    const d = this.ssc.graph.batchDuration;
    if (d === undefined) throw new Error('Batch duration is not set');
    return d;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [];
  }

  override isTimeValid(time: Time): boolean {
    if (!super.isTimeValid(time)) return false;
    if (this.lastValidTime !== undefined && time.less(this.lastValidTime)) {
      // Spark only warns: an input stream asked for an earlier time (recovery re-runs, slice).
      log.warn({ stream: this.name }, `isTimeValid called with ${time} whereas the last valid time is ${this.lastValidTime}`);
    }
    this.lastValidTime = time;
    return true;
  }

  /** Whether this stream runs a receiver (ReceiverInputDStream overrides). */
  get usesReceiver(): boolean {
    return false;
  }

  /** Called before the graph generates jobs for `time`: async work a batch needs (Kafka offsets, WAL reads). */
  prepareForBatch(_time: Time): void | Promise<void> {}

  /** Starts receiving (Spark's `start()`); called once when the context starts. */
  abstract start(): void | Promise<void>;

  /** Stops receiving. */
  abstract stop(): void | Promise<void>;
}
