import type { StreamingListenerRateUpdate } from '../../lib/scheduler/StreamingListener';
import type { StreamId } from '../../lib/storage/StreamId';
import { RateController } from '../rate/RateController';
import type { RateEstimator } from '../rate/RateEstimator';

/**
 * Backpressure for the direct stream: Spark's `DirectKafkaRateController`. Publishing does nothing: the stream asks
 * {@link getLatestRate} when it fixes the next batch's offset ranges (`maxMessagesPerPartition`).
 */
export class DirectKafkaRateController extends RateController {
  constructor(streamUID: StreamId, rateEstimator: RateEstimator, onEstimate?: (e: StreamingListenerRateUpdate) => void) {
    super(streamUID, rateEstimator, onEstimate);
  }
  protected publish(_rate: number): void {}
}
