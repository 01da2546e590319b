/**
 * Helpers of the WAL suites: temp directories, and an independent reader/writer of the segment format (written from
 * the format's description, not with the log's own code) so that tests check the bytes on disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { frameV1, frameV2, HEADER_V1, segmentBytes } from './fixtures/segmentBytes';

export { recordBytes, recordSize } from './fixtures/records';

export function tempDir(prefix = 'wal-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function segmentFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => /^log-\d+-\d+$/.test(n))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]) || a.localeCompare(b))
    .map((n) => path.join(dir, n));
}

export { FRAME_HEADER, frameV1, frameV2, HEADER_V1, headerV2, SEGMENT_HEADER, segmentBytes, V1_FRAME_HEADER } from './fixtures/segmentBytes';

const crc = (b: Buffer): number => zlib.crc32(b);

/**
 * Writes a segment file by hand: format 2 with sequence `sequence` (default 1; salts chained as the writer does), or
 * format 1 (`sequence: 'v1'`).
 */
export function writeSegment(file: string, records: Buffer[], sequence: number | 'v1' = 1): void {
  if (sequence === 'v1') fs.writeFileSync(file, Buffer.concat([HEADER_V1, ...records.map(frameV1)]));
  else fs.writeFileSync(file, segmentBytes(records, sequence, handSalt(sequence), sequence > 1 ? handSalt(sequence - 1) : 0));
}

/** The salt `writeSegment` gives sequence `n`. */
export const handSalt = (n: number): number => 0x5a170000 + n;

export interface ManualFrame {
  offset: number;
  /** Offset just after the frame. */
  end: number;
  payload: Buffer;
}

/** The header of a segment file, parsed by hand. */
export function readHeaderManually(file: string): { version: 1 } | { version: 2; sequence: number; salt: number; previousSalt: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 4).toString('latin1')).toBe('DSWL');
  const version = b.readUInt16BE(4);
  if (version === 1) return { version: 1 };
  expect(version).toBe(2);
  expect(crc(b.subarray(0, 24))).toBe(b.readUInt32BE(24));
  return { version: 2, sequence: Number(b.readBigUInt64BE(8)), salt: b.readUInt32BE(16), previousSalt: b.readUInt32BE(20) };
}

/** Parses a segment by hand: header, then frames, checking both CRCs (and salt, offset); stops at the first bad frame. */
export function readSegmentManually(file: string): ManualFrame[] {
  const b = fs.readFileSync(file);
  if (b.length === 0) return [];
  const header = readHeaderManually(file);
  const out: ManualFrame[] = [];
  if (header.version === 1) {
    let p = 8;
    while (p + 12 <= b.length) {
      const len = b.readUInt32BE(p);
      if (crc(b.subarray(p, p + 8)) !== b.readUInt32BE(p + 8)) break;
      if (p + 12 + len > b.length) break;
      const payload = b.subarray(p + 12, p + 12 + len);
      if (crc(payload) !== b.readUInt32BE(p + 4)) break;
      out.push({ offset: p, end: p + 12 + len, payload: Buffer.from(payload) });
      p += 12 + len;
    }
    return out;
  }
  let p = 28;
  while (p + 16 <= b.length) {
    const len = b.readUInt32BE(p);
    if (p + 16 + len > b.length) break;
    const expected = frameV2(b.subarray(p + 16, p + 16 + len), p, header.salt);
    if (!expected.equals(b.subarray(p, p + 16 + len))) break;
    out.push({ offset: p, end: p + 16 + len, payload: Buffer.from(b.subarray(p + 16, p + 16 + len)) });
    p += 16 + len;
  }
  return out;
}

export function strings(from: number, to: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = from; i <= to; i++) out.push(Buffer.from(String(i)));
  return out;
}

export function asStrings(records: Iterable<Buffer>): string[] {
  return [...records].map((b) => b.toString());
}
