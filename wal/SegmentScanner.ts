import * as fs from 'node:fs';
import {
  crc32,
  FRAME_HEADER_SIZE,
  frameHeaderValid,
  HEADER_PROBE_SIZE,
  parseSegmentHeader,
  SEGMENT_HEADER_SIZE,
  type SegmentHeader,
  V1_FRAME_HEADER_SIZE,
  V1_SEGMENT_HEADER_SIZE,
  v1FrameHeaderValid,
} from './SegmentFormat';
import { WriteAheadLogCorruptionError, WriteAheadLogSegmentError } from './WriteAheadLogErrors';

/**
 * Damage found in a log.
 * - `torn-tail`: damage at the end of the segment being written after which no intact frame follows — what a crash
 *   mid-write leaves. Nothing in it was ever acknowledged, so opening the log cuts it.
 * - `corrupt-frame`: a bad frame followed by intact data, or a bad last frame of a segment that is no longer being
 *   written (a crash cannot tear it): an error unless skipping.
 * - `bad-segment`: the file's header is not a readable segment header (zeroed, bad magic, bad CRC, unknown version).
 * - `missing-segment`: sequence numbers skip one or more segments (deleted from the middle of the log).
 * - `duplicate-segment`: a second file with the sequence number (or salt) of another: a copy.
 * - `misordered-segment`: a segment whose sequence number is lower than one sorting before it by name (renamed).
 */
export interface WalDamage {
  readonly segment: string;
  readonly offset: number;
  /** Bytes cut (torn tail), skipped or left unread; 0 for a missing segment. */
  readonly bytes: number;
  readonly kind: 'torn-tail' | 'corrupt-frame' | 'bad-segment' | 'missing-segment' | 'duplicate-segment' | 'misordered-segment';
  readonly reason: string;
  /** For a sequence break: the segment it is seen against (the original of a copy, the neighbour before a gap). */
  readonly other?: string;
  /** What was done: cut from the file, left in place (a scan that repairs nothing), skipped over, or an error. */
  readonly action: 'truncated' | 'ignored' | 'skipped' | 'error';
}

export interface ScanOptions {
  /** Read no further than this offset (the durable end of a segment that is being written). */
  readonly limit?: number;
  /**
   * What to do with corruption: throw ({@link WriteAheadLogCorruptionError}, {@link WriteAheadLogSegmentError}),
   * skip it (and report it), or stop scanning (recovery and reports, which only want to know where the intact data
   * ends).
   */
  readonly onCorrupt: 'throw' | 'skip' | 'stop';
  /** Called for every damage found (the `action` says what the scan did). */
  readonly onDamage?: (damage: WalDamage) => void;
  /**
   * The segment is the one being written when the log was last used: damage after which no intact frame follows is
   * a torn tail (a crash artefact), not corruption. Default false.
   */
  readonly active?: boolean;
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
  /** Offset just after the frame. */
  readonly end: number;
  readonly payload: Buffer;
  readonly owned: boolean;
}

/**
 * Walks the frames of one segment file, checking each frame's header (CRC, salt, offset) and payload CRC, and
 * classifies what it cannot read (see {@link WalDamage}). A missing file reads as empty (deleted by a concurrent
 * clean, as Spark).
 */
export class SegmentScanner {
  /** End of the intact data (offset after the last good frame, or the header). */
  validEnd = 0;
  /** Set when the scan ended at damage. */
  stoppedAt: WalDamage | undefined;
  /** The segment's header, once the scan has read it. */
  header: SegmentHeader | undefined;
  private file: ChunkedFile | undefined;
  private fd: number | undefined;
  private pos = 0;
  private started = false;
  private done = false;
  private format: 1 | 2 = 2;
  private salt: number | undefined;

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
      if (!this.started) {
        this.started = true;
        if (!this.start(file)) return this.finish();
      }
      while (this.pos < file.size) {
        const at = this.pos;
        const hs = this.format === 2 ? FRAME_HEADER_SIZE : V1_FRAME_HEADER_SIZE;
        if (file.size - at < hs) {
          if (!this.damaged(at, `partial frame header (${file.size - at} of ${hs} bytes)`, file.size)) return this.finish();
          continue;
        }
        const h = file.view(at, hs).bytes;
        const headerOk = this.format === 2 ? frameHeaderValid(h, 0, at, this.salt) : v1FrameHeaderValid(h, 0);
        if (!headerOk) {
          if (!this.damaged(at, 'frame header CRC mismatch', undefined)) return this.finish();
          continue;
        }
        const len = h.readUInt32BE(0);
        const pcrc = h.readUInt32BE(this.format === 2 ? 8 : 4);
        const end = at + hs + len;
        if (end > file.size) {
          if (!this.damaged(at, `partial frame (${file.size - at - hs} of ${len} payload bytes)`, file.size)) return this.finish();
          continue;
        }
        const { bytes, owned } = file.view(at + hs, len);
        if (crc32(bytes) !== pcrc) {
          // The header is intact, so its length is trusted: the next frame starts at `end`.
          if (!this.damaged(at, `payload CRC mismatch (record of ${len} bytes)`, end)) return this.finish();
          continue;
        }
        this.pos = end;
        this.validEnd = end;
        return { offset: at, end, payload: bytes, owned };
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

  /** Reads the segment header; false when the scan must end (empty file, damage that stops it). */
  private start(file: ChunkedFile): boolean {
    const header = parseSegmentHeader(file.view(0, Math.min(file.size, HEADER_PROBE_SIZE)).bytes, file.size);
    this.header = header;
    switch (header.kind) {
      case 'empty':
        return false;
      case 'v1':
        return this.resume(1, undefined, V1_SEGMENT_HEADER_SIZE);
      case 'v2':
        return this.resume(2, header.salt, SEGMENT_HEADER_SIZE);
      case 'unsupported':
        this.badSegment(file.size, `segment format version ${header.version}; this build reads versions 1 and 2`);
        return false;
      case 'unreadable':
        return this.unreadableHeader(file, header);
    }
  }

  private resume(format: 1 | 2, salt: number | undefined, at: number): boolean {
    this.format = format;
    this.salt = salt;
    this.pos = at;
    this.validEnd = at;
    return true;
  }

  /**
   * A header that cannot be trusted. A crash leaves only a torn or zeroed header with nothing intact after it (cut
   * on open); intact frames after it are never cut: an error, or with skipping, read on from the first frame when its
   * salt is known (the only place the salt cannot be forged).
   */
  private unreadableHeader(file: ChunkedFile, header: Extract<SegmentHeader, { kind: 'unreadable' }>): boolean {
    if (header.salt !== undefined) {
      const skip = this.badSegment(SEGMENT_HEADER_SIZE, `${header.reason}; intact records follow from offset ${SEGMENT_HEADER_SIZE}`);
      return skip && this.resume(2, header.salt, SEGMENT_HEADER_SIZE);
    }
    if (this.v1FrameAt(file, V1_SEGMENT_HEADER_SIZE)) {
      const skip = this.badSegment(V1_SEGMENT_HEADER_SIZE, `${header.reason}; intact format-1 records follow from offset ${V1_SEGMENT_HEADER_SIZE}`);
      return skip && this.resume(1, undefined, V1_SEGMENT_HEADER_SIZE);
    }
    const next = this.findFrame(1, 2, undefined);
    const nextV1 = next < 0 ? this.findFrame(1, 1, undefined) : -1;
    if (next < 0 && nextV1 < 0) {
      if (header.torn && this.options.active) {
        this.tail(0, file.size, `${header.reason} and no intact frame after it`);
        return false;
      }
      this.badSegment(file.size, `${header.reason}; no intact frame in the segment`);
      return false;
    }
    const first = next >= 0 ? next : nextV1;
    this.badSegment(
      file.size,
      `${header.reason}; frames follow (the first intact-looking one at offset ${first}) but the first frame is damaged too, ` +
        `so the segment's salt is unknown and its records cannot be told from forged ones`,
    );
    return false;
  }

  /**
   * Damage at `at`. `resume` is where the next frame starts when the damaged frame's length is trusted (its header
   * is intact), or the end of the file when nothing can follow. Returns whether to scan on (after skipping).
   */
  private damaged(at: number, reason: string, resume: number | undefined): boolean {
    const size = (this.file as ChunkedFile).size;
    let next: number;
    if (this.format === 2) {
      next = resume !== undefined && resume >= size ? -1 : this.findFrame(resume ?? at + 1, 2, this.salt);
    } else if (resume !== undefined) {
      // Format 1: only a trusted length says where the next frame is; the frame there is checked as any other.
      next = resume < size ? resume : -1;
    } else {
      // Format 1 frames carry no salt: a frame-shaped sequence inside a payload would pass, so this search only
      // decides torn tail vs corruption (a false find keeps bytes: safe), and the scan never resynchronises on it.
      const found = this.findFrame(at + 1, 1, undefined);
      if (found >= 0) {
        const why = `${reason}; a format-1 segment cannot be resynchronised safely after a damaged frame header, so the rest of the segment is not read`;
        this.corrupt(at, size - at, why);
        return false;
      }
      next = -1;
    }
    if (next < 0) {
      if (this.options.active) {
        this.tail(at, size - at, `${reason}; no intact frame after it`);
      } else {
        this.corrupt(at, size - at, `${reason}; no intact frame after it, and the segment is not the one being written (a crash cannot tear it)`);
      }
      return false;
    }
    if (!this.corrupt(at, next - at, `${reason}; next intact frame at offset ${next}`)) return false;
    this.pos = next;
    return true;
  }

  /** Offset of the first fully intact frame at or after `from` (format 2: with `salt`, or any when undefined), or -1. */
  private findFrame(from: number, format: 1 | 2, salt: number | undefined): number {
    const file = this.file as ChunkedFile;
    const hs = format === 2 ? FRAME_HEADER_SIZE : V1_FRAME_HEADER_SIZE;
    let q = from;
    while (q + hs <= file.size) {
      const n = Math.min(CHUNK, file.size - q);
      const bytes = file.view(q, n).bytes;
      let candidate = -1;
      for (let i = 0; i + hs <= n; i++) {
        if (format === 2 ? frameHeaderValid(bytes, i, q + i, salt) : v1FrameHeaderValid(bytes, i)) {
          candidate = q + i;
          break;
        }
      }
      if (candidate < 0) {
        q += n - hs + 1;
        continue;
      }
      if (this.payloadIntact(file, candidate, format)) return candidate;
      q = candidate + 1;
    }
    return -1;
  }

  private payloadIntact(file: ChunkedFile, at: number, format: 1 | 2): boolean {
    const hs = format === 2 ? FRAME_HEADER_SIZE : V1_FRAME_HEADER_SIZE;
    const h = file.view(at, hs).bytes;
    const len = h.readUInt32BE(0);
    const pcrc = h.readUInt32BE(format === 2 ? 8 : 4);
    if (len > file.size - at - hs) return false;
    return crc32(file.view(at + hs, len).bytes) === pcrc;
  }

  private v1FrameAt(file: ChunkedFile, at: number): boolean {
    return at + V1_FRAME_HEADER_SIZE <= file.size && v1FrameHeaderValid(file.view(at, V1_FRAME_HEADER_SIZE).bytes, 0) && this.payloadIntact(file, at, 1);
  }

  private tail(offset: number, bytes: number, reason: string): void {
    const d: WalDamage = { segment: this.segment, offset, bytes, kind: 'torn-tail', reason, action: 'ignored' };
    this.stoppedAt = d;
    this.options.onDamage?.(d);
  }

  /** Reports corruption at `offset`; returns whether to continue after it. */
  private corrupt(offset: number, bytes: number, reason: string): boolean {
    const mode = this.options.onCorrupt;
    const d: WalDamage = { segment: this.segment, offset, bytes, kind: 'corrupt-frame', reason, action: mode === 'skip' ? 'skipped' : 'error' };
    this.options.onDamage?.(d);
    if (mode === 'skip') return true;
    this.stoppedAt = d;
    if (mode === 'throw') throw new WriteAheadLogCorruptionError(this.segment, offset, reason);
    return false;
  }

  /** Reports an unusable header (offset 0, `bytes` not read); returns whether to continue (skipping). */
  private badSegment(bytes: number, reason: string): boolean {
    const mode = this.options.onCorrupt;
    const d: WalDamage = { segment: this.segment, offset: 0, bytes, kind: 'bad-segment', reason, action: mode === 'skip' ? 'skipped' : 'error' };
    this.options.onDamage?.(d);
    if (mode === 'skip') return true;
    this.stoppedAt = d;
    if (mode === 'throw') throw new WriteAheadLogSegmentError(this.segment, 0, reason);
    return false;
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

/**
 * The intact records of one segment file, its sequence number, and the damage that ended the count early, if any
 * (for reports; a damaged tail is described as a torn tail, which it is when the segment is the newest).
 */
export function countSegmentRecords(segment: string): { records: number; sequence?: number; damage?: string } {
  let damage: string | undefined;
  const scanner = new SegmentScanner(segment, {
    onCorrupt: 'stop',
    active: true,
    onDamage: (d) => (damage = `${d.kind} at offset ${d.offset}: ${d.reason}`),
  });
  let records = 0;
  while (scanner.next() !== undefined) records++;
  const sequence = scanner.header?.kind === 'v2' ? scanner.header.sequence : undefined;
  return { records, ...(sequence !== undefined ? { sequence } : {}), ...(damage ? { damage } : {}) };
}
