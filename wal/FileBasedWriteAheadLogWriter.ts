import * as fs from 'node:fs';
import { fdatasyncAsync, writevAllSync } from './FileSync';
import type { LogInfo } from './LogInfo';
import { newSalt, type SegmentHeader, segmentHeader } from './SegmentFormat';

/**
 * The open segment a {@link FileBasedWriteAheadLog} appends to: Spark's `FileBasedWriteAheadLogWriter`. Writes go to
 * the page cache synchronously (a memory copy, in record order, on the event loop) and `sync()` makes them durable
 * with `fdatasync` on the libuv pool, so the event loop is not blocked for the length of a disk flush.
 */
export class FileBasedWriteAheadLogWriter {
  /** Bytes in the file (written, maybe not yet durable). */
  size: number;
  /** Bytes known durable. */
  durableSize: number;
  /** The directory entry is new and must be fsynced before the first record counts as durable. */
  needsDirSync: boolean;
  private closed = false;

  private constructor(
    readonly info: LogInfo,
    private readonly fd: number,
    /** The segment's sequence number, salt and previous segment's salt (see `SegmentFormat`). */
    readonly sequence: number,
    readonly salt: number,
    readonly previousSalt: number,
    size: number,
    created: boolean,
  ) {
    this.size = size;
    this.durableSize = created ? 0 : size;
    this.needsDirSync = created;
  }

  get path(): string {
    return this.info.path;
  }

  /** Creates the segment file (it must not exist) and writes its header. */
  static create(info: LogInfo, sequence: number, previousSalt: number): FileBasedWriteAheadLogWriter {
    const fd = fs.openSync(info.path, 'wx');
    try {
      const salt = newSalt();
      const h = segmentHeader(sequence, salt, previousSalt);
      writevAllSync(fd, [h], h.length);
      return new FileBasedWriteAheadLogWriter(info, fd, sequence, salt, previousSalt, h.length, true);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /**
   * Reopens a segment this process knows to end with an intact frame, to append to it: a format-2 segment (`header`),
   * or an empty one, which gets a header with `sequence` and `previousSalt`.
   */
  static reopen(info: LogInfo, header: SegmentHeader | undefined, sequence: number, previousSalt: number): FileBasedWriteAheadLogWriter {
    const fd = fs.openSync(info.path, 'a');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > 0) {
        if (header?.kind !== 'v2') throw new Error(`cannot append to ${info.path}: not a format-2 segment`);
        return new FileBasedWriteAheadLogWriter(info, fd, header.sequence, header.salt, header.previousSalt, size, false);
      }
      // Empty: created by a run that crashed before writing the header (or cut back to nothing on open).
      const salt = newSalt();
      const h = segmentHeader(sequence, salt, previousSalt);
      writevAllSync(fd, [h], h.length);
      const w = new FileBasedWriteAheadLogWriter(info, fd, sequence, salt, previousSalt, h.length, false);
      w.durableSize = 0;
      return w;
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** Appends frames (not yet durable). */
  append(bufs: Buffer[], bytes: number): void {
    writevAllSync(this.fd, bufs, bytes);
    this.size += bytes;
  }

  /** Makes everything appended so far durable. */
  async sync(): Promise<void> {
    const target = this.size;
    await fdatasyncAsync(this.fd);
    if (target > this.durableSize) this.durableSize = target;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
