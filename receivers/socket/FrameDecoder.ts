/** One frame of a connection: its body, and the stream offset of its length prefix. */
export interface Frame {
  readonly offset: number;
  readonly body: Buffer;
}

/**
 * Cuts a byte stream into frames of `<length u32 big-endian><length bytes>` (the format of Spark's
 * `RawNetworkReceiver`). A length over `maxFrameBytes` is reported through {@link FrameDecoder.push}'s error
 * instead of being buffered. Each frame carries the offset in the stream where it starts, for error reports.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Stream offset of the first buffered byte. */
  private pendingFrom = 0;
  /** Bytes received so far. */
  private received = 0;
  /** Length of the frame being read, or -1 while reading a length prefix. */
  private frameLength = -1;
  /** Stream offset of the frame being read. */
  private frameOffset = 0;

  constructor(readonly maxFrameBytes: number) {}

  /** The frames the chunk completes. Throws {@link FrameTooLargeError} on a length over the limit. */
  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    const chunkFrom = this.received;
    this.received += chunk.length;
    let buf = chunk;
    let base = chunkFrom;
    if (this.frameLength >= 0 && this.pendingBytes + chunk.length < this.frameLength) {
      // Still inside a frame body: keep the chunk, concatenate once the frame is complete.
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return out;
    }
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      buf = Buffer.concat(this.pending, this.pendingBytes + chunk.length);
      base = this.pendingFrom;
      this.pending = [];
      this.pendingBytes = 0;
    }
    let p = 0;
    for (;;) {
      if (this.frameLength < 0) {
        if (buf.length - p < 4) break;
        const len = buf.readUInt32BE(p);
        if (len > this.maxFrameBytes) throw new FrameTooLargeError(len, this.maxFrameBytes, base + p);
        this.frameLength = len;
        this.frameOffset = base + p;
        p += 4;
      }
      if (buf.length - p < this.frameLength) break;
      // A copy, so a frame does not pin the (larger) network chunk it came in.
      out.push({ offset: this.frameOffset, body: Buffer.from(buf.subarray(p, p + this.frameLength)) });
      p += this.frameLength;
      this.frameLength = -1;
    }
    if (p < buf.length) {
      const rest = buf.subarray(p);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
      this.pendingFrom = base + p;
    }
    return out;
  }

  /** Bytes received of a frame (or length prefix) that is not complete. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}

/** A frame length over the decoder's limit. */
export class FrameTooLargeError extends Error {
  constructor(
    readonly frameBytes: number,
    readonly maxFrameBytes: number,
    /** Stream offset of the frame's length prefix. */
    readonly offset: number,
  ) {
    super(`frame of ${frameBytes} bytes is larger than the limit of ${maxFrameBytes} bytes (dstreams.receiver.maxFrameBytes)`);
    this.name = 'FrameTooLargeError';
  }
}
