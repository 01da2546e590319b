import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { type StringsRun, stringsRun } from '../StringsBlock';

const NO_LINES: string[] = [];
const NO_RUN: StringsRun = { count: 0, lengths: Buffer.alloc(0), text: Buffer.alloc(0) };
const LINE_BREAK = /\r\n|\r|\n/;
const LF = 10;

/**
 * Splits a byte stream into text lines as Java's `BufferedReader.readLine` does (Spark's `SocketReceiver.bytesToLines`):
 * a line ends at `\n`, `\r\n` or `\r`, and the last line needs no terminator. Bytes are decoded as UTF-8, invalid
 * sequences becoming U+FFFD, and a character or a `\r\n` split across two chunks is handled.
 *
 * A line longer than `maxLineBytes` (UTF-8) is dropped and reported to `onTooLong`, without buffering more than
 * the limit: the rest of it is skipped up to the next line break. Each chunk is decoded once and split with
 * `String.prototype.split`, the fastest way to make one string per line in V8.
 */
export class SocketLineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** The start of a line whose end has not arrived yet. */
  private carry = '';
  /** The last chunk ended with `\r`: a `\n` starting the next chunk belongs to that line break. */
  private skipLF = false;
  /** Inside an over-long line: drop text up to the next line break. */
  private discarding = false;
  private discardedBytes = 0;

  constructor(
    readonly maxLineBytes: number,
    private readonly onTooLong: (lineBytes: number) => void = () => undefined,
  ) {}

  /** Whether the decoder may hold the start of a character cut by the chunk's end. */
  private decoderMayHoldBytes = false;

  /** The complete lines the chunk finishes (possibly none). */
  push(chunk: Buffer): string[] {
    const text = this.decoder.write(chunk);
    this.decoderMayHoldBytes = chunk.length > 0 && chunk[chunk.length - 1] >= 0x80;
    return this.pushText(text);
  }

  /**
   * The complete lines the chunk finishes, serialized (BlockSerializer's strings encoding): what the text receiver
   * stores. An ASCII chunk without `\r` (the common case) is split and re-encoded as Latin-1, never decoded as UTF-8.
   */
  pushSerialized(chunk: Buffer): StringsRun {
    if (chunk.length === 0) return NO_RUN;
    if (this.discarding || !isAscii(chunk)) return stringsRun(this.push(chunk));
    let text = chunk.toString('latin1');
    if (this.decoderMayHoldBytes) {
      // A character cut by the previous chunk's end is invalid before ASCII: the decoder's replacement comes first.
      this.decoderMayHoldBytes = false;
      const rest = this.decoder.end();
      if (rest.length > 0) return stringsRun(this.pushText(rest + text));
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    const lastLF = text.lastIndexOf('\n');
    if (text.indexOf('\r') !== -1 || lastLF === -1) return stringsRun(this.pushText(text));
    const lines = text.split('\n');
    const tail = lines.pop() as string;
    const carry = this.carry;
    if (carry.length > 0) lines[0] = carry + lines[0];
    this.carry = '';
    const n = lines.length;
    const dropped = this.checkLengths(lines);
    this.appendPartial(tail);
    if (dropped) return stringsRun(lines);
    const lengths = Buffer.allocUnsafe(4 * n);
    for (let i = 0; i < n; i++) lengths.writeUInt32BE(lines[i].length, 4 * i);
    // Every character is one byte: the records' text is the chunk's up to its last line end, without the line ends.
    const body = (carry.length > 0 ? carry + text.slice(0, lastLF) : text.slice(0, lastLF)).replaceAll('\n', '');
    return { count: n, lengths, text: Buffer.from(body, 'latin1') };
  }

  /** {@link end}, serialized. */
  endSerialized(): StringsRun {
    const last = this.end();
    return last.length === 0 ? NO_RUN : stringsRun(last);
  }

  private pushText(decoded: string): string[] {
    let text = decoded;
    if (text.length === 0) return NO_LINES;
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(0) === LF) {
        text = text.slice(1);
        if (text.length === 0) return NO_LINES;
      }
    }
    let lines: string[];
    if (text.indexOf('\r') === -1) {
      if (text.indexOf('\n') === -1) {
        this.appendPartial(text);
        return NO_LINES;
      }
      lines = text.split('\n');
    } else {
      lines = text.split(LINE_BREAK);
      if (text.charCodeAt(text.length - 1) === 13) this.skipLF = true;
    }
    const tail = lines.pop() as string;
    if (this.discarding) {
      // The first piece ends the over-long line.
      this.discarding = false;
      this.discardedBytes = 0;
      lines.shift();
    } else if (this.carry.length > 0) {
      lines[0] = this.carry + lines[0];
    }
    this.carry = '';
    this.checkLengths(lines);
    this.appendPartial(tail);
    return lines;
  }

  /** The end of the stream: the last, unterminated line (if any). */
  end(): string[] {
    const rest = this.decoder.end();
    if (rest.length > 0) this.appendPartial(rest);
    const last = this.carry;
    this.carry = '';
    const wasDiscarding = this.discarding;
    this.discarding = false;
    this.skipLF = false;
    this.decoderMayHoldBytes = false;
    if (wasDiscarding || last.length === 0) return NO_LINES;
    return [last];
  }

  /** Characters held for an incomplete line (for tests and inspection). */
  get pendingLength(): number {
    return this.carry.length;
  }

  private appendPartial(text: string): void {
    if (text.length === 0) return;
    if (this.discarding) {
      this.discardedBytes += text.length;
      return;
    }
    const next = this.carry + text;
    const bytes = this.exceeds(next);
    if (bytes > 0) {
      this.carry = '';
      this.discarding = true;
      this.discardedBytes = bytes;
      this.onTooLong(bytes);
      return;
    }
    this.carry = next;
  }

  /** Drops (and reports) complete lines over the limit; the common case is one comparison per line. */
  private checkLengths(lines: string[]): boolean {
    const limit = this.maxLineBytes;
    let bad = -1;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].length * 3 > limit) {
        bad = i;
        break;
      }
    }
    if (bad < 0) return false;
    const before = lines.length;
    let w = bad;
    for (let i = bad; i < lines.length; i++) {
      const bytes = this.exceeds(lines[i]);
      if (bytes > 0) this.onTooLong(bytes);
      else lines[w++] = lines[i];
    }
    lines.length = w;
    return w !== before;
  }

  /** The UTF-8 size of `s` when it is over the limit, else 0 (a UTF-16 unit is 1 to 3 UTF-8 bytes). */
  private exceeds(s: string): number {
    const limit = this.maxLineBytes;
    if (s.length * 3 <= limit) return 0;
    if (s.length > limit) return s.length;
    const bytes = Buffer.byteLength(s, 'utf8');
    return bytes > limit ? bytes : 0;
  }
}
