import * as fsp from 'node:fs/promises';

/** Read size for file input: large enough that a read is cheap, small enough not to hold whole files. */
export const FILE_CHUNK_SIZE = 1 << 20;

/**
 * Reads a file front to back and hands each chunk to `onChunk`. Every chunk is a fresh buffer (never reused), so
 * the receiver may keep views of it. `chunkSize` is rounded by the caller when records must not straddle chunks.
 */
export async function readChunks(file: string, chunkSize: number, onChunk: (chunk: Buffer) => void): Promise<void> {
  const fh = await fsp.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    // A small file gets one exactly-sized buffer; the loop still reads to EOF in case the file grew.
    let want = size > 0 && size < chunkSize ? size : chunkSize;
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (bytesRead === 0) break;
      onChunk(bytesRead < want ? buf.subarray(0, bytesRead) : buf);
      want = chunkSize;
    }
  } finally {
    await fh.close();
  }
}
