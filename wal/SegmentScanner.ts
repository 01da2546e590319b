import * as fs from 'node:fs';
import {
  crc32,
  FRAME_HEADER_SIZE,
  frameHeaderValid,
  SEGMENT_FORMAT_VERSION,
  SEGMENT_HEADER_SIZE,
  SEGMENT_MAGIC,
} from './SegmentFormat';
import { WriteAheadLogCorruptionError, WriteAheadLogSegmentError } from './WriteAheadLogErrors';

/**
 * Damage found in a segment.
 * - `torn-tail`: the segment ends inside a frame, or its last frame fails its CRC — what a crash mid-write leaves.
 *   Nothing after it was ever acknowledged, so it is cut (newest segment, on open) or ignored (reads).
 * - `corrupt-frame`: a bad frame followed by intact data — not a crash artefact; an error unless skipping.
 * - `bad-segment`: the file's header is not a segment header of a known version.
 */
export interface WalDamage {
  readonly segment: string;
  readonly offset: number;
  /** Bytes cut (torn tail) or skipped (corrupt frame). */
  readonly bytes: number;
  readonly kind: 'torn-tail' | 'corrupt-frame' | 'bad-segment';
  readonly reason: string;
  /** What was done: cut from the file, left in place and ignored, skipped over, or raised as an error. */
  readonly action: 'truncated' | 'ignored' | 'skipped' | 'error';
}

export interface ScanOptions {
  /** Read no further than this offset (the durable end of a segment that is being written). */
  readonly limit?: number;
  /**
   * What to do with a corrupt frame in the middle: throw {@link WriteAheadLogCorruptionError}, skip it, or stop
   * scanning (recovery, which only wants to know where the intact data ends).
   */
  readonly onCorrupt: 'throw' | 'skip' | 'stop';
  /** Called for every damage found (the `action` says what the scan did). */
  readonly onDamage?: (damage: WalDamage) => void;
}

const CHUNK = 1 << 20;

/** Reads a file through one reusable chunk; views stay valid until the next call. */
class ChunkedFile {
  private buf = Buffer.allocUnsafe(0);
  private bufPos = 0;
  private bufLen = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** `n` bytes at `pos` (the caller checked `pos + n <= size`); `owned` when the buffer is fresh, not a view. */
  view(pos: number, n: number): { bytes: Buffer; owned: boolean } {
    if (pos >= this.bufPos && pos + n <= this.bufPos + this.bufLen) {
      const at = pos - this.bufPos;
      return { bytes: this.buf.subarray(at, at + n), owned: false };
    }
    if (n > CHUNK) {
      const b = Buffer.allocUnsafe(n);
      this.readFully(b, n, pos);
      return { bytes: b, owned: true };
    }
    if (this.buf.length === 0) this.buf = Buffer.allocUnsafe(CHUNK);
    this.bufPos = pos;
    this.bufLen = Math.min(CHUNK, this.size - pos);
    this.readFully(this.buf, this.bufLen, pos);
    return { bytes: this.buf.subarray(0, n), owned: false };
  }

  private readFully(b: Buffer, n: number, pos: number): void {
    let got = 0;
    while (got < n) {
      const r = fs.readSync(this.fd, b, got, n - got, pos + got);
      if (r === 0) throw new Error(`unexpected end of file at ${pos + got} (file shrank while reading)`);
      got += r;
    }
  }
}

/** One intact record; `payload` is a view valid until the next call to `next()` unless `owned`. */
export interface ScannedFrame {
  readonly offset: number;
  readonly payload: Buffer;
  readonly owned: boolean;
}

/**
 * Walks the frames of one segment file, checking each frame's header CRC and payload CRC, and classifies what it
 * cannot read (see {@link WalDamage}). A missing file reads as empty (deleted by a concurrent clean, as Spark).
 */
export class SegmentScanner {
  /** End of the intact data (offset after the last good frame, or the header). */
  validEnd = 0;
  /** Set when the scan ended at damage. */
  stoppedAt: WalDamage | undefined;
  private file: ChunkedFile | undefined;
  private fd: number | undefined;
  private pos = 0;
  private done = false;

  constructor(
    readonly segment: string,
    private readonly options: ScanOptions,
  ) {
    try {
      this.fd = fs.openSync(segment, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.done = true;
        return;
      }
      throw e;
    }
    const size = Math.min(fs.fstatSync(this.fd).size, options.limit ?? Number.MAX_SAFE_INTEGER);
    this.file = new ChunkedFile(this.fd, size);
  }

  /** The next intact record, or undefined at the end (clean end, torn tail, or a stop at corruption). */
  next(): ScannedFrame | undefined {
    if (this.done) return undefined;
    const file = this.file as ChunkedFile;
    try {
      if (this.pos === 0 && !this.readHeader(file)) return this.finish();
      while (this.pos < file.size) {
        const at = this.pos;
        if (file.size - at < FRAME_HEADER_SIZE) {
          this.tail(at, file.size - at, `partial frame header (${file.size - at} of ${FRAME_HEADER_SIZE} bytes)`);
          return this.finish();
        }
        const h = file.view(at, FRAME_HEADER_SIZE).bytes;
        if (!frameHeaderValid(h, 0)) {
          const next = this.findNextFrame(file, at + 1);
          if (next < 0) {
            this.tail(at, file.size - at, 'frame header CRC mismatch and no intact frame after it');
            return this.finish();
          }
          if (!this.corrupt(at, next - at, `frame header CRC mismatch; next intact frame at offset ${next}`)) return this.finish();
          this.pos = next;
          continue;
        }
        const len = h.readUInt32BE(0);
        const pcrc = h.readUInt32BE(4);
        const end = at + FRAME_HEADER_SIZE + len;
        if (end > file.size) {
          this.tail(at, file.size - at, `partial frame (${file.size - at - FRAME_HEADER_SIZE} of ${len} payload bytes)`);
          return this.finish();
        }
        const { bytes, owned } = file.view(at + FRAME_HEADER_SIZE, len);
        if (crc32(bytes) !== pcrc) {
          if (end === file.size) {
            this.tail(at, file.size - at, 'CRC mismatch in the last frame');
            return this.finish();
          }
          if (!this.corrupt(at, end - at, `payload CRC mismatch (record of ${len} bytes)`)) return this.finish();
          this.pos = end;
          continue;
        }
        this.pos = end;
        this.validEnd = end;
        return { offset: at, payload: bytes, owned };
      }
      return this.finish();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Releases the file (also done at the end of the scan). */
  close(): void {
    this.done = true;
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      fs.closeSync(fd);
    }
  }

  private finish(): undefined {
    this.close();
    return undefined;
  }

  /** Checks the segment header; false when the scan must end (empty file, torn or unusable header). */
  private readHeader(file: ChunkedFile): boolean {
    if (file.size === 0) return false;
    if (file.size < SEGMENT_HEADER_SIZE) {
      this.tail(0, file.size, `partial segment header (${file.size} of ${SEGMENT_HEADER_SIZE} bytes)`);
      return false;
    }
    const h = file.view(0, SEGMENT_HEADER_SIZE).bytes;
    if (h.readUInt32BE(0) !== SEGMENT_MAGIC) {
      if (h.every((b) => b === 0)) {
        // Space that was allocated but never written: a crash while the segment was being created.
        this.tail(0, file.size, 'zeroed segment header');
        return false;
      }
      this.badSegment(`bad magic 0x${h.readUInt32BE(0).toString(16)} (not a dstreams WAL segment)`);
      return false;
    }
    const version = h.readUInt16BE(4);
    if (version !== SEGMENT_FORMAT_VERSION) {
      this.badSegment(`segment format version ${version}; this build reads version ${SEGMENT_FORMAT_VERSION}`);
      return false;
    }
    this.pos = SEGMENT_HEADER_SIZE;
    this.validEnd = SEGMENT_HEADER_SIZE;
    return true;
  }

  /** Offset of the next fully intact frame at or after `from`, or -1. Only runs on damage. */
  private findNextFrame(file: ChunkedFile, from: number): number {
    for (let q = from; q + FRAME_HEADER_SIZE <= file.size; q++) {
      const h = file.view(q, FRAME_HEADER_SIZE).bytes;
      const len = h.readUInt32BE(0);
      if (len > file.size - q - FRAME_HEADER_SIZE) continue;
      if (!frameHeaderValid(h, 0)) continue;
      const pcrc = h.readUInt32BE(4);
      if (crc32(file.view(q + FRAME_HEADER_SIZE, len).bytes) === pcrc) return q;
    }
    return -1;
  }

  private tail(offset: number, bytes: number, reason: string): void {
    const d: WalDamage = { segment: this.segment, offset, bytes, kind: 'torn-tail', reason, action: 'ignored' };
    this.stoppedAt = d;
    this.options.onDamage?.(d);
  }

  /** Reports a corrupt middle frame; returns whether to continue after it. */
  private corrupt(offset: number, bytes: number, reason: string): boolean {
    const mode = this.options.onCorrupt;
    const action = mode === 'skip' ? 'skipped' : 'error';
    const d: WalDamage = { segment: this.segment, offset, bytes, kind: 'corrupt-frame', reason, action };
    this.options.onDamage?.(d);
    if (mode === 'skip') return true;
    this.stoppedAt = d;
    if (mode === 'throw') throw new WriteAheadLogCorruptionError(this.segment, offset, reason);
    return false;
  }

  private badSegment(reason: string): void {
    const mode = this.options.onCorrupt;
    const d: WalDamage = {
      segment: this.segment,
      offset: 0,
      bytes: (this.file as ChunkedFile).size,
      kind: 'bad-segment',
      reason,
      action: mode === 'skip' ? 'skipped' : 'error',
    };
    this.stoppedAt = d;
    this.options.onDamage?.(d);
    if (mode === 'throw') throw new WriteAheadLogSegmentError(this.segment, reason);
  }
}

/** Every intact record of one segment, copied out (for readers that keep them). */
export function* readSegmentRecords(segment: string, options: ScanOptions): Generator<Buffer> {
  const scanner = new SegmentScanner(segment, options);
  try {
    for (let f = scanner.next(); f !== undefined; f = scanner.next()) {
      yield f.owned ? f.payload : Buffer.from(f.payload);
    }
  } finally {
    scanner.close();
  }
}

/** The intact records of one segment file, and the damage that ended the count early, if any (for reports). */
export function countSegmentRecords(segment: string): { records: number; damage?: string } {
  let damage: string | undefined;
  const scanner = new SegmentScanner(segment, { onCorrupt: 'stop', onDamage: (d) => (damage = `${d.kind} at offset ${d.offset}: ${d.reason}`) });
  let records = 0;
  while (scanner.next() !== undefined) records++;
  return damage ? { records, damage } : { records };
}
