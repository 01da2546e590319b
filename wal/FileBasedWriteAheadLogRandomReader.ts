import * as fs from 'node:fs';
import { asFileSegment, type FileBasedWriteAheadLogSegment } from './FileBasedWriteAheadLogSegment';
import { crc32, FRAME_HEADER_SIZE, frameHeaderValid, SEGMENT_HEADER_SIZE } from './SegmentFormat';
import type { WriteAheadLogRecordHandle } from './WriteAheadLog';
import { WriteAheadLogReadError } from './WriteAheadLogErrors';

/**
 * Reads single records by handle, straight from the segment file, with no open log: Spark's
 * `FileBasedWriteAheadLogRandomReader`. Used by `FileBasedWriteAheadLog.read` and by the WAL-backed block RDD
 * (which recovers blocks after a restart). Every failed check names the segment and the offset.
 */
export const FileBasedWriteAheadLogRandomReader = {
  /**
   * The record at `handle`. The handle gives the length, so the frame (header and payload) is read with one read
   * call (open, read, close: each a thread-pool round trip); the segment's size is asked only when the read comes
   * back short, to name the cause. With `scratch` large enough for the frame, the record is read into it and
   * returned as a view of it (a reader that replays many records reuses its buffers: fresh 1 MiB buffers are
   * external memory, whose growth makes V8 mark the whole heap again and again).
   */
  async read(handle: WriteAheadLogRecordHandle, scratch?: Buffer): Promise<Buffer> {
    const seg = asFileSegment(handle);
    checkOffset(seg);
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(seg.path, 'r');
    } catch (e) {
      throw openError(seg, e);
    }
    try {
      const size = FRAME_HEADER_SIZE + seg.length;
      const frame = scratch !== undefined && scratch.length >= size ? scratch.subarray(0, size) : Buffer.allocUnsafe(size);
      let got = 0;
      while (got < frame.length) {
        const { bytesRead } = await fh.read(frame, got, frame.length - got, seg.offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (got < frame.length) {
        // Short: past the end, or a frame of another length; the same checks as a header-first read name which.
        const size = (await fh.stat()).size;
        const h = frame.subarray(0, FRAME_HEADER_SIZE);
        if (got < FRAME_HEADER_SIZE) h.fill(0, got);
        checkHeader(seg, size, h);
        throw fail(seg, 'the segment shrank while reading');
      }
      const h = frame.subarray(0, FRAME_HEADER_SIZE);
      checkHeader(seg, Number.MAX_SAFE_INTEGER, h);
      return checkPayload(seg, h, frame.subarray(FRAME_HEADER_SIZE));
    } finally {
      await fh.close();
    }
  },

  /** The record at `handle`, synchronously. */
  readSync(handle: WriteAheadLogRecordHandle): Buffer {
    const seg = asFileSegment(handle);
    checkOffset(seg);
    let fd: number;
    try {
      fd = fs.openSync(seg.path, 'r');
    } catch (e) {
      throw openError(seg, e);
    }
    try {
      const size = fs.fstatSync(fd).size;
      const h = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
      const read = (b: Buffer, at: number): number => fs.readSync(fd, b, 0, b.length, at);
      if (seg.offset + FRAME_HEADER_SIZE <= size) readFullySync(seg, read, h, seg.offset);
      const len = checkHeader(seg, size, h);
      const payload = Buffer.allocUnsafe(len);
      readFullySync(seg, read, payload, seg.offset + FRAME_HEADER_SIZE);
      return checkPayload(seg, h, payload);
    } finally {
      fs.closeSync(fd);
    }
  },
};

function fail(seg: FileBasedWriteAheadLogSegment, reason: string, cause?: unknown): WriteAheadLogReadError {
  return new WriteAheadLogReadError(seg.path, seg.offset, reason, cause === undefined ? undefined : { cause });
}

function checkOffset(seg: FileBasedWriteAheadLogSegment): void {
  if (seg.offset < SEGMENT_HEADER_SIZE) throw fail(seg, `offset ${seg.offset} is inside the ${SEGMENT_HEADER_SIZE}-byte segment header`);
}

function openError(seg: FileBasedWriteAheadLogSegment, e: unknown): WriteAheadLogReadError {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    return fail(seg, 'the segment does not exist (deleted by WriteAheadLog.clean, or the log directory moved)', e);
  }
  return fail(seg, `cannot open the segment (${(e as Error).message})`, e);
}

/** Checks the frame header read at the handle's offset; returns the record length. */
function checkHeader(seg: FileBasedWriteAheadLogSegment, size: number, h: Buffer): number {
  if (seg.offset + FRAME_HEADER_SIZE > size) throw fail(seg, `the handle is past the end of the segment (${size} bytes)`);
  if (!frameHeaderValid(h, 0)) throw fail(seg, 'frame header CRC mismatch (no record starts at this offset, or it is damaged)');
  const len = h.readUInt32BE(0);
  // Spark's wording, so a ported test still matches.
  if (len !== seg.length) throw fail(seg, `Expected message length to be ${seg.length}, but was ${len}`);
  if (seg.offset + FRAME_HEADER_SIZE + len > size) throw fail(seg, `the record runs past the end of the segment (${size} bytes)`);
  return len;
}

function checkPayload(seg: FileBasedWriteAheadLogSegment, h: Buffer, payload: Buffer): Buffer {
  if (crc32(payload) !== h.readUInt32BE(4)) throw fail(seg, 'record CRC mismatch (the record is damaged)');
  return payload;
}

function readFullySync(seg: FileBasedWriteAheadLogSegment, read: (b: Buffer, at: number) => number, buf: Buffer, at: number): void {
  for (let got = 0; got < buf.length; ) {
    const n = read(buf.subarray(got), at + got);
    if (n === 0) throw fail(seg, 'the segment shrank while reading');
    got += n;
  }
}
