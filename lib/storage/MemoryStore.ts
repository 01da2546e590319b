import type { BlockId } from './BlockId';

/** One stored block: its records as JavaScript values, or its serialized bytes. */
export type MemoryEntry =
  | { readonly kind: 'values'; readonly values: readonly unknown[]; readonly size: number }
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly size: number };

/**
 * Blocks kept in memory, with size accounting against a limit: Spark's `MemoryStore`, without eviction (received
 * blocks are removed explicitly when their batch is cleared).
 */
export class MemoryStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private used = 0;

  constructor(readonly maxMemory: number) {}

  /** Bytes held by the stored blocks (estimated for values, exact for bytes). */
  get memoryUsed(): number {
    return this.used;
  }

  get freeMemory(): number {
    return Math.max(0, this.maxMemory - this.used);
  }

  /** Whether `size` more bytes fit under the limit. */
  canHold(size: number): boolean {
    return this.used + size <= this.maxMemory;
  }

  /** Stores an entry (replacing one with the same id); the caller checks the limit first when it must hold. */
  put(blockId: BlockId, entry: MemoryEntry): void {
    this.remove(blockId);
    this.entries.set(blockId.name, entry);
    this.used += entry.size;
  }

  get(blockId: BlockId): MemoryEntry | undefined {
    return this.entries.get(blockId.name);
  }

  contains(blockId: BlockId): boolean {
    return this.entries.has(blockId.name);
  }

  remove(blockId: BlockId): boolean {
    const e = this.entries.get(blockId.name);
    if (e === undefined) return false;
    this.entries.delete(blockId.name);
    this.used -= e.size;
    return true;
  }

  /** Names of the stored blocks, in insertion order. */
  blockNames(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}
