import * as v8 from 'node:v8';
import { IllegalArgumentException } from '../core/errors';
import { getLogger } from '../core/logging';
import type { BlockId } from './BlockId';
import { BlockSerializer } from './BlockSerializer';
import { DiskStore } from './DiskStore';
import { MemoryStore, type MemoryEntry } from './MemoryStore';
import { estimateValuesSize } from './SizeEstimator';
import type { StorageLevel } from './StorageLevel';

const log = getLogger('BlockManager');

export interface BlockManagerOptions {
  /** Memory store limit in bytes. Default: 60% of (V8 heap limit − 300 MiB), as Spark's unified memory fraction. */
  maxMemoryBytes?: number;
  /** Folder of the disk store (default: a temporary folder made on first use, removed when the process exits). */
  diskDir?: string;
}

function defaultMaxMemory(): number {
  const heap = v8.getHeapStatistics().heap_size_limit;
  return Math.max(64 * 1024 * 1024, Math.floor((heap - 300 * 1024 * 1024) * 0.6));
}

/**
 * The in-process block manager: Spark's `BlockManager` reduced to what one process needs. Blocks live in a
 * {@link MemoryStore}; deserialized levels keep records as values, serialized levels keep bytes in
 * {@link BlockSerializer}'s format, and reads convert as asked. A block of a `*_DISK*` level that does not fit in
 * memory (and every block of `DISK_ONLY`) goes to the {@link DiskStore}, serialized. Blocks already stored are not
 * moved between the stores (no eviction).
 */
export class BlockManager {
  readonly memoryStore: MemoryStore;
  readonly diskStore: DiskStore;

  constructor(options: BlockManagerOptions = {}) {
    this.memoryStore = new MemoryStore(options.maxMemoryBytes ?? defaultMaxMemory());
    this.diskStore = new DiskStore(options.diskDir);
  }

  /**
   * Stores a block's records (Spark's `putIterator`/`putArray`). Returns false when the level cannot hold it (a
   * memory-only level over the limit); a block that already exists is kept and the put returns true, as Spark.
   */
  putValues(blockId: BlockId, values: readonly unknown[], level: StorageLevel): Promise<boolean> {
    checkLevel(blockId, level);
    if (this.contains(blockId)) return Promise.resolve(true);
    let entry: MemoryEntry;
    if (level.deserialized) {
      entry = { kind: 'values', values, size: estimateValuesSize(values) };
    } else {
      const bytes = BlockSerializer.serialize(values);
      entry = { kind: 'bytes', bytes, size: bytes.length };
    }
    return this.store(blockId, entry, level);
  }

  /** Stores serialized block bytes (Spark's `putBytes`); kept as bytes whatever the level's deserialized flag. */
  putBytes(blockId: BlockId, bytes: Buffer, level: StorageLevel): Promise<boolean> {
    checkLevel(blockId, level);
    if (!Buffer.isBuffer(bytes)) throw new IllegalArgumentException(`putBytes(${blockId.name}): bytes must be a Buffer`);
    if (this.contains(blockId)) return Promise.resolve(true);
    return this.store(blockId, { kind: 'bytes', bytes, size: bytes.length }, level);
  }

  /** The block's records (deserialized from stored bytes when needed), or undefined if the block is not here. */
  getValues(blockId: BlockId): Promise<unknown[] | undefined> {
    const e = this.memoryStore.get(blockId);
    if (e === undefined) return this.diskStore.get(blockId).then((b) => (b === undefined ? undefined : BlockSerializer.deserialize(b)));
    return Promise.resolve(e.kind === 'values' ? e.values.slice() : BlockSerializer.deserialize(e.bytes));
  }

  /** The block's serialized bytes (serialized from stored values when needed), or undefined if not here. */
  getBytes(blockId: BlockId): Promise<Buffer | undefined> {
    const e = this.memoryStore.get(blockId);
    if (e === undefined) return this.diskStore.get(blockId);
    return Promise.resolve(e.kind === 'bytes' ? e.bytes : BlockSerializer.serialize(e.values));
  }

  contains(blockId: BlockId): boolean {
    return this.memoryStore.contains(blockId) || this.diskStore.contains(blockId);
  }

  /** Removes a block; returns whether it was there. Spark's `removeBlock`. */
  remove(blockId: BlockId): boolean {
    const inMemory = this.memoryStore.remove(blockId);
    const onDisk = this.diskStore.remove(blockId);
    return inMemory || onDisk;
  }

  /** Bytes held by blocks on disk. */
  get diskUsed(): number {
    return this.diskStore.diskUsed;
  }

  /** Bytes held by stored blocks. */
  get memoryUsed(): number {
    return this.memoryStore.memoryUsed;
  }

  private store(blockId: BlockId, entry: MemoryEntry, level: StorageLevel): Promise<boolean> {
    if (level.useMemory && this.memoryStore.canHold(entry.size)) {
      this.memoryStore.put(blockId, entry);
      return Promise.resolve(true);
    }
    if (!level.useDisk) {
      log.warn({ block: blockId.name, size: entry.size, free: this.memoryStore.freeMemory }, 'not enough memory to store block');
      return Promise.resolve(false);
    }
    if (level.useMemory) log.debug({ block: blockId.name, size: entry.size }, 'block does not fit in memory: writing it to disk');
    const bytes = entry.kind === 'bytes' ? entry.bytes : BlockSerializer.serialize(entry.values);
    return this.diskStore.put(blockId, bytes).then(() => true);
  }
}

function checkLevel(blockId: BlockId, level: StorageLevel): void {
  if (!level.isValid()) throw new IllegalArgumentException(`Storage level ${level.name} of ${blockId.name} stores nothing`);
}
