import type * as net from 'node:net';
import { getLogger } from '../../lib/core/logging';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import { LineTooLongException } from '../ReceiverErrors';
import { SocketLineSplitter } from '../socket/SocketLineSplitter';
import { TcpReceiver } from '../socket/TcpReceiver';

const log = getLogger('ReplayableSocketReceiver');

/** The metadata of each stored block: the source offsets it holds, `[from, until)`. */
export interface SourceOffsets {
  readonly from: number;
  readonly until: number;
}

/**
 * A reliable receiver for a {@link ReplayableLineSource} (the protocol is described there): it asks the source for
 * records from the offset after the last block it stored (`lastStoredMetadata()`, which survives a crash through the
 * metadata log and the checkpoint), stores them in blocks with the reliable `store(records, { from, until })` (WAL'd
 * when the receiver WAL is on), and acknowledges each block to the source only after the store resolved. A crash at
 * any point neither loses an acknowledged record nor stores one twice.
 */
export class ReplayableSocketReceiver extends TcpReceiver<string> {
  /** The stores of the current (or last) connection, in order. */
  private chain: Promise<void> = Promise.resolve();

  private readonly maxBlockRecords: number;
  private readonly flushIntervalMs: number;
  private readonly maxLineBytes: number;

  constructor(
    host: string,
    port: number,
    storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER,
    options: {
      /** A block is stored once it has this many records (default 10000)... */
      maxBlockRecords?: number;
      /** ...or after this long (default 200 ms, Spark's block interval). */
      flushIntervalMs?: number;
      /** Longest line accepted (default 1 MiB, as `dstreams.receiver.maxLineBytes`). */
      maxLineBytes?: number;
    } = {},
  ) {
    super(host, port, storageLevel);
    this.maxBlockRecords = options.maxBlockRecords ?? 10_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    this.maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
  }

  /** The source offset to resume from: after the last block stored, or 0. */
  resumeOffset(): number {
    const last = this.lastStoredMetadata() as Partial<SourceOffsets> | undefined;
    return typeof last?.until === 'number' ? last.until : 0;
  }

  protected onConnected(socket: net.Socket, isCurrent: () => boolean): void {
    void this.serve(socket, isCurrent);
  }

  private async serve(socket: net.Socket, isCurrent: () => boolean): Promise<void> {
    // Stores of an earlier connection finish first, so the resume offset counts them.
    await this.chain.catch(() => undefined);
    if (!isCurrent()) return;
    // A store that failed (its error restarted the receiver) must not fail every store of the new connection.
    this.chain = Promise.resolve();
    const from = this.resumeOffset();
    log.info({ streamId: this.streamId, from }, `Resuming ${this.address} from offset ${from}`);
    socket.write(`FROM ${from}\n`);
    const splitter = new SocketLineSplitter(this.maxLineBytes, (bytes) => {
      const e = new LineTooLongException(this.streamId, `socket ${this.address}`, this.maxLineBytes, bytes);
      this.reportError(e.message, e);
    });
    let pending: string[] = [];
    let pendingFrom = from;
    let inFlight = 0;
    const flush = (): void => {
      if (pending.length === 0 || !isCurrent()) return;
      const records = pending;
      const offsets: SourceOffsets = { from: pendingFrom, until: pendingFrom + records.length };
      pending = [];
      pendingFrom = offsets.until;
      if (++inFlight > 4) socket.pause();
      this.chain = this.chain.then(async () => {
        if (!isCurrent()) return;
        await this.store(records, offsets);
        if (isCurrent()) socket.write(`ACK ${offsets.until}\n`);
        if (--inFlight <= 4) socket.resume();
      });
      this.chain.catch((e: unknown) => {
        if (isCurrent()) this.restart('Error storing received data', e);
      });
    };
    const timer = setInterval(flush, this.flushIntervalMs);
    timer.unref();
    socket.on('data', (chunk: Buffer) => {
      if (!isCurrent()) return;
      const lines = splitter.push(chunk);
      for (let i = 0; i < lines.length; i++) pending.push(lines[i]);
      if (pending.length >= this.maxBlockRecords) flush();
    });
    socket.once('close', () => {
      clearInterval(timer);
      flush();
      this.streamEnded(isCurrent);
    });
  }
}
