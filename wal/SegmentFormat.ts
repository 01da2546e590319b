import * as zlib from 'node:zlib';

/**
 * The on-disk format of a WAL segment file.
 * ```
 * segment := header frame*
 * header  := 'D' 'S' 'W' 'L' <format version u16 BE> <reserved u16 = 0>          (8 bytes)
 * frame   := <length u32 BE> <crc32(payload) u32 BE> <crc32(first 8 bytes) u32 BE> <payload: length bytes>
 * ```
 * The header CRC protects the length, so a damaged length is detected before it is trusted; the payload CRC catches
 * torn or flipped payload bytes. A record's handle offset is the frame's first byte (Spark: the length prefix).
 */
export const SEGMENT_MAGIC = 0x4453574c; // 'DSWL'
export const SEGMENT_FORMAT_VERSION = 1;
export const SEGMENT_HEADER_SIZE = 8;
export const FRAME_HEADER_SIZE = 12;
/** Largest record: the length field is 32 bits; keep clear of Buffer limits too. */
export const MAX_RECORD_SIZE = 0x7fffffff - FRAME_HEADER_SIZE;

export const crc32: (data: Uint8Array, value?: number) => number = zlib.crc32;

/** A segment's 8-byte header. */
export function segmentHeader(): Buffer {
  const b = Buffer.alloc(SEGMENT_HEADER_SIZE);
  b.writeUInt32BE(SEGMENT_MAGIC, 0);
  b.writeUInt16BE(SEGMENT_FORMAT_VERSION, 4);
  return b;
}

/** The frame header of `payload`. */
export function frameHeader(payload: Uint8Array): Buffer {
  const h = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
  h.writeUInt32BE(payload.length, 0);
  h.writeUInt32BE(crc32(payload), 4);
  h.writeUInt32BE(crc32(h.subarray(0, 8)), 8);
  return h;
}

/** Whether the 12 bytes at `at` are a frame header whose own CRC matches (not all zero: preallocated space). */
export function frameHeaderValid(buf: Buffer, at: number): boolean {
  const len = buf.readUInt32BE(at);
  const pcrc = buf.readUInt32BE(at + 4);
  const hcrc = buf.readUInt32BE(at + 8);
  if (len === 0 && pcrc === 0 && hcrc === 0) return false;
  return crc32(buf.subarray(at, at + 8)) === hcrc;
}
