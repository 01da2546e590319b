import { StreamingConf } from '../../lib/core/StreamingConf';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import type { Receiver } from '../Receiver';
import { ReceiverInputDStream } from '../ReceiverInputDStream';
import { RawNetworkReceiver } from './RawNetworkReceiver';

/**
 * Serialized blocks from a TCP server, each sent as a 4-byte big-endian length and the block's bytes: Spark's
 * `RawInputDStream` (`rawSocketStream`). The fastest way in: the bytes are stored as they come.
 */
export class RawInputDStream<T> extends ReceiverInputDStream<T> {
  private readonly receiver: RawNetworkReceiver;

  constructor(
    ssc: StreamingContext,
    readonly host: string,
    readonly port: number,
    readonly receiverStorageLevel: StorageLevel,
  ) {
    super(ssc, 'rawSocketStream');
    this.receiver = new RawNetworkReceiver(host, port, receiverStorageLevel, StreamingConf.RAW_SOCKET_MAX_FRAME_BYTES.read(ssc.conf));
  }

  getReceiver(): Receiver<T> {
    return this.receiver as Receiver<unknown> as Receiver<T>;
  }
}
