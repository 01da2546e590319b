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

export const HEADER = Buffer.from([0x44, 0x53, 0x57, 0x4c, 0, 1, 0, 0]);

export function frame(payload: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt32BE(payload.length, 0);
  h.writeUInt32BE(zlib.crc32(payload), 4);
  h.writeUInt32BE(zlib.crc32(h.subarray(0, 8)), 8);
  return Buffer.concat([h, payload]);
}

/** Writes a segment file by hand. */
export function writeSegment(file: string, records: Buffer[]): void {
  fs.writeFileSync(file, Buffer.concat([HEADER, ...records.map(frame)]));
}

export interface ManualFrame {
  offset: number;
  payload: Buffer;
}

/** Parses a segment by hand: header, then frames, checking both CRCs; stops at the first bad frame. */
export function readSegmentManually(file: string): ManualFrame[] {
  const b = fs.readFileSync(file);
  if (b.length === 0) return [];
  expect(b.subarray(0, 8)).toEqual(HEADER);
  const out: ManualFrame[] = [];
  let p = 8;
  while (p + 12 <= b.length) {
    const len = b.readUInt32BE(p);
    if (zlib.crc32(b.subarray(p, p + 8)) !== b.readUInt32BE(p + 8)) break;
    if (p + 12 + len > b.length) break;
    const payload = b.subarray(p + 12, p + 12 + len);
    if (zlib.crc32(payload) !== b.readUInt32BE(p + 4)) break;
    out.push({ offset: p, payload: Buffer.from(payload) });
    p += 12 + len;
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
