import type { StreamingListener, StreamingListenerBatchCompleted, StreamingListenerRateUpdate } from '../../lib/scheduler/StreamingListener';
import type { StreamId } from '../../lib/storage/StreamId';
import type { RateEstimator } from './RateEstimator';

/**
 * Turns completed batches into rate limits for one input stream: Spark's `RateController`
 * (`scheduler/RateController.scala`), a StreamingListener. When a batch completes with its processing end time,
 * delays and the stream's record count all known, the estimator computes a rate; a new rate is kept
 * ({@link getLatestRate}) and published. Every estimate's inputs and result go to `onEstimate` (the context posts
 * them as `onRateUpdate` events).
 */
export abstract class RateController implements StreamingListener {
  private rateLimit = -1;

  constructor(
    readonly streamUID: StreamId,
    protected readonly rateEstimator: RateEstimator,
    private readonly onEstimate?: (e: StreamingListenerRateUpdate) => void,
  ) {}

  /** Hands a new rate to the stream's source (receivers: a rate update to their block generators). */
  protected abstract publish(rate: number): void;

  /** The last published rate, -1 before the first. */
  getLatestRate(): number {
    return this.rateLimit;
  }

  onBatchCompleted(e: StreamingListenerBatchCompleted): void {
    const info = e.batchInfo;
    const processingEnd = info.processingEndTime;
    const workDelay = info.processingDelay;
    const waitDelay = info.schedulingDelay;
    const elems = info.streamIdToInputInfo.get(this.streamUID)?.numRecords;
    if (processingEnd === undefined || workDelay === undefined || waitDelay === undefined || elems === undefined) return;
    this.computeAndPublish(processingEnd, elems, workDelay, waitDelay);
  }

  private computeAndPublish(time: number, elems: number, workDelay: number, waitDelay: number): void {
    const newRate = this.rateEstimator.compute(time, elems, workDelay, waitDelay);
    this.onEstimate?.({ streamId: this.streamUID, time, numRecords: elems, processingDelay: workDelay, schedulingDelay: waitDelay, rate: newRate });
    if (newRate === undefined) return;
    // Spark keeps the rate as a Long.
    this.rateLimit = Math.trunc(newRate);
    this.publish(this.rateLimit);
  }
}
