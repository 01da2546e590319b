import { StreamingConf } from '../../lib/core/StreamingConf';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import type { Receiver } from '../Receiver';
import { ReceiverInputDStream } from '../ReceiverInputDStream';
import { SocketReceiver, type SocketConverter } from './SocketReceiver';
import { SocketTextReceiver } from './SocketTextReceiver';

/**
 * Records from a TCP server: Spark's `SocketInputDStream` (`socketStream` / `socketTextStream`). Without a
 * converter the records are the connection's text lines (the fast line receiver); with one, whatever it yields.
 */
export class SocketInputDStream<T> extends ReceiverInputDStream<T> {
  private readonly receiver: Receiver<T>;

  constructor(
    ssc: StreamingContext,
    readonly host: string,
    readonly port: number,
    bytesToObjects: SocketConverter<T> | undefined,
    readonly receiverStorageLevel: StorageLevel,
    creationSite: string,
  ) {
    super(ssc, creationSite);
    this.receiver =
      bytesToObjects === undefined
        ? (new SocketTextReceiver(host, port, receiverStorageLevel, StreamingConf.SOCKET_MAX_LINE_BYTES.read(ssc.conf)) as unknown as Receiver<T>)
        : new SocketReceiver(host, port, bytesToObjects, receiverStorageLevel);
  }

  getReceiver(): Receiver<T> {
    return this.receiver;
  }
}
