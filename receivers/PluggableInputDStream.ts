import type { StreamingContext } from '../lib/streaming/StreamingContext';
import type { Receiver } from './Receiver';
import { ReceiverInputDStream } from './ReceiverInputDStream';

/** The stream of a user's receiver (`ssc.receiverStream(receiver)`): Spark's `PluggableInputDStream`. */
export class PluggableInputDStream<T> extends ReceiverInputDStream<T> {
  constructor(
    ssc: StreamingContext,
    private readonly receiver: Receiver<T>,
  ) {
    super(ssc, 'receiverStream');
  }

  getReceiver(): Receiver<T> {
    return this.receiver;
  }
}
