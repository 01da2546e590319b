import type * as net from 'node:net';
import type { Readable } from 'node:stream';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import { TcpReceiver } from './TcpReceiver';

/**
 * Turns the bytes of a connection into records: Spark's `bytesToObjects: InputStream => Iterator[T]`. It gets the
 * socket as a Readable and returns the records, synchronously or asynchronously iterable.
 */
export type SocketConverter<T> = (input: Readable) => Iterable<T> | AsyncIterable<T>;

/**
 * Receives records from a TCP server through a converter: Spark's `SocketReceiver` (`socketStream`). Each record
 * the converter yields is stored with `store(record)`; the converter's end restarts the receiver
 * ("Socket data stream had no more data") and its errors restart it ("Error receiving data").
 */
export class SocketReceiver<T> extends TcpReceiver<T> {
  constructor(
    host: string,
    port: number,
    readonly bytesToObjects: SocketConverter<T>,
    storageLevel: StorageLevel,
  ) {
    super(host, port, storageLevel);
  }

  protected onConnected(socket: net.Socket, isCurrent: () => boolean): void {
    void this.receive(socket, isCurrent);
  }

  private async receive(socket: net.Socket, isCurrent: () => boolean): Promise<void> {
    try {
      const records = this.bytesToObjects(socket);
      if (Symbol.asyncIterator in records) {
        for await (const r of records as AsyncIterable<T>) {
          if (!isCurrent()) return;
          const wait = this.storeSingle(r);
          if (wait) await wait;
        }
      } else {
        for (const r of records as Iterable<T>) {
          if (!isCurrent()) return;
          const wait = this.storeSingle(r);
          if (wait) await wait;
        }
      }
    } catch (e) {
      this.receiveFailed(e, isCurrent);
      return;
    }
    this.streamEnded(isCurrent);
  }
}
