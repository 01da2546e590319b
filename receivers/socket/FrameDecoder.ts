/**
 * Cuts a byte stream into frames of `<length u32 big-endian><length bytes>` (the format of Spark's
 * `RawNetworkReceiver`). A length over `maxFrameBytes` is reported through {@link FrameDecoder.push}'s error
 * instead of being buffered.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Length of the frame being read, or -1 while reading a length prefix. */
  private frameLength = -1;

  constructor(readonly maxFrameBytes: number) {}

  /** The frames the chunk completes. Throws {@link FrameTooLargeError} on a length over the limit. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let buf = chunk;
    if (this.frameLength >= 0 && this.pendingBytes + chunk.length < this.frameLength) {
      // Still inside a frame body: keep the chunk, concatenate once the frame is complete.
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return out;
    }
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      buf = Buffer.concat(this.pending, this.pendingBytes + chunk.length);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let p = 0;
    for (;;) {
      if (this.frameLength < 0) {
        if (buf.length - p < 4) break;
        const len = buf.readUInt32BE(p);
        if (len > this.maxFrameBytes) throw new FrameTooLargeError(len, this.maxFrameBytes);
        this.frameLength = len;
        p += 4;
      }
      if (buf.length - p < this.frameLength) break;
      // A copy, so a frame does not pin the (larger) network chunk it came in.
      out.push(Buffer.from(buf.subarray(p, p + this.frameLength)));
      p += this.frameLength;
      this.frameLength = -1;
    }
    if (p < buf.length) {
      const rest = buf.subarray(p);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
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
  ) {
    super(`frame of ${frameBytes} bytes is larger than the limit of ${maxFrameBytes} bytes (dstreams.receiver.maxFrameBytes)`);
    this.name = 'FrameTooLargeError';
  }
}
