import { isAscii } from 'node:buffer';
import { BLOCK_FORMAT_VERSION, BlockEncoding, BlockFormatError } from '../lib/storage/BlockSerializer';

/**
 * Text records serialized in BlockSerializer's strings encoding, piece by piece: a run is the records of one
 * network chunk (their UTF-16 lengths, big-endian u32, and their UTF-8 text). The text receivers serialize each
 * chunk as it arrives, so a block under construction holds bytes rather than hundreds of thousands of young strings
 * (which the garbage collector would copy and promote), and cutting a block is one concatenation.
 *
 * The layout is BlockSerializer's (version 1, kind 1): `'D' 'B' <version> <kind> <n u32> <length u32 × n> <UTF-8>`.
 * The tests check that BlockSerializer reads what is built here.
 */
export interface StringsRun {
  readonly count: number;
  /** `count` big-endian u32 UTF-16 lengths. */
  readonly lengths: Buffer;
  /** The records' UTF-8, concatenated. */
  readonly text: Buffer;
}

const HEADER = 8;

/** The run of `records` (well-formed strings: text decoded from UTF-8 always is). */
export function stringsRun(records: readonly string[]): StringsRun {
  const n = records.length;
  const lengths = Buffer.allocUnsafe(4 * n);
  for (let i = 0; i < n; i++) lengths.writeUInt32BE(records[i].length, 4 * i);
  return { count: n, lengths, text: Buffer.from(records.join(''), 'utf8') };
}

/** One serialized block of the runs' records, in order. */
export function concatStringsRuns(runs: readonly StringsRun[]): Buffer {
  let n = 0;
  let lengthBytes = 0;
  let textBytes = 0;
  for (const r of runs) {
    n += r.count;
    lengthBytes += r.lengths.length;
    textBytes += r.text.length;
  }
  const out = Buffer.allocUnsafe(HEADER + lengthBytes + textBytes);
  out[0] = 0x44; // 'D'
  out[1] = 0x42; // 'B'
  out[2] = BLOCK_FORMAT_VERSION;
  out[3] = BlockEncoding.Strings;
  out.writeUInt32BE(n, 4);
  let p = HEADER;
  let q = HEADER + lengthBytes;
  for (const r of runs) {
    r.lengths.copy(out, p);
    p += r.lengths.length;
    r.text.copy(out, q);
    q += r.text.length;
  }
  return out;
}

/**
 * Text per window when streaming an ASCII block (at most; a longer record gets a window of its own). Each window is
 * one string the records are sliced from: it must stay well below V8's largest regular heap object (128 KiB), or
 * every window is a large-object allocation, which is several times slower and dies only in a full collection; and
 * a record kept by the program (a key in a state map) keeps its window alive, so smaller is kinder to memory too.
 */
const WINDOW_BYTES = 32 * 1024;

/** The big-endian u32 at `p` (the record lengths; a hot loop, so no bounds checks: callers stay in range). */
function u32(b: Buffer, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/**
 * Pushes the records of a strings-encoded block into `sink` without building an array of them; returns false
 * (doing nothing) when `bytes` is another encoding. ASCII text is decoded window by window; other text at once.
 */
export function forEachString(bytes: Buffer, sink: (s: string) => void): boolean {
  if (bytes.length < HEADER || bytes[0] !== 0x44 || bytes[1] !== 0x42 || bytes[2] !== BLOCK_FORMAT_VERSION || bytes[3] !== BlockEncoding.Strings) {
    return false;
  }
  const n = bytes.readUInt32BE(4);
  const textStart = HEADER + 4 * n;
  if (textStart > bytes.length) throw new BlockFormatError(`record count ${n} exceeds the ${bytes.length} bytes`);
  if (isAscii(bytes.subarray(textStart))) {
    // One byte per UTF-16 unit: a window's text is a byte range.
    const end = HEADER + 4 * n;
    let p = HEADER;
    let q = textStart;
    while (p < end) {
      let units = 0;
      let lp = p;
      do {
        units += u32(bytes, lp);
        lp += 4;
      } while (lp < end && units < WINDOW_BYTES);
      if (q + units > bytes.length) throw new BlockFormatError(`string lengths run past the end of the text`);
      const text = bytes.toString('latin1', q, q + units);
      let c = 0;
      for (; p < lp; p += 4) {
        const len = u32(bytes, p);
        sink(text.slice(c, c + len));
        c += len;
      }
      q += units;
    }
    if (q !== bytes.length) throw new BlockFormatError(`${bytes.length - q} bytes of text after the last string`);
    return true;
  }
  const text = bytes.toString('utf8', textStart);
  let c = 0;
  for (let i = 0, p = HEADER; i < n; i++, p += 4) {
    const len = bytes.readUInt32BE(p);
    sink(text.slice(c, c + len));
    c += len;
  }
  if (c !== text.length) throw new BlockFormatError(`string lengths sum to ${c}, text has ${text.length} characters`);
  return true;
}
