import * as crypto from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireThat, SparkException } from '../../lib/core/errors';
import { getLogger } from '../../lib/core/logging';
import { RecoveryCounters } from '../../lib/experiments/RecoveryCounters';
import { StreamingConf } from '../../lib/core/StreamingConf';
import type { Partition } from '../../lib/rdd/Partition';
import type { ComputeResult, Sink } from '../../lib/rdd/Sink';
import type { SparkContext } from '../../lib/rdd/SparkContext';
import type { TaskContext } from '../../lib/rdd/TaskContext';
import type { BlockId } from '../../lib/storage/BlockId';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import { FileBasedWriteAheadLog } from '../../wal/FileBasedWriteAheadLog';
import type { WriteAheadLogRecordHandle } from '../../wal/WriteAheadLog';
import { WriteAheadLogUtils } from '../../wal/WriteAheadLogUtils';
import { BlockRDD } from './BlockRDD';
import { pushBlockBytes, readBlock } from './readBlock';

const log = getLogger('WriteAheadLogBackedBlockRDD');

/**
 * WAL records read ahead of the task that reads partition i from the WAL: those of the next partitions that also
 * need the WAL, up to this many records and bytes. A recovered batch's blocks lie one after the other in a
 * segment, so the reads stay sequential, and they run in the thread pool while the task decodes its block.
 */
const READ_AHEAD_RECORDS = 4;
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/** One block and its WAL record: Spark's `WriteAheadLogBackedBlockRDDPartition`. */
export class WriteAheadLogBackedBlockRDDPartition implements Partition {
  constructor(
    readonly index: number,
    readonly blockId: BlockId,
    readonly isBlockIdValid: boolean,
    readonly walRecordHandle: WriteAheadLogRecordHandle,
  ) {}
}

/**
 * A BlockRDD whose blocks are also in the receiver write-ahead log: Spark's `WriteAheadLogBackedBlockRDD`. A
 * partition is read from the block manager when its block id is valid and the block is there, otherwise from the
 * WAL record (after a restart the block manager no longer has it); with `storeInBlockManager` the bytes read from
 * the WAL are put back into the block manager. Stays valid after its blocks are removed (the WAL still has them).
 */
export class WriteAheadLogBackedBlockRDD<T> extends BlockRDD<T> {
  /** Partition index -> its WAL record, being read ahead (taken by the first task that reads the partition). */
  private readonly readAhead = new Map<number, Promise<Buffer>>();

  constructor(
    sc: SparkContext,
    blockIds: readonly BlockId[],
    readonly walRecordHandles: readonly WriteAheadLogRecordHandle[],
    readonly isBlockIdValid: readonly boolean[] = [],
    readonly storeInBlockManager = false,
    readonly storageLevel: StorageLevel = StorageLevel.MEMORY_ONLY_SER,
    creationSite = 'WriteAheadLogBackedBlockRDD',
  ) {
    super(sc, blockIds, creationSite);
    requireThat(
      blockIds.length === walRecordHandles.length,
      `Number of block Ids (${blockIds.length}) must be  same as number of WAL record handles (${walRecordHandles.length})`,
    );
    requireThat(
      isBlockIdValid.length === 0 || isBlockIdValid.length === blockIds.length,
      `Number of elements in isBlockIdValid (${isBlockIdValid.length}) must be  same as number of block Ids (${blockIds.length})`,
    );
  }

  override get isValid(): boolean {
    return true;
  }

  protected override getPartitions(): Partition[] {
    this.assertValid();
    return this.blockIds.map(
      (id, i) => new WriteAheadLogBackedBlockRDDPartition(i, id, this.isBlockIdValid.length === 0 ? true : this.isBlockIdValid[i], this.walRecordHandles[i]),
    );
  }

  override compute(split: Partition, _context: TaskContext, sink: Sink<T>): ComputeResult {
    const partition = split as WriteAheadLogBackedBlockRDDPartition;
    if (!partition.isBlockIdValid) return this.getBlockFromWriteAheadLog(partition, sink as Sink<unknown>);
    const r = readBlock(this.blockManager, partition.blockId, sink as Sink<unknown>);
    if (r === true) return;
    return r.then((found) => (found ? undefined : this.getBlockFromWriteAheadLog(partition, sink as Sink<unknown>)));
  }

  /** Starts reading the WAL records of the partitions from `from` on that will need them (not read yet, block id invalid). */
  private scheduleReadAhead(from: number): void {
    let bytes = 0;
    for (const p of this.readAhead.keys()) if (p >= from) bytes += handleLength(this.walRecordHandles[p]);
    for (let i = from, n = 0; i < this.walRecordHandles.length && n < READ_AHEAD_RECORDS && bytes < READ_AHEAD_BYTES; i++, n++) {
      if (this.isBlockIdValid.length === 0 || this.isBlockIdValid[i] || this.readAhead.has(i)) continue;
      const h = this.walRecordHandles[i];
      const read = readRecord(this.sc, h);
      // Its task reports a failure (and retries with a fresh read); nothing is unhandled meanwhile.
      read.catch(() => undefined);
      this.readAhead.set(i, read);
      bytes += handleLength(h);
    }
  }

  private async getBlockFromWriteAheadLog(partition: WriteAheadLogBackedBlockRDDPartition, sink: Sink<unknown>): Promise<void> {
    const handle = partition.walRecordHandle;
    const ahead = this.readAhead.get(partition.index);
    this.readAhead.delete(partition.index);
    this.scheduleReadAhead(partition.index + 1);
    let dataRead: Buffer | undefined;
    try {
      dataRead = await (ahead ?? readRecord(this.sc, handle));
    } catch (e) {
      throw new SparkException(`Could not read data from write ahead log record ${JSON.stringify(handle)}`, { cause: e });
    }
    if (dataRead === undefined || dataRead === null) {
      throw new SparkException(`Could not read data from write ahead log record ${JSON.stringify(handle)}, read returned null`);
    }
    log.info({ rdd: String(this), handle }, 'Read partition data from write ahead log');
    RecoveryCounters.walBlockRead(partition.blockId.name);
    if (this.storeInBlockManager) {
      await this.blockManager.putBytes(partition.blockId, dataRead, this.storageLevel);
      log.debug({ rdd: String(this), level: this.storageLevel.name }, 'Stored partition data into block manager');
    }
    try {
      pushBlockBytes(dataRead, sink);
    } catch (e) {
      throw new SparkException(`Could not read data from write ahead log record ${JSON.stringify(handle)}: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** The length of a file segment handle (0 for another log class's handle: only the record count bounds those). */
function handleLength(handle: WriteAheadLogRecordHandle): number {
  const n = (handle as { length?: unknown }).length;
  return typeof n === 'number' ? n : 0;
}

/** Reads a record with the configured receiver log class, or straight from the segment file (the default log). */
async function readRecord(sc: SparkContext, handle: WriteAheadLogRecordHandle): Promise<Buffer> {
  if (StreamingConf.RECEIVER_WAL_CLASS.read(sc.conf) === undefined) return FileBasedWriteAheadLog.readRecord(handle);
  // As Spark: a reader-only log on a directory that does not exist (nothing is created there).
  const dummy = path.join(os.tmpdir(), crypto.randomUUID());
  const wal = WriteAheadLogUtils.createLogForReceiver(sc.conf, dummy);
  try {
    return await wal.read(handle);
  } finally {
    await wal.close();
  }
}
