import { isAscii } from 'node:buffer';
import * as v8 from 'node:v8';
import { IllegalArgumentException } from '../core/errors';

/**
 * Serialization of a block's records: the bytes a receiver block is written as (WAL record, serialized block
 * manager levels). Spark's `SerializerManager.dataSerialize` / `dataDeserializeStream` with one fixed serializer.
 *
 * Format (big-endian), version 1:
 * ```
 * 'D' 'B' <version u8> <kind u8> <body>
 * kind 1 strings: <n u32> <UTF-16 length u32 × n> <UTF-8 of the strings concatenated>
 * kind 2 buffers: <n u32> <byte length u32 × n> <bytes concatenated>
 * kind 3 v8:      v8.serialize(records array)
 * ```
 * Arrays of well-formed strings and arrays of Buffers take the fast paths (one join, one encode, one decode);
 * anything else goes through `v8.serialize`, which keeps the JavaScript value (Maps, Dates, typed arrays, ...).
 */
export const BLOCK_FORMAT_VERSION = 1;
const MAGIC0 = 0x44; // 'D'
const MAGIC1 = 0x42; // 'B'
const HEADER = 4;

/** How a block's body is encoded (the `kind` byte). */
export const BlockEncoding = { Strings: 1, Buffers: 2, V8: 3 } as const;
export type BlockEncoding = (typeof BlockEncoding)[keyof typeof BlockEncoding];

/** Bytes that are not a serialized block (bad magic, unknown version or kind, inconsistent lengths). */
export class BlockFormatError extends IllegalArgumentException {
  constructor(readonly reason: string) {
    super(`Not a serialized dstreams block: ${reason}`);
  }
}

// ES2024 `String.prototype.isWellFormed` (present in Node 20; the project's TS lib is ES2023).
type WellFormedCheck = { isWellFormed(): boolean };

function allWellFormedStrings(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // A lone surrogate does not survive UTF-8; such arrays take the v8 path, which keeps it.
    if (typeof v !== 'string' || !(v as unknown as WellFormedCheck).isWellFormed()) return false;
  }
  return true;
}

function allBuffers(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (!Buffer.isBuffer(values[i])) return false;
  return values.length > 0;
}

function header(out: Buffer, kind: BlockEncoding): void {
  out[0] = MAGIC0;
  out[1] = MAGIC1;
  out[2] = BLOCK_FORMAT_VERSION;
  out[3] = kind;
}

function serializeStrings(values: readonly string[]): Buffer {
  const n = values.length;
  const joined = values.join('');
  const textBytes = Buffer.byteLength(joined, 'utf8');
  const bodyStart = HEADER + 4 + 4 * n;
  const out = Buffer.allocUnsafe(bodyStart + textBytes);
  header(out, BlockEncoding.Strings);
  out.writeUInt32BE(n, HEADER);
  let p = HEADER + 4;
  for (let i = 0; i < n; i++, p += 4) out.writeUInt32BE(values[i].length, p);
  out.write(joined, bodyStart, 'utf8');
  return out;
}

function serializeBuffers(values: readonly Buffer[]): Buffer {
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i].length;
  const bodyStart = HEADER + 4 + 4 * n;
  const out = Buffer.allocUnsafe(bodyStart + total);
  header(out, BlockEncoding.Buffers);
  out.writeUInt32BE(n, HEADER);
  let p = HEADER + 4;
  let q = bodyStart;
  for (let i = 0; i < n; i++, p += 4) {
    const b = values[i];
    out.writeUInt32BE(b.length, p);
    b.copy(out, q);
    q += b.length;
  }
  return out;
}

function checkHeader(bytes: Buffer): BlockEncoding {
  if (bytes.length < HEADER || bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1) throw new BlockFormatError('bad magic');
  if (bytes[2] !== BLOCK_FORMAT_VERSION) throw new BlockFormatError(`unknown format version ${bytes[2]}`);
  const kind = bytes[3];
  if (kind !== BlockEncoding.Strings && kind !== BlockEncoding.Buffers && kind !== BlockEncoding.V8) {
    throw new BlockFormatError(`unknown encoding ${kind}`);
  }
  return kind as BlockEncoding;
}

function countOf(bytes: Buffer): number {
  if (bytes.length < HEADER + 4) throw new BlockFormatError('truncated record count');
  const n = bytes.readUInt32BE(HEADER);
  if (HEADER + 4 + 4 * n > bytes.length) throw new BlockFormatError(`record count ${n} exceeds the ${bytes.length} bytes`);
  return n;
}

function deserializeStrings(bytes: Buffer): string[] {
  const n = countOf(bytes);
  const bodyStart = HEADER + 4 + 4 * n;
  const text = bytes.toString('utf8', bodyStart);
  const out = new Array<string>(n);
  let p = HEADER + 4;
  let c = 0;
  for (let i = 0; i < n; i++, p += 4) {
    const len = bytes.readUInt32BE(p);
    out[i] = text.slice(c, c + len);
    c += len;
  }
  if (c !== text.length) throw new BlockFormatError(`string lengths sum to ${c}, text has ${text.length} characters`);
  return out;
}

function deserializeBuffers(bytes: Buffer): Buffer[] {
  const n = countOf(bytes);
  const out = new Array<Buffer>(n);
  let p = HEADER + 4;
  let q = HEADER + 4 + 4 * n;
  for (let i = 0; i < n; i++, p += 4) {
    const len = bytes.readUInt32BE(p);
    if (q + len > bytes.length) throw new BlockFormatError(`record ${i} of ${len} bytes runs past the end`);
    // Views into the input: no copy; the caller owns `bytes`.
    out[i] = bytes.subarray(q, q + len);
    q += len;
  }
  if (q !== bytes.length) throw new BlockFormatError(`${bytes.length - q} trailing bytes`);
  return out;
}

export const BlockSerializer = {
  /** Serializes the records of a block. */
  serialize(values: readonly unknown[]): Buffer {
    if (!Array.isArray(values)) throw new IllegalArgumentException('BlockSerializer.serialize expects an array of records');
    if (allWellFormedStrings(values)) return serializeStrings(values as readonly string[]);
    if (allBuffers(values)) return serializeBuffers(values as readonly Buffer[]);
    const body = v8.serialize(values);
    const out = Buffer.allocUnsafe(HEADER + body.length);
    header(out, BlockEncoding.V8);
    body.copy(out, HEADER);
    return out;
  },

  /** The records of serialized block bytes; throws {@link BlockFormatError} if they are not a block. */
  deserialize(bytes: Buffer): unknown[] {
    const kind = checkHeader(bytes);
    if (kind === BlockEncoding.Strings) return deserializeStrings(bytes);
    if (kind === BlockEncoding.Buffers) return deserializeBuffers(bytes);
    let values: unknown;
    try {
      values = v8.deserialize(bytes.subarray(HEADER));
    } catch (e) {
      throw new BlockFormatError(`v8 body does not deserialize (${(e as Error).message})`);
    }
    if (!Array.isArray(values)) throw new BlockFormatError('v8 body is not an array');
    return values;
  },

  /**
   * Checks that the bytes are a whole block that {@link deserialize} reads (the body too, not only the header) and
   * returns its record count; throws {@link BlockFormatError} otherwise. For receivers that store bytes they did not
   * make (rawSocketStream), so a bad block is dropped where it arrives instead of failing its batch later. Strings:
   * the text is decoded once (no per-record strings); buffers: lengths only; v8: a full decode.
   */
  validate(bytes: Buffer): number {
    const kind = checkHeader(bytes);
    if (kind === BlockEncoding.V8) return BlockSerializer.deserialize(bytes).length;
    const n = countOf(bytes);
    const bodyStart = HEADER + 4 + 4 * n;
    let sum = 0;
    for (let p = HEADER + 4; p < bodyStart; p += 4) sum += bytes.readUInt32BE(p);
    if (kind === BlockEncoding.Strings) {
      // ASCII is one UTF-16 unit per byte: no need to decode it.
      const chars = isAscii(bytes.subarray(bodyStart)) ? bytes.length - bodyStart : bytes.toString('utf8', bodyStart).length;
      if (sum !== chars) throw new BlockFormatError(`string lengths sum to ${sum}, text has ${chars} characters`);
    } else if (bodyStart + sum !== bytes.length) {
      throw new BlockFormatError(bodyStart + sum > bytes.length ? `records of ${sum} bytes run past the end` : `${bytes.length - bodyStart - sum} trailing bytes`);
    }
    return n;
  },

  /** The number of records, read from the header for the fast paths (no decoding). */
  countRecords(bytes: Buffer): number {
    const kind = checkHeader(bytes);
    if (kind === BlockEncoding.V8) return BlockSerializer.deserialize(bytes).length;
    return countOf(bytes);
  },

  /** The encoding the bytes use (for inspection and tests). */
  encodingOf(bytes: Buffer): BlockEncoding {
    return checkHeader(bytes);
  },
};
