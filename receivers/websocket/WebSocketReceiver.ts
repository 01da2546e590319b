import WebSocket from 'ws';
import { getLogger } from '../../lib/core/logging';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import { Receiver, type StoreWait } from '../Receiver';

const log = getLogger('WebSocketReceiver');

/** Turns a binary WebSocket message into text records. */
export type BinaryMessageConverter = (data: Buffer) => Iterable<string>;

/**
 * Receives the messages of a WebSocket server (on `ws`), one record per text message: the WebSocket counterpart
 * of Spark's `SocketReceiver`. Binary messages go through the converter, or are decoded as UTF-8 text without
 * one. Failures restart like the socket receiver: "Error connecting to <url>", "WebSocket data stream had no more
 * data" when the server closes, "Error receiving data" on errors.
 */
export class WebSocketReceiver extends Receiver<string> {
  private ws: WebSocket | undefined;
  private generation = 0;
  private pauses = 0;

  constructor(
    readonly url: string,
    storageLevel: StorageLevel,
    readonly binaryConverter?: BinaryMessageConverter,
  ) {
    super(storageLevel);
  }

  onStart(): void {
    const gen = ++this.generation;
    const isCurrent = (): boolean => gen === this.generation;
    log.info({ streamId: this.streamId }, `Connecting to ${this.url}`);
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.pauses = 0;
    let connected = false;
    ws.on('open', () => {
      if (!isCurrent()) return;
      connected = true;
      log.info({ streamId: this.streamId }, `Connected to ${this.url}`);
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isCurrent()) return;
      try {
        const buf = toBuffer(data);
        if (!isBinary) this.honour(this.storeSingle(buf.toString('utf8')), ws, isCurrent);
        else if (this.binaryConverter === undefined) this.honour(this.storeSingle(buf.toString('utf8')), ws, isCurrent);
        else {
          const records = [...this.binaryConverter(buf)];
          if (records.length > 0) this.honour(this.storeSingles(records), ws, isCurrent);
        }
      } catch (e) {
        log.warn({ err: e, streamId: this.streamId }, 'Error receiving data');
        this.restart('Error receiving data', e);
      }
    });
    ws.on('error', (e) => {
      if (!isCurrent()) return;
      if (!connected) this.restart(`Error connecting to ${this.url}`, e);
      else this.restart('Error receiving data', e);
    });
    ws.on('close', (code: number) => {
      if (!isCurrent() || !connected) return;
      if (this.isStopped()) return;
      this.restart(`WebSocket data stream had no more data (close code ${code})`);
    });
  }

  onStop(): void {
    this.generation++;
    const ws = this.ws;
    this.ws = undefined;
    ws?.terminate();
  }

  private honour(wait: StoreWait, ws: WebSocket, isCurrent: () => boolean): void {
    if (wait === undefined) return;
    if (this.pauses++ === 0) ws.pause();
    void wait.then(() => {
      if (--this.pauses === 0 && isCurrent()) ws.resume();
    });
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}
