import type * as net from 'node:net';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import { LineTooLongException } from '../ReceiverErrors';
import { SocketLineSplitter } from './SocketLineSplitter';
import { TcpReceiver } from './TcpReceiver';

/**
 * Receives UTF-8 text lines from a TCP server: Spark's `SocketReceiver` with `SocketReceiver.bytesToLines`
 * (`socketTextStream`). Lines end at `\n`, `\r\n` or `\r`; invalid UTF-8 becomes U+FFFD. Each network chunk's
 * lines are stored together (as single records: buffered, rate-limited, cut into blocks). A line longer than
 * `maxLineBytes` is dropped and reported as a receiver error naming the stream.
 */
export class SocketTextReceiver extends TcpReceiver<string> {
  constructor(
    host: string,
    port: number,
    storageLevel: StorageLevel,
    readonly maxLineBytes: number,
  ) {
    super(host, port, storageLevel);
  }

  protected onConnected(socket: net.Socket, isCurrent: () => boolean): void {
    const splitter = new SocketLineSplitter(this.maxLineBytes, (bytes) => {
      const e = new LineTooLongException(this.streamId, `socket ${this.address}`, this.maxLineBytes, bytes);
      this.reportError(e.message, e);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!isCurrent()) return;
      try {
        // Serialized per chunk: the block under construction holds bytes, not strings.
        const run = splitter.pushSerialized(chunk);
        if (run.count > 0) this.honour(this.supervisor.pushSerializedStrings(run), socket, isCurrent);
      } catch (e) {
        this.receiveFailed(e, isCurrent);
      }
    });
    socket.once('end', () => {
      if (!isCurrent()) return;
      try {
        const last = splitter.endSerialized();
        if (last.count > 0) this.supervisor.pushSerializedStrings(last);
      } catch (e) {
        this.receiveFailed(e, isCurrent);
        return;
      }
      this.streamEnded(isCurrent);
    });
  }
}
