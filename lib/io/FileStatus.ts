import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/**
 * What a listing knows about one path: Hadoop's `FileStatus`. `modificationTime` is whole milliseconds, truncated
 * from the file system's nanoseconds as Java's `File.lastModified` does, so the file stream's strict comparisons
 * (`modTime > threshold`, `modTime <= batchTime`) see the same numbers Spark would.
 */
export interface FileStatus {
  readonly path: string;
  readonly length: number;
  readonly modificationTime: number;
  readonly isDirectory: boolean;
}

function toStatus(p: string, st: fs.BigIntStats): FileStatus {
  return { path: p, length: Number(st.size), modificationTime: Number(st.mtimeNs / 1_000_000n), isDirectory: st.isDirectory() };
}

/** The status of `p` (following symlinks). */
export async function getFileStatus(p: string): Promise<FileStatus> {
  return toStatus(p, await fsp.stat(p, { bigint: true }));
}

export function getFileStatusSync(p: string): FileStatus {
  return toStatus(p, fs.statSync(p, { bigint: true }));
}

/** Whether an fs error means "not there" (the path or one of its parents is missing or not a folder). */
export function isNotFound(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The entries directly inside `dir` that pass `accept` (called with the full path before any stat, as Hadoop's
 * `listStatus(dir, filter)`), with their status. An entry that vanishes between the listing and its stat is
 * skipped. A missing `dir` rejects with the fs error (ENOENT).
 */
export async function listStatus(dir: string, accept: (p: string) => boolean = () => true): Promise<FileStatus[]> {
  const names = await fsp.readdir(dir);
  const paths: string[] = [];
  for (const n of names) {
    const p = path.join(dir, n);
    if (accept(p)) paths.push(p);
  }
  const statuses = await Promise.all(paths.map((p) => getFileStatus(p).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)))));
  return statuses.filter((s): s is FileStatus => s !== undefined);
}

export function listStatusSync(dir: string, accept: (p: string) => boolean = () => true): FileStatus[] {
  const out: FileStatus[] = [];
  for (const n of fs.readdirSync(dir)) {
    const p = path.join(dir, n);
    if (!accept(p)) continue;
    try {
      out.push(getFileStatusSync(p));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return out;
}
