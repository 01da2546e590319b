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
import { BlockEncoding } from '../../lib/storage/BlockSerializer';
import { FileBasedWriteAheadLogRandomReader } from '../../wal/FileBasedWriteAheadLogRandomReader';
import { FRAME_HEADER_SIZE } from '../../wal/SegmentFormat';
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

/**
 * Buffers that WAL records are read into and that are used again once the records were decoded into new strings
 * (not when the block was stored in the block manager, or holds other values, which may be views of the bytes). A replay
 * reads a whole recovered batch: fresh buffers for it are external memory, whose growth makes V8 mark the whole
 * heap every few tens of MiB; with a big state in the heap, that costs more than the reads.
 */
class ScratchBuffers {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly maxBuffer: number,
  ) {}

  /** A buffer of at least `size` bytes, or undefined (then the reader allocates). */
  take(size: number): Buffer | undefined {
    if (size > this.maxBuffer) return undefined;
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i];
      if (b.length >= size) {
        this.free.splice(i, 1);
        this.freeBytes -= b.length;
        return b;
      }
    }
    // Rounded up to 64 KiB, so that blocks of slightly different sizes share buffers.
    return Buffer.allocUnsafeSlow(Math.min(this.maxBuffer, Math.ceil(size / 65536) * 65536));
  }

  give(b: Buffer): void {
    if (this.freeBytes + b.length > this.maxBytes) return;
    this.free.push(b);
    this.freeBytes += b.length;
  }
}

const scratchBuffers = new ScratchBuffers(64 * 1024 * 1024, 16 * 1024 * 1024);

/** A WAL record read, and the scratch buffer it was read into (to give back once decoded). */
interface RecordRead {
  readonly bytes: Buffer;
  readonly scratch?: Buffer;
}

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
  private readonly readAhead = new Map<number, Promise<RecordRead>>();

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
    let scratch: Buffer | undefined;
    try {
      ({ bytes: dataRead, scratch } = await (ahead ?? readRecord(this.sc, handle)));
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
    // Strings are decoded into new strings, which do not refer to the bytes (Buffer records, and typed arrays in
    // v8-encoded values, are views of them: those buffers are left to the collector).
    if (scratch !== undefined && !this.storeInBlockManager && dataRead[3] === BlockEncoding.Strings) scratchBuffers.give(scratch);
  }
}

/** The length of a file segment handle (0 for another log class's handle: only the record count bounds those). */
function handleLength(handle: WriteAheadLogRecordHandle): number {
  const n = (handle as { length?: unknown }).length;
  return typeof n === 'number' ? n : 0;
}

/** Reads a record with the configured receiver log class, or straight from the segment file (the default log). */
async function readRecord(sc: SparkContext, handle: WriteAheadLogRecordHandle): Promise<RecordRead> {
  if (StreamingConf.RECEIVER_WAL_CLASS.read(sc.conf) === undefined) {
    const scratch = scratchBuffers.take(FRAME_HEADER_SIZE + handleLength(handle));
    try {
      const bytes = await FileBasedWriteAheadLogRandomReader.read(handle, scratch);
      return { bytes, scratch: scratch !== undefined && bytes.buffer === scratch.buffer ? scratch : undefined };
    } catch (e) {
      if (scratch !== undefined) scratchBuffers.give(scratch);
      throw e;
    }
  }
  // As Spark: a reader-only log on a directory that does not exist (nothing is created there).
  const dummy = path.join(os.tmpdir(), crypto.randomUUID());
  const wal = WriteAheadLogUtils.createLogForReceiver(sc.conf, dummy);
  try {
    return { bytes: await wal.read(handle) };
  } finally {
    await wal.close();
  }
}
