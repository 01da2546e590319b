const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts a byte stream into UTF-8 lines the way Hadoop's `LineReader` (under `TextInputFormat`) and Java's
 * `BufferedReader.readLine` do: `\n`, `\r\n` and a lone `\r` end a line; a last line without a terminator is
 * kept; the terminator itself is not part of the line. Invalid UTF-8 becomes U+FFFD rather than an error.
 *
 * Lines are found on bytes (a `\n` or `\r` byte never occurs inside a multi-byte UTF-8 sequence), so the
 * byte offset of each line (Hadoop's key) comes for free, and a chunk boundary may fall anywhere, even between
 * the `\r` and `\n` of a `\r\n` or inside a multi-byte character.
 */
export class LineSplitter {
  /** Bytes of the unfinished line, from earlier chunks. */
  private pending: Buffer[] = [];
  /** Byte offset of the unfinished line's first byte. */
  private lineStart = 0;
  /** Byte offset of the next chunk's first byte. */
  private position = 0;
  /** The last chunk ended with `\r`: a `\n` at the start of the next one belongs to it. */
  private skipLF = false;
  private started = false;

  /**
   * @param emit receives each line and the byte offset where it starts.
   * @param skipBom drop a UTF-8 byte order mark at offset 0 (Hadoop's `LineRecordReader` does; `readLine` does not).
   */
  constructor(
    private readonly emit: (line: string, offset: number) => void,
    private readonly skipBom = true,
  ) {}

  /** Feeds the next chunk. The chunk must not be modified afterwards (an unfinished line keeps a view of it). */
  push(chunk: Buffer): void {
    const n = chunk.length;
    if (n === 0) return;
    const base = this.position;
    this.position += n;
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (this.skipBom && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        i = 3;
        this.lineStart = 3;
      }
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (chunk[i] === LF) {
        i++;
        this.lineStart = base + i;
      }
    }
    let start = i;
    if (chunk.indexOf(CR, i) === -1) {
      // The common case (no \r at all): let memchr find the line ends.
      for (let j = chunk.indexOf(LF, i); j !== -1; j = chunk.indexOf(LF, start)) {
        this.line(chunk, start, j);
        start = j + 1;
        this.lineStart = base + start;
      }
    } else {
      for (; i < n; i++) {
        const b = chunk[i];
        if (b !== LF && b !== CR) continue;
        this.line(chunk, start, i);
        if (b === CR) {
          if (i + 1 < n) {
            if (chunk[i + 1] === LF) i++;
          } else {
            this.skipLF = true;
          }
        }
        start = i + 1;
        this.lineStart = base + start;
      }
    }
    if (start < n) this.pending.push(start === 0 ? chunk : chunk.subarray(start));
  }

  /** Ends the input: an unterminated last line is emitted. */
  end(): void {
    if (this.pending.length === 0) return;
    const bytes = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.emit(bytes.toString('utf8'), this.lineStart);
  }

  private line(chunk: Buffer, start: number, end: number): void {
    if (this.pending.length === 0) {
      this.emit(chunk.toString('utf8', start, end), this.lineStart);
      return;
    }
    this.pending.push(chunk.subarray(start, end));
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.emit(bytes.toString('utf8'), this.lineStart);
  }
}
