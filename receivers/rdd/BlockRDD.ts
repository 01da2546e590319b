import { SparkException } from '../../lib/core/errors';
import type { Dependency } from '../../lib/rdd/Dependency';
import type { Partition } from '../../lib/rdd/Partition';
import { RDD } from '../../lib/rdd/RDD';
import type { ComputeResult, Sink } from '../../lib/rdd/Sink';
import type { SparkContext } from '../../lib/rdd/SparkContext';
import type { TaskContext } from '../../lib/rdd/TaskContext';
import type { BlockId } from '../../lib/storage/BlockId';
import type { BlockManager } from '../../lib/storage/BlockManager';
import { SparkEnv } from '../SparkEnv';
import { readBlock } from './readBlock';

/** One block of a {@link BlockRDD}: Spark's `BlockRDDPartition`. */
export class BlockRDDPartition implements Partition {
  constructor(
    readonly blockId: BlockId,
    readonly index: number,
  ) {}
}

/**
 * An RDD whose partitions are blocks in the block manager, one partition per block: Spark's `BlockRDD`. Receiver
 * streams make one per batch; when the batch is forgotten its blocks are removed and the RDD becomes invalid.
 */
export class BlockRDD<T> extends RDD<T> {
  private valid = true;

  constructor(
    sc: SparkContext,
    readonly blockIds: readonly BlockId[],
    creationSite = 'BlockRDD',
  ) {
    super(sc, creationSite);
  }

  protected get blockManager(): BlockManager {
    return SparkEnv.get(this.sc).blockManager;
  }

  protected getPartitions(): Partition[] {
    this.assertValid();
    return this.blockIds.map((id, i) => new BlockRDDPartition(id, i));
  }

  getDependencies(): Dependency[] {
    return [];
  }

  compute(split: Partition, _context: TaskContext, sink: Sink<T>): ComputeResult {
    this.assertValid();
    const blockId = (split as BlockRDDPartition).blockId;
    const r = readBlock(this.blockManager, blockId, sink as Sink<unknown>);
    if (r === true) return;
    return r.then((found) => {
      if (!found) throw new SparkException(`Could not compute split, block ${blockId.name} of RDD ${this.id} not found`);
    });
  }

  /** Removes the RDD's blocks from the block manager; the RDD is invalid afterwards (Spark's `removeBlocks`). */
  removeBlocks(): void {
    for (const id of this.blockIds) this.blockManager.remove(id);
    this.valid = false;
  }

  get isValid(): boolean {
    return this.valid;
  }

  protected assertValid(): void {
    if (!this.isValid) throw new SparkException(`Attempted to use ${this} after its blocks have been removed!`);
  }
}
