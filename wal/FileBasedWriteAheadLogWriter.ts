import * as fs from 'node:fs';
import { fdatasyncAsync, writevAllSync } from './FileSync';
import type { LogInfo } from './LogInfo';
import { segmentHeader } from './SegmentFormat';

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
  static create(info: LogInfo): FileBasedWriteAheadLogWriter {
    const fd = fs.openSync(info.path, 'wx');
    try {
      const h = segmentHeader();
      writevAllSync(fd, [h], h.length);
      return new FileBasedWriteAheadLogWriter(info, fd, h.length, true);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** Reopens a segment this process knows to end with an intact frame, to append to it. */
  static reopen(info: LogInfo): FileBasedWriteAheadLogWriter {
    const fd = fs.openSync(info.path, 'a');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > 0) return new FileBasedWriteAheadLogWriter(info, fd, size, false);
      // Empty: created by a run that crashed before writing the header (or cut back to nothing on open).
      const h = segmentHeader();
      writevAllSync(fd, [h], h.length);
      const w = new FileBasedWriteAheadLogWriter(info, fd, h.length, false);
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
