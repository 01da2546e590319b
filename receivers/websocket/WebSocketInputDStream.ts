import type { StorageLevel } from '../../lib/storage/StorageLevel';
import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import type { Receiver } from '../Receiver';
import { ReceiverInputDStream } from '../ReceiverInputDStream';
import { type BinaryMessageConverter, WebSocketReceiver } from './WebSocketReceiver';

/** The text messages of a WebSocket server, one record each (`webSocketTextStream`). */
export class WebSocketInputDStream extends ReceiverInputDStream<string> {
  private readonly receiver: WebSocketReceiver;

  constructor(ssc: StreamingContext, readonly url: string, storageLevel: StorageLevel, binaryConverter?: BinaryMessageConverter) {
    super(ssc, 'webSocketTextStream');
    this.receiver = new WebSocketReceiver(url, storageLevel, binaryConverter);
  }

  getReceiver(): Receiver<string> {
    return this.receiver;
  }
}
