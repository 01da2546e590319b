import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import type { StreamId } from '../../lib/storage/StreamId';
import { RateController } from './RateController';
import type { RateEstimator } from './RateEstimator';

/** Something that can hand a new rate to a stream's receiver (the ReceiverTracker's `sendRateUpdate`). */
export interface RateUpdateTarget {
  sendRateUpdate(streamUID: StreamId, newRate: number): void;
}

/**
 * The rate controller of a receiver stream: Spark's `ReceiverInputDStream.ReceiverRateController`. A new rate goes
 * to the receiver's block generators through the ReceiverTracker; every estimate is posted as an `onRateUpdate`
 * listener event.
 */
export class ReceiverRateController extends RateController {
  constructor(
    id: StreamId,
    estimator: RateEstimator,
    private readonly ssc: StreamingContext,
  ) {
    super(id, estimator, (e) => ssc.scheduler.listenerBus.post('onRateUpdate', e));
  }

  protected publish(rate: number): void {
    const tracker = this.ssc.scheduler.receiverTracker as Partial<RateUpdateTarget> | undefined;
    tracker?.sendRateUpdate?.(this.streamUID, rate);
  }
}

