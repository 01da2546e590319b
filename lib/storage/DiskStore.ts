import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getLogger } from '../core/logging';
import type { BlockId } from './BlockId';

const log = getLogger('DiskStore');

interface DiskEntry {
  readonly file: string;
  readonly size: number;
  /** The bytes while their file is being written (reads are served from here meanwhile). */
  pending: Buffer | undefined;
  removed: boolean;
}

/** Folders made by disk stores of this process, removed when it exits. */
const tempDirs = new Set<string>();
let exitHookInstalled = false;
let swept = false;

function removeTempDirs(): void {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

/** Where default disk store folders go: `<tmp>/dstreams-blocks/<pid>-<random>`. */
function tempRoot(): string {
  return path.join(os.tmpdir(), 'dstreams-blocks');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the folders of processes that are gone (killed, or exited without their exit hook running). */
function sweepStaleDirs(root: string): void {
  if (swept) return;
  swept = true;
  for (const name of fs.readdirSync(root)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/**
 * Blocks kept in files, one file per block: Spark's `DiskStore`, used by the block manager for the `*_DISK*` levels
 * (a block that does not fit in memory, or every block of `DISK_ONLY`). Blocks are stored serialized. Files live in a
 * folder of the store's own (by default `<tmp>/dstreams-blocks/<pid>-<random>`, made on first use, removed when the
 * process exits, and by the next process that finds it left behind by a dead one);
 * a block is readable from memory while its file is being written, and a removed block's file is deleted once any
 * write of it has finished.
 */
export class DiskStore {
  private dir: string | undefined;
  private readonly entries = new Map<string, DiskEntry>();
  private used = 0;
  private seq = 0;

  constructor(private readonly rootDir?: string) {}

  /** Bytes of the blocks on disk (and being written). */
  get diskUsed(): number {
    return this.used;
  }

  contains(blockId: BlockId): boolean {
    return this.entries.has(blockId.name);
  }

  /** Writes a block's bytes to its own file; resolves when the file is complete. A block of that id is replaced. */
  put(blockId: BlockId, bytes: Buffer): Promise<void> {
    this.remove(blockId);
    const name = blockId.name;
    const entry: DiskEntry = { file: path.join(this.directory(), `${name}.${this.seq++}`), size: bytes.length, pending: bytes, removed: false };
    this.entries.set(name, entry);
    this.used += entry.size;
    return fs.promises.writeFile(entry.file, bytes).then(
      () => {
        entry.pending = undefined;
        if (entry.removed) unlinkQuietly(entry.file);
      },
      (e: unknown) => {
        if (this.entries.get(name) === entry) {
          this.entries.delete(name);
          this.used -= entry.size;
        }
        unlinkQuietly(entry.file);
        throw e;
      },
    );
  }

  /** The block's bytes, or undefined if it is not on disk. */
  async get(blockId: BlockId): Promise<Buffer | undefined> {
    const entry = this.entries.get(blockId.name);
    if (entry === undefined) return undefined;
    if (entry.pending !== undefined) return entry.pending;
    try {
      return await fs.promises.readFile(entry.file);
    } catch (e) {
      // Removed while being read.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && entry.removed) return undefined;
      throw e;
    }
  }

  /** Forgets a block and deletes its file; returns whether it was there. */
  remove(blockId: BlockId): boolean {
    const entry = this.entries.get(blockId.name);
    if (entry === undefined) return false;
    this.entries.delete(blockId.name);
    this.used -= entry.size;
    entry.removed = true;
    if (entry.pending === undefined) unlinkQuietly(entry.file);
    return true;
  }

  /** Names of the blocks on disk. */
  blockNames(): string[] {
    return [...this.entries.keys()];
  }

  /** Removes every block (and the store's temporary folder). */
  clear(): void {
    for (const name of [...this.entries.keys()]) this.entries.delete(name);
    this.used = 0;
    if (this.dir !== undefined && this.rootDir === undefined) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      tempDirs.delete(this.dir);
      this.dir = undefined;
    }
  }

  private directory(): string {
    if (this.dir !== undefined) return this.dir;
    if (this.rootDir !== undefined) {
      fs.mkdirSync(this.rootDir, { recursive: true });
      this.dir = this.rootDir;
    } else {
      const root = tempRoot();
      fs.mkdirSync(root, { recursive: true });
      sweepStaleDirs(root);
      this.dir = fs.mkdtempSync(path.join(root, `${process.pid}-`));
      tempDirs.add(this.dir);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', removeTempDirs);
      }
    }
    log.debug({ dir: this.dir }, 'disk store folder');
    return this.dir;
  }
}

function unlinkQuietly(file: string): void {
  fs.unlink(file, (e) => {
    if (e && e.code !== 'ENOENT') log.warn({ err: e, file }, 'could not delete a block file');
  });
}
