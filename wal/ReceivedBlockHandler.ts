import type { StreamBlockId } from '../lib/storage/BlockId';
import type { ReceivedBlock } from '../lib/storage/ReceivedBlock';
import type { WriteAheadLogRecordHandle } from './WriteAheadLog';

/** What storing a block produced: Spark's `ReceivedBlockStoreResult`; `numRecords` is undefined when not known. */
export interface ReceivedBlockStoreResult {
  readonly blockId: StreamBlockId;
  readonly numRecords?: number;
}

/** Spark's `BlockManagerBasedStoreResult`. */
export type BlockManagerBasedStoreResult = ReceivedBlockStoreResult;

/** Spark's `WriteAheadLogBasedStoreResult`: the block is also in the receiver WAL at `walRecordHandle`. */
export interface WriteAheadLogBasedStoreResult extends ReceivedBlockStoreResult {
  readonly walRecordHandle: WriteAheadLogRecordHandle;
}

/**
 * Stores the blocks a receiver produces: Spark's `ReceivedBlockHandler` trait, implemented by
 * `BlockManagerBasedBlockHandler` (memory/disk only) and `WriteAheadLogBasedBlockHandler` (WAL + block manager).
 */
export interface ReceivedBlockHandler {
  /** Stores one block; resolves once it is stored (and, with the WAL handler, durable). */
  storeBlock(blockId: StreamBlockId, block: ReceivedBlock): Promise<ReceivedBlockStoreResult>;
  /** Drops stored data older than `threshTimeMs` (the WAL handler cleans old segments). */
  cleanupOldBlocks(threshTimeMs: number): Promise<void>;
  /** Releases the handler's resources (closes the WAL). */
  stop(): Promise<void>;
}
