import { randomInt } from 'node:crypto';
import * as zlib from 'node:zlib';

/**
 * The on-disk format of a WAL segment file (format 2; format 1 is still read, never written).
 * ```
 * segment := header frame*
 * header  := 'D' 'S' 'W' 'L' <version u16 BE = 2> <reserved u16 = 0> <sequence u64 BE> <salt u32 BE>
 *            <salt of the previous segment u32 BE, 0 for none> <crc32(first 24 bytes) u32 BE>  (28 bytes)
 * frame   := <length u32 BE> <salt u32 BE> <crc32(payload) u32 BE>
 *            <crc32(first 12 bytes ++ frame offset as u64 BE) u32 BE> <payload: length bytes>       (16 + length)
 * ```
 * - The sequence number counts the segments of a log (1, 2, 3, ... in name order), so that a segment deleted from
 *   the middle, copied or renamed is found (as etcd's WAL checks its file sequence). The previous segment's salt
 *   chains the segments, so that a segment whose own header is unreadable is still placed by its successor's.
 * - The salt is random per segment (never 0) and in every frame header, under the header CRC. After damage the
 *   scanner resynchronises only on a frame with this segment's salt at the offset its CRC names, so a frame embedded
 *   in a record's payload (or copied from another segment or another place) is never taken for a record: user data
 *   cannot forge one without holding this segment's salt, which only the file itself holds.
 * - The header CRC protects the length, so a damaged length is detected before it is trusted; the payload CRC
 *   catches torn or flipped payload bytes. A record's handle offset is the frame's first byte (Spark: the length
 *   prefix).
 *
 * Format 1 (written by dstreams before sequence numbers): `'DSWL' <1 u16> <0 u16>` (8 bytes), frames
 * `<length u32> <crc32(payload) u32> <crc32(first 8 bytes) u32> <payload>`.
 */
export const SEGMENT_MAGIC = 0x4453574c; // 'DSWL'
export const SEGMENT_FORMAT_VERSION = 2;
export const SEGMENT_HEADER_SIZE = 28;
export const FRAME_HEADER_SIZE = 16;
export const V1_SEGMENT_HEADER_SIZE = 8;
export const V1_FRAME_HEADER_SIZE = 12;
/** Largest record: the length field is 32 bits; keep clear of Buffer limits too. */
export const MAX_RECORD_SIZE = 0x7fffffff - FRAME_HEADER_SIZE;

export const crc32: (data: Uint8Array, value?: number) => number = zlib.crc32;

const TWO_32 = 0x100000000;

/** A fresh segment salt: random, never 0 (so zeroed bytes never carry a valid salt). */
export function newSalt(): number {
  return randomInt(1, TWO_32);
}

/** A format-2 segment header. */
export function segmentHeader(sequence: number, salt: number, previousSalt: number): Buffer {
  const b = Buffer.alloc(SEGMENT_HEADER_SIZE);
  b.writeUInt32BE(SEGMENT_MAGIC, 0);
  b.writeUInt16BE(SEGMENT_FORMAT_VERSION, 4);
  b.writeUInt32BE(Math.floor(sequence / TWO_32), 8);
  b.writeUInt32BE(sequence >>> 0, 12);
  b.writeUInt32BE(salt, 16);
  b.writeUInt32BE(previousSalt, 20);
  b.writeUInt32BE(crc32(b.subarray(0, 24)), 24);
  return b;
}

// CRC-32 (IEEE, zlib's) by table, for the 20 bytes a frame header's CRC covers: a native call costs more than
// computing 20 bytes here, and this needs no buffer for the offset.
const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

function crcWord(c: number, w: number): number {
  c = CRC_TABLE[(c ^ (w >>> 24)) & 0xff] ^ (c >>> 8);
  c = CRC_TABLE[(c ^ (w >>> 16)) & 0xff] ^ (c >>> 8);
  c = CRC_TABLE[(c ^ (w >>> 8)) & 0xff] ^ (c >>> 8);
  return CRC_TABLE[(c ^ w) & 0xff] ^ (c >>> 8);
}

/** crc32 of `length`, `salt`, `payloadCrc` and `offset` (u64), all big-endian: a frame header's own CRC. */
function frameCrc(length: number, salt: number, payloadCrc: number, offset: number): number {
  let c = -1;
  c = crcWord(c, length);
  c = crcWord(c, salt);
  c = crcWord(c, payloadCrc);
  c = crcWord(c, Math.floor(offset / TWO_32));
  c = crcWord(c, offset >>> 0);
  return (c ^ -1) >>> 0;
}

/** Writes the format-2 frame header of a payload of `length` bytes with CRC `payloadCrc` at `out[at]`. */
export function writeFrameHeader(out: Buffer, at: number, length: number, salt: number, payloadCrc: number, offset: number): void {
  out.writeUInt32BE(length, at);
  out.writeUInt32BE(salt, at + 4);
  out.writeUInt32BE(payloadCrc, at + 8);
  out.writeUInt32BE(frameCrc(length, salt, payloadCrc, offset), at + 12);
}

/**
 * Whether the 16 bytes at `buf[at]` are a format-2 frame header written for file offset `offset`, with salt `salt`
 * (any salt but 0 when undefined: a segment whose header is unreadable).
 */
export function frameHeaderValid(buf: Buffer, at: number, offset: number, salt: number | undefined): boolean {
  const s = buf.readUInt32BE(at + 4);
  if (salt === undefined ? s === 0 : s !== salt) return false;
  return frameCrc(buf.readUInt32BE(at), s, buf.readUInt32BE(at + 8), offset) === buf.readUInt32BE(at + 12);
}

/** Whether the 12 bytes at `buf[at]` are a format-1 frame header whose own CRC matches (not all zero). */
export function v1FrameHeaderValid(buf: Buffer, at: number): boolean {
  const len = buf.readUInt32BE(at);
  const pcrc = buf.readUInt32BE(at + 4);
  const hcrc = buf.readUInt32BE(at + 8);
  if (len === 0 && pcrc === 0 && hcrc === 0) return false;
  return crc32(buf.subarray(at, at + 8)) === hcrc;
}

/** What the first bytes of a segment file say. */
export type SegmentHeader =
  | { readonly kind: 'empty' }
  | { readonly kind: 'v1' }
  | { readonly kind: 'v2'; readonly sequence: number; readonly salt: number; readonly previousSalt: number }
  /** A format this build does not read. */
  | { readonly kind: 'unsupported'; readonly version: number }
  /**
   * A header that cannot be trusted: `torn` when it is what a crash while creating the segment leaves (a prefix of a
   * header, or zeros); `salt` is the salt of an intact format-2 frame right after the header, if there is one.
   */
  | { readonly kind: 'unreadable'; readonly reason: string; readonly torn: boolean; readonly salt?: number };

/** Bytes to read from the start of a segment to parse its header (the header and the first frame header). */
export const HEADER_PROBE_SIZE = SEGMENT_HEADER_SIZE + FRAME_HEADER_SIZE;

/** Parses a segment's first bytes (`buf`, at most {@link HEADER_PROBE_SIZE}; `size` is the file's size). */
export function parseSegmentHeader(buf: Buffer, size: number): SegmentHeader {
  if (size === 0) return { kind: 'empty' };
  const n = Math.min(buf.length, size);
  const magic = Buffer.from([0x44, 0x53, 0x57, 0x4c]);
  const m = Math.min(n, 4);
  if (buf.subarray(0, m).equals(magic.subarray(0, m))) {
    if (n < 6) return { kind: 'unreadable', reason: `partial segment header (${n} byte${n === 1 ? '' : 's'})`, torn: true };
    const version = buf.readUInt16BE(4);
    if (version === 1) {
      return n >= V1_SEGMENT_HEADER_SIZE ? { kind: 'v1' } : { kind: 'unreadable', reason: `partial segment header (${n} of ${V1_SEGMENT_HEADER_SIZE} bytes)`, torn: true };
    }
    if (version !== SEGMENT_FORMAT_VERSION) return { kind: 'unsupported', version };
    if (n < SEGMENT_HEADER_SIZE) return { kind: 'unreadable', reason: `partial segment header (${n} of ${SEGMENT_HEADER_SIZE} bytes)`, torn: true };
    if (crc32(buf.subarray(0, 24)) === buf.readUInt32BE(24)) {
      return { kind: 'v2', sequence: buf.readUInt32BE(8) * TWO_32 + buf.readUInt32BE(12), salt: buf.readUInt32BE(16), previousSalt: buf.readUInt32BE(20) };
    }
    return unreadable(buf, n, 'segment header CRC mismatch', false);
  }
  // Zeros over the whole header are what a crash while creating the segment can leave (space allocated, never
  // written); zeros over its start only are damage.
  if (buf.subarray(0, Math.min(n, V1_SEGMENT_HEADER_SIZE)).every((b) => b === 0)) {
    return unreadable(buf, n, 'zeroed segment header', buf.subarray(0, Math.min(n, SEGMENT_HEADER_SIZE)).every((b) => b === 0));
  }
  const shown = buf.subarray(0, Math.min(n, 8)).toString('hex');
  return unreadable(buf, n, `bad magic (first bytes 0x${shown}: not a dstreams WAL segment header)`, false);
}

function unreadable(buf: Buffer, n: number, reason: string, torn: boolean): SegmentHeader {
  // The salt of an intact frame header where the first frame starts: the only place it cannot be forged.
  if (n >= HEADER_PROBE_SIZE && frameHeaderValid(buf, SEGMENT_HEADER_SIZE, SEGMENT_HEADER_SIZE, undefined)) {
    return { kind: 'unreadable', reason, torn, salt: buf.readUInt32BE(SEGMENT_HEADER_SIZE + 4) };
  }
  return { kind: 'unreadable', reason, torn };
}
