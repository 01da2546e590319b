import * as fs from 'node:fs';
import { promisify } from 'node:util';

/** Callback fs calls as promises: one libuv thread-pool hop each, cheaper than `fs.promises` FileHandles. */
export const fdatasyncAsync = promisify(fs.fdatasync);
export const fsyncAsync = promisify(fs.fsync);
export const closeAsync = promisify(fs.close);
export const openAsync = promisify(fs.open);
export const unlinkAsync = promisify(fs.unlink);

/** fsyncs a directory so that file creations, renames and removals in it survive a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const fd = await openAsync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
}

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes all of `bufs` at the file's current position, looping over short writes. */
export function writevAllSync(fd: number, bufs: Buffer[], total: number): void {
  let written = fs.writevSync(fd, bufs);
  if (written === total) return;
  // A short write (rare on regular files): write the rest buffer by buffer.
  let skip = written;
  for (const b of bufs) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    let rest = b.subarray(skip);
    skip = 0;
    while (rest.length > 0) {
      const n = fs.writeSync(fd, rest);
      written += n;
      rest = rest.subarray(n);
    }
  }
}
