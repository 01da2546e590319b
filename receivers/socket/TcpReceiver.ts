import * as net from 'node:net';
import { getLogger } from '../../lib/core/logging';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import { Receiver, type StoreWait } from '../Receiver';

const log = getLogger('SocketReceiver');

/**
 * The connection handling shared by the TCP receivers, with Spark's `SocketReceiver` behaviour: connect in
 * `onStart` (a failure restarts with "Error connecting to host:port"); the end of the stream restarts with
 * "Socket data stream had no more data"; an error while receiving restarts with "Error receiving data". Each
 * connection has its own generation, so events of a closed connection are ignored.
 */
export abstract class TcpReceiver<T> extends Receiver<T> {
  private socket: net.Socket | undefined;
  private generation = 0;
  private pauses = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    storageLevel: StorageLevel,
  ) {
    super(storageLevel);
  }

  /** `host:port`. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Called on a new connection: set up the per-connection state and start consuming `socket`. */
  protected abstract onConnected(socket: net.Socket, isCurrent: () => boolean): void;

  onStart(): void {
    const gen = ++this.generation;
    const isCurrent = (): boolean => gen === this.generation;
    log.info({ streamId: this.streamId }, `Connecting to ${this.address}`);
    const socket = net.connect({ host: this.host, port: this.port });
    this.socket = socket;
    this.pauses = 0;
    let connected = false;
    socket.setNoDelay(true);
    socket.once('connect', () => {
      if (!isCurrent()) return;
      connected = true;
      log.info({ streamId: this.streamId }, `Connected to ${this.address}`);
      this.onConnected(socket, isCurrent);
    });
    socket.on('error', (e) => {
      if (!isCurrent()) return;
      if (!connected) this.restart(`Error connecting to ${this.address}`, e);
      else this.restart('Error receiving data', e);
    });
  }

  onStop(): void {
    this.generation++;
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
  }

  /** The stream ended: Spark's restart, unless the receiver is being stopped. */
  protected streamEnded(isCurrent: () => boolean): void {
    if (!isCurrent()) return;
    if (this.isStopped()) {
      log.info({ streamId: this.streamId }, 'Stopped receiving');
      return;
    }
    this.restart('Socket data stream had no more data');
  }

  /** Pauses the connection until `wait` resolves (the rate limit or a full block queue asked for it). */
  protected honour(wait: StoreWait, socket: net.Socket, isCurrent: () => boolean): void {
    if (wait === undefined) return;
    if (this.pauses++ === 0) socket.pause();
    wait.then(
      () => {
        if (--this.pauses === 0 && isCurrent()) socket.resume();
      },
      (e: unknown) => {
        if (isCurrent()) this.restart('Error receiving data', e);
      },
    );
  }

  /** Any error thrown while handling received data restarts the receiver (Spark's `catch NonFatal`). */
  protected receiveFailed(e: unknown, isCurrent: () => boolean): void {
    if (!isCurrent()) return;
    log.warn({ err: e, streamId: this.streamId }, 'Error receiving data');
    this.restart('Error receiving data', e);
  }
}
