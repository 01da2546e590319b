import type { Sink } from '../../lib/rdd/Sink';
import type { BlockId } from '../../lib/storage/BlockId';
import type { BlockManager } from '../../lib/storage/BlockManager';
import { BlockSerializer } from '../../lib/storage/BlockSerializer';
import { forEachString } from '../StringsBlock';

/** Pushes the records of serialized block bytes into `sink` (text blocks are streamed, never materialized). */
export function pushBlockBytes(bytes: Buffer, sink: Sink<unknown>): void {
  if (forEachString(bytes, sink)) return;
  const values = BlockSerializer.deserialize(bytes);
  for (let i = 0; i < values.length; i++) sink(values[i]);
}

/**
 * Pushes a block's records into `sink`: synchronously (`true`) when the block is in memory, else from the block
 * manager's asynchronous read of its bytes (the disk store), resolving to whether the block was found.
 */
export function readBlock(bm: BlockManager, blockId: BlockId, sink: Sink<unknown>): true | Promise<boolean> {
  const e = bm.memoryStore.get(blockId);
  if (e !== undefined) {
    if (e.kind === 'bytes') pushBlockBytes(e.bytes, sink);
    else for (let i = 0; i < e.values.length; i++) sink(e.values[i]);
    return true;
  }
  return bm.getBytes(blockId).then((bytes) => {
    if (bytes === undefined) return false;
    pushBlockBytes(bytes, sink);
    return true;
  });
}
