import * as fs from 'node:fs';
import { asFileSegment, type FileBasedWriteAheadLogSegment } from './FileBasedWriteAheadLogSegment';
import { crc32, FRAME_HEADER_SIZE, frameHeaderValid, V1_FRAME_HEADER_SIZE, V1_SEGMENT_HEADER_SIZE, v1FrameHeaderValid } from './SegmentFormat';
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
   * call (open, read, close: each a thread-pool round trip); the segment's size is asked only when the read fails its
   * checks, to name the cause. With `scratch` large enough for the frame, the record is read into it and returned as
   * a view of it (a reader that replays many records reuses its buffers: fresh 1 MiB buffers are external memory,
   * whose growth makes V8 mark the whole heap again and again). A frame is checked on its own (its header CRC binds
   * its offset), so the segment header is not read; frames of format-1 segments are recognised by their shape.
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
      const payload = payloadOf(seg, frame, got);
      if (payload !== undefined) return payload;
      throw diagnose(seg, (await fh.stat()).size, frame, got);
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
      const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE + seg.length);
      let got = 0;
      while (got < frame.length) {
        const n = fs.readSync(fd, frame, got, frame.length - got, seg.offset + got);
        if (n === 0) break;
        got += n;
      }
      const payload = payloadOf(seg, frame, got);
      if (payload !== undefined) return payload;
      throw diagnose(seg, fs.fstatSync(fd).size, frame, got);
    } finally {
      fs.closeSync(fd);
    }
  },
};

function fail(seg: FileBasedWriteAheadLogSegment, reason: string, cause?: unknown): WriteAheadLogReadError {
  return new WriteAheadLogReadError(seg.path, seg.offset, reason, cause === undefined ? undefined : { cause });
}

function checkOffset(seg: FileBasedWriteAheadLogSegment): void {
  if (seg.offset < V1_SEGMENT_HEADER_SIZE) throw fail(seg, `offset ${seg.offset} is inside the segment header (records start at offset ${V1_SEGMENT_HEADER_SIZE} or later)`);
}

function openError(seg: FileBasedWriteAheadLogSegment, e: unknown): WriteAheadLogReadError {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    return fail(seg, 'the segment does not exist (deleted by WriteAheadLog.clean, or the log directory moved)', e);
  }
  return fail(seg, `cannot open the segment (${(e as Error).message})`, e);
}

/** The payload when `frame` (`got` bytes read at the handle's offset) is an intact frame of the handle's length. */
function payloadOf(seg: FileBasedWriteAheadLogSegment, frame: Buffer, got: number): Buffer | undefined {
  const len = seg.length;
  if (got >= FRAME_HEADER_SIZE + len && frameHeaderValid(frame, 0, seg.offset, undefined) && frame.readUInt32BE(0) === len) {
    const payload = frame.subarray(FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + len);
    if (crc32(payload) === frame.readUInt32BE(8)) return payload;
  }
  if (got >= V1_FRAME_HEADER_SIZE + len && v1FrameHeaderValid(frame, 0) && frame.readUInt32BE(0) === len) {
    const payload = frame.subarray(V1_FRAME_HEADER_SIZE, V1_FRAME_HEADER_SIZE + len);
    if (crc32(payload) === frame.readUInt32BE(4)) return payload;
  }
  return undefined;
}

/** Why the frame at the handle is not the record (`size`: the segment's size). */
function diagnose(seg: FileBasedWriteAheadLogSegment, size: number, frame: Buffer, got: number): WriteAheadLogReadError {
  const v2 = got >= FRAME_HEADER_SIZE && frameHeaderValid(frame, 0, seg.offset, undefined);
  const v1 = !v2 && got >= V1_FRAME_HEADER_SIZE && v1FrameHeaderValid(frame, 0);
  if (!v2 && !v1) {
    if (seg.offset + V1_FRAME_HEADER_SIZE > size) return fail(seg, `the handle is past the end of the segment (${size} bytes)`);
    return fail(seg, 'frame header CRC mismatch (no record starts at this offset, or it is damaged)');
  }
  const hs = v2 ? FRAME_HEADER_SIZE : V1_FRAME_HEADER_SIZE;
  const len = frame.readUInt32BE(0);
  // Spark's wording, so a ported test still matches.
  if (len !== seg.length) return fail(seg, `Expected message length to be ${seg.length}, but was ${len}`);
  if (seg.offset + hs + len > size) return fail(seg, `the record runs past the end of the segment (${size} bytes)`);
  if (got < hs + len) return fail(seg, 'the segment shrank while reading');
  return fail(seg, 'record CRC mismatch (the record is damaged)');
}
