import { SparkException } from '../lib/core/errors';
import type { StreamBlockId } from '../lib/storage/BlockId';
import type { BlockManager } from '../lib/storage/BlockManager';
import { drainIterator, type ReceivedBlock } from '../lib/storage/ReceivedBlock';
import type { StorageLevel } from '../lib/storage/StorageLevel';
import type { ReceivedBlockHandler, BlockManagerBasedStoreResult } from './ReceivedBlockHandler';

/**
 * Stores received blocks in the block manager only: Spark's `BlockManagerBasedBlockHandler`. Records of an array or
 * iterator block are counted; a bytes block's count is unknown. Old blocks are removed when their BlockRDD is
 * cleared, so `cleanupOldBlocks` does nothing.
 */
export class BlockManagerBasedBlockHandler implements ReceivedBlockHandler {
  constructor(
    readonly blockManager: BlockManager,
    readonly storageLevel: StorageLevel,
  ) {}

  async storeBlock(blockId: StreamBlockId, block: ReceivedBlock): Promise<BlockManagerBasedStoreResult> {
    let numRecords: number | undefined;
    let stored: boolean;
    switch (block?.kind) {
      case 'array':
        numRecords = block.values.length;
        stored = await this.blockManager.putValues(blockId, block.values, this.storageLevel);
        break;
      case 'iterator': {
        const values = drainIterator(block.iterator);
        numRecords = values.length;
        stored = await this.blockManager.putValues(blockId, values, this.storageLevel);
        break;
      }
      case 'bytes':
        stored = await this.blockManager.putBytes(blockId, block.bytes, this.storageLevel);
        break;
      default:
        throw unexpectedBlock(blockId, block);
    }
    if (!stored) throw new SparkException(`Could not store ${blockId.name} to block manager with storage level ${this.storageLevel.name}`);
    return { blockId, numRecords };
  }

  cleanupOldBlocks(_threshTimeMs: number): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** Spark's error for a block that is none of the ReceivedBlock kinds. */
export function unexpectedBlock(blockId: StreamBlockId, block: unknown): SparkException {
  const kind = (block as { kind?: unknown } | null)?.kind;
  return new SparkException(`Could not store ${blockId.name} to block manager, unexpected block type ${kind === undefined ? typeof block : String(kind)}`);
}
