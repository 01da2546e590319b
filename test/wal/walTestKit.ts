/**
 * Helpers of the WAL suites: temp directories, and an independent reader/writer of the segment format (written from
 * the format's description, not with the log's own code) so that tests check the bytes on disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

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

/** Format 1 (before sequence numbers): 8-byte header, frames of length, payload CRC, CRC of the first 8 bytes. */
export const HEADER_V1 = Buffer.from([0x44, 0x53, 0x57, 0x4c, 0, 1, 0, 0]);
export const V1_FRAME_HEADER = 12;
/** Format 2: 24-byte header (magic, version 2, sequence u64, salt, CRC), 16-byte frame headers. */
export const SEGMENT_HEADER = 24;
export const FRAME_HEADER = 16;

const crc = (b: Buffer): number => zlib.crc32(b);

export function frameV1(payload: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt32BE(payload.length, 0);
  h.writeUInt32BE(crc(payload), 4);
  h.writeUInt32BE(crc(h.subarray(0, 8)), 8);
  return Buffer.concat([h, payload]);
}

export function headerV2(sequence: number, salt: number): Buffer {
  const b = Buffer.alloc(24);
  b.write('DSWL', 0, 'latin1');
  b.writeUInt16BE(2, 4);
  b.writeBigUInt64BE(BigInt(sequence), 8);
  b.writeUInt32BE(salt, 16);
  b.writeUInt32BE(crc(b.subarray(0, 20)), 20);
  return b;
}

/** A format-2 frame written for file offset `offset` of a segment with `salt`. */
export function frameV2(payload: Buffer, offset: number, salt: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32BE(payload.length, 0);
  h.writeUInt32BE(salt, 4);
  h.writeUInt32BE(crc(payload), 8);
  const input = Buffer.alloc(20);
  h.copy(input, 0, 0, 12);
  input.writeBigUInt64BE(BigInt(offset), 12);
  h.writeUInt32BE(crc(input), 12);
  return Buffer.concat([h, payload]);
}

/** The bytes of a format-2 segment holding `records`. */
export function segmentBytes(records: Buffer[], sequence: number, salt: number): Buffer {
  const parts = [headerV2(sequence, salt)];
  let offset = 24;
  for (const r of records) {
    const f = frameV2(r, offset, salt);
    parts.push(f);
    offset += f.length;
  }
  return Buffer.concat(parts);
}

/** Writes a segment file by hand: format 2 with sequence `sequence` (default 1), or format 1 (`sequence: 'v1'`). */
export function writeSegment(file: string, records: Buffer[], sequence: number | 'v1' = 1, salt = 0x5a17 + (sequence === 'v1' ? 0 : sequence)): void {
  if (sequence === 'v1') fs.writeFileSync(file, Buffer.concat([HEADER_V1, ...records.map(frameV1)]));
  else fs.writeFileSync(file, segmentBytes(records, sequence, salt));
}

export interface ManualFrame {
  offset: number;
  /** Offset just after the frame. */
  end: number;
  payload: Buffer;
}

/** The header of a segment file, parsed by hand. */
export function readHeaderManually(file: string): { version: 1 } | { version: 2; sequence: number; salt: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 4).toString('latin1')).toBe('DSWL');
  const version = b.readUInt16BE(4);
  if (version === 1) return { version: 1 };
  expect(version).toBe(2);
  expect(crc(b.subarray(0, 20))).toBe(b.readUInt32BE(20));
  return { version: 2, sequence: Number(b.readBigUInt64BE(8)), salt: b.readUInt32BE(16) };
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
  let p = 24;
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
