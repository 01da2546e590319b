import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../lib/core/clock/Clock';
import { requireThat } from '../lib/core/errors';
import { getLogger } from '../lib/core/logging';
import type { SparkConf } from '../lib/core/SparkConf';
import { Time } from '../lib/core/Time';
import type { StreamId } from '../lib/storage/StreamId';
import type { WriteAheadLog } from '../wal/WriteAheadLog';
import { WriteAheadLogUtils } from '../wal/WriteAheadLogUtils';
import { listLogs } from '../wal/LogInfo';
import type { ReceivedBlockInfo } from './ReceivedBlockInfo';
import { MetadataLogIncompleteException, type MissingAllocationReason } from './ReceiverErrors';
import {
  AllocatedBlocks,
  BatchAllocationEvent,
  BatchCleanupEvent,
  BlockAdditionEvent,
  deserializeLogEvent,
  type ReceivedBlockTrackerLogEvent,
  serializeLogEvent,
} from './ReceivedBlockTrackerLogEvent';

const log = getLogger('ReceivedBlockTracker');

/** What a replayed metadata log lacks for a recovery (see {@link ReceivedBlockTracker.lostBatches}). */
export interface LostBatches {
  readonly batchTimesMs: readonly number[];
  readonly reason: MissingAllocationReason;
  /** Re-run by the recovery, or only computed from (by a re-run batch's state or window). */
  readonly neededFor: 'rerun' | 'state';
}

export interface ReceivedBlockTrackerOptions {
  /** A metadata log to use instead of the configured one under the checkpoint directory (tests). */
  readonly writeAheadLog?: WriteAheadLog;
}

/**
 * The driver's book of received blocks: Spark's `ReceivedBlockTracker` (`scheduler/ReceivedBlockTracker.scala`).
 * Blocks wait in a queue per stream until a batch takes them all (`allocateBlocksToBatch`). With a checkpoint
 * directory every change is first written to the metadata log `<checkpointDir>/receivedBlockMetadata`
 * (BlockAdditionEvent, BatchAllocationEvent, BatchCleanupEvent), and a tracker created with
 * `recoverFromWriteAheadLog` replays it: blocks added but not allocated are queued again, allocations are restored.
 */
export class ReceivedBlockTracker {
  private readonly streamIdToUnallocatedBlockQueues = new Map<number, ReceivedBlockInfo[]>();
  private readonly timeToAllocatedBlocks = new Map<number, AllocatedBlocks>();
  private lastAllocatedBatchTime: Time | undefined;
  private writeAheadLog: WriteAheadLog | undefined;
  private readonly logDirectory: string | undefined;
  private stopped = false;
  private serial: Promise<unknown> = Promise.resolve();
  /** The metadata of the last block stored per stream (recovered from the log too); kept across batch cleanup. */
  private readonly lastMetadata = new Map<StreamId, unknown>();
  private recovered = false;
  /** Batch times whose allocations the replayed log cleaned (BatchCleanupEvent). */
  private readonly cleanedOnReplay = new Set<number>();
  /** The oldest batch the replayed log allocated or cleaned: the log says nothing of older ones. */
  private oldestLoggedBatchMs: number | undefined;

  constructor(
    readonly conf: SparkConf,
    readonly streamIds: readonly StreamId[],
    readonly clock: Clock,
    recoverFromWriteAheadLog: boolean,
    readonly checkpointDirOption: string | undefined,
    options: ReceivedBlockTrackerOptions = {},
  ) {
    this.logDirectory = checkpointDirOption === undefined ? undefined : ReceivedBlockTracker.checkpointDirToLogDir(checkpointDirOption);
    this.writeAheadLog = options.writeAheadLog ?? (this.logDirectory === undefined ? undefined : WriteAheadLogUtils.createLogForDriver(conf, this.logDirectory));
    if (recoverFromWriteAheadLog) this.recoverPastEvents();
  }

  /** The metadata log directory of a checkpoint directory (Spark's `checkpointDirToLogDir`). */
  static checkpointDirToLogDir(checkpointDir: string): string {
    return path.join(checkpointDir, 'receivedBlockMetadata');
  }

  /** Whether changes are logged (a checkpoint directory is set). */
  get isWriteAheadLogEnabled(): boolean {
    return this.writeAheadLog !== undefined;
  }

  /** Records a stored block; false (and the block is not queued) when the metadata log write failed. */
  async addBlock(receivedBlockInfo: ReceivedBlockInfo): Promise<boolean> {
    try {
      const ok = await this.writeToLog(BlockAdditionEvent(receivedBlockInfo));
      if (ok) {
        this.getReceivedBlockQueue(receivedBlockInfo.streamId).push(receivedBlockInfo);
        if (receivedBlockInfo.metadataOption !== undefined) this.lastMetadata.set(receivedBlockInfo.streamId, receivedBlockInfo.metadataOption);
        log.debug({ streamId: receivedBlockInfo.streamId, block: receivedBlockInfo.blockId.name }, 'Stream received block');
      } else {
        log.debug({ streamId: receivedBlockInfo.streamId, block: receivedBlockInfo.blockId.name }, 'Failed to acknowledge stream receiving block in the Write Ahead Log.');
      }
      return ok;
    } catch (e) {
      log.error({ err: e, block: receivedBlockInfo.blockId.name }, `Error adding block ${receivedBlockInfo}`);
      return false;
    }
  }

  /**
   * Gives every queued block of every stream to batch `batchTime` (once per time, in increasing time order). The
   * allocation is logged first; if that fails the blocks stay queued for the next batch.
   */
  allocateBlocksToBatch(batchTime: Time): Promise<void> {
    return this.serialized(async () => {
      if (this.lastAllocatedBatchTime === undefined || batchTime.greater(this.lastAllocatedBatchTime)) {
        const streamIdToBlocks = new Map<StreamId, readonly ReceivedBlockInfo[]>();
        for (const id of this.streamIds) streamIdToBlocks.set(id, this.getReceivedBlockQueue(id).slice());
        const allocatedBlocks = new AllocatedBlocks(streamIdToBlocks);
        if (await this.writeToLog(BatchAllocationEvent(batchTime, allocatedBlocks))) {
          // Blocks added while the event was being written stay queued (they are after the snapshot).
          for (const id of this.streamIds) this.getReceivedBlockQueue(id).splice(0, (streamIdToBlocks.get(id) as readonly ReceivedBlockInfo[]).length);
          this.timeToAllocatedBlocks.set(batchTime.milliseconds, allocatedBlocks);
          this.lastAllocatedBatchTime = batchTime;
        } else {
          log.info({ time: String(batchTime) }, `Possibly processed batch ${batchTime} needs to be processed again in WAL recovery`);
        }
      } else {
        // Recovery re-runs batches up to the last allocated one: their recovered allocations are used as they are.
        log.info({ time: String(batchTime) }, `Possibly processed batch ${batchTime} needs to be processed again in WAL recovery`);
      }
    });
  }

  /**
   * The metadata a receiver gave the last block it stored on `streamId` (in this process, or recovered from the
   * metadata log), or `seed` when there is none (the stream's checkpointed value, for blocks whose log segments were
   * cleaned). A reliable receiver resumes its source after it, so a block stored before a crash is not stored again.
   */
  lastStoredMetadata(streamId: StreamId, seed?: unknown): unknown {
    return this.lastMetadata.has(streamId) ? this.lastMetadata.get(streamId) : seed;
  }

  /**
   * After a recovery from the metadata log: throws {@link MetadataLogIncompleteException} unless the log has what a
   * recovery from checkpoint `checkpointFile` needs (see {@link lostBatches}): `rerunTimes` are the checkpoint's batch
   * and its pending batches, `inputFromMs` the oldest batch whose blocks the re-run batches are computed from.
   * Without this check the recovery would give such a batch other blocks than it had, or count it as empty: wrong
   * output, records counted twice or lost.
   */
  verifyRecoveredAllocations(rerunTimes: readonly Time[], checkpointFile?: string, inputFromMs?: number): void {
    const lost = this.lostBatches(rerunTimes.map((t) => t.milliseconds), inputFromMs);
    if (!lost) return;
    const logDirectory = this.logDirectory as string;
    const logs = listLogs(logDirectory);
    const newest = logs.length > 0 ? logs[logs.length - 1].path : undefined;
    let size = 0;
    try {
      if (newest !== undefined) size = fs.statSync(newest).size;
    } catch {
      // Named without its size.
    }
    throw new MetadataLogIncompleteException(
      logDirectory,
      lost.batchTimesMs,
      newest,
      size,
      this.lastAllocatedBatchTime?.milliseconds,
      lost.reason,
      checkpointFile,
      lost.neededFor,
      this.oldestLoggedBatchMs,
    );
  }

  /**
   * What the replayed metadata log lacks for a recovery, or undefined when it has everything:
   * - the allocation of a batch in `rerunTimesMs` (the checkpoint's batch and its pending ones, whose allocations were
   *   logged before the checkpoint was written): the log's tail was lost, or the log cleaned it;
   * - from `inputFromMs` up to the log's last allocation, a batch the log cleaned, or batches older than the oldest
   *   one the log still names (its segments were deleted): a re-run batch's state or window is computed from them.
   *   Batches the log never allocated (a failed log write leaves their blocks to the next batch) are fine.
   * A log newer than the checkpoint (a newer checkpoint file was unreadable) has cleaned such batches.
   */
  lostBatches(rerunTimesMs: readonly number[], inputFromMs?: number): LostBatches | undefined {
    if (!this.recovered || this.logDirectory === undefined) return undefined;
    const missing = [...new Set(rerunTimesMs.filter((t) => !this.timeToAllocatedBlocks.has(t)))].sort((a, b) => a - b);
    if (missing.length > 0) {
      return { batchTimesMs: missing, reason: missing.every((t) => this.cleanedOnReplay.has(t)) ? 'cleaned' : 'tail-lost', neededFor: 'rerun' };
    }
    const last = this.lastAllocatedBatchTime?.milliseconds;
    if (inputFromMs === undefined || last === undefined || inputFromMs > last) return undefined;
    const cleaned = [...this.cleanedOnReplay].filter((t) => t >= inputFromMs && t <= last && !this.timeToAllocatedBlocks.has(t)).sort((a, b) => a - b);
    if (cleaned.length > 0) return { batchTimesMs: cleaned, reason: 'cleaned', neededFor: 'state' };
    if (this.oldestLoggedBatchMs !== undefined && inputFromMs < this.oldestLoggedBatchMs) return { batchTimesMs: [inputFromMs], reason: 'before-log', neededFor: 'state' };
    return undefined;
  }

  /** The blocks of a batch, per stream (empty when the batch has no allocation). */
  getBlocksOfBatch(batchTime: Time): Map<StreamId, readonly ReceivedBlockInfo[]> {
    return new Map(this.timeToAllocatedBlocks.get(batchTime.milliseconds)?.streamIdToAllocatedBlocks ?? []);
  }

  /** The blocks of one stream in a batch. */
  getBlocksOfBatchAndStream(batchTime: Time, streamId: StreamId): readonly ReceivedBlockInfo[] {
    return this.timeToAllocatedBlocks.get(batchTime.milliseconds)?.getBlocksForStream(streamId) ?? [];
  }

  hasUnallocatedReceivedBlocks(): boolean {
    for (const q of this.streamIdToUnallocatedBlockQueues.values()) if (q.length > 0) return true;
    return false;
  }

  /** The queued blocks of a stream (a copy). */
  getUnallocatedBlocks(streamId: StreamId): ReceivedBlockInfo[] {
    return this.getReceivedBlockQueue(streamId).slice();
  }

  /** Batch times that have an allocation (oldest first). */
  allocatedBatchTimes(): number[] {
    return [...this.timeToAllocatedBlocks.keys()].sort((a, b) => a - b);
  }

  /**
   * Forgets the allocations of batches before `cleanupThreshTime` (logged first) and cleans metadata log segments
   * older than it. The threshold must be in the past.
   */
  cleanupOldBatches(cleanupThreshTime: Time, waitForCompletion: boolean): Promise<void> {
    return this.serialized(async () => {
      requireThat(cleanupThreshTime.milliseconds < this.clock.getTimeMillis(), `cleanup threshold ${cleanupThreshTime} must be before the current time ${this.clock.getTimeMillis()}`);
      const timesToCleanup = [...this.timeToAllocatedBlocks.keys()].filter((t) => t < cleanupThreshTime.milliseconds).sort((a, b) => a - b);
      if (timesToCleanup.length === 0) {
        await this.cleanLog(cleanupThreshTime, waitForCompletion);
        return;
      }
      log.info({ times: timesToCleanup }, `Deleting batches: ${timesToCleanup.map((t) => `${t} ms`).join(' ')}`);
      if (await this.writeToLog(BatchCleanupEvent(timesToCleanup.map((t) => new Time(t))))) {
        for (const t of timesToCleanup) this.timeToAllocatedBlocks.delete(t);
        await this.cleanLog(cleanupThreshTime, waitForCompletion);
      } else {
        log.warn('Failed to acknowledge batch clean up in the Write Ahead Log.');
      }
    });
  }

  /** Closes the metadata log. Later writes (the last batches of a graceful stop) reopen it for each write. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.serial.catch(() => undefined);
    await this.writeAheadLog?.close();
  }

  private async cleanLog(threshTime: Time, waitForCompletion: boolean): Promise<void> {
    if (this.writeAheadLog === undefined) return;
    await this.withLog((wal) => wal.clean(threshTime.milliseconds, waitForCompletion));
  }

  private getReceivedBlockQueue(streamId: StreamId): ReceivedBlockInfo[] {
    let q = this.streamIdToUnallocatedBlockQueues.get(streamId);
    if (!q) this.streamIdToUnallocatedBlockQueues.set(streamId, (q = []));
    return q;
  }

  /** Writes an event; true when written (or when there is no log), false when the log write failed. */
  private async writeToLog(event: ReceivedBlockTrackerLogEvent): Promise<boolean> {
    if (this.writeAheadLog === undefined) return true;
    const record = serializeLogEvent(event);
    try {
      await this.withLog((wal) => wal.write(record, this.clock.getTimeMillis()));
      return true;
    } catch (e) {
      log.warn({ err: e, event: event.kind }, `Exception thrown while writing record: ${event.kind} to the WriteAheadLog.`);
      return false;
    }
  }

  private async withLog<R>(fn: (wal: WriteAheadLog) => Promise<R>): Promise<R> {
    if (!this.stopped || this.logDirectory === undefined) return fn(this.writeAheadLog as WriteAheadLog);
    const wal = WriteAheadLogUtils.createLogForDriver(this.conf, this.logDirectory);
    try {
      return await fn(wal);
    } finally {
      await wal.close();
    }
  }

  private serialized<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.serial.then(fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  private noteLoggedBatch(t: number): void {
    if (this.oldestLoggedBatchMs === undefined || t < this.oldestLoggedBatchMs) this.oldestLoggedBatchMs = t;
  }

  /** Replays the metadata log (Spark's `recoverPastEvents`). */
  private recoverPastEvents(): void {
    const wal = this.writeAheadLog;
    if (wal === undefined) return;
    log.info({ directory: this.logDirectory }, `Recovering from write ahead logs in ${this.checkpointDirOption}`);
    this.recovered = true;
    for (const record of wal.readAll()) {
      const event = deserializeLogEvent(record);
      switch (event.kind) {
        case 'BlockAdditionEvent':
          event.receivedBlockInfo.setBlockIdInvalid();
          this.getReceivedBlockQueue(event.receivedBlockInfo.streamId).push(event.receivedBlockInfo);
          if (event.receivedBlockInfo.metadataOption !== undefined) this.lastMetadata.set(event.receivedBlockInfo.streamId, event.receivedBlockInfo.metadataOption);
          break;
        case 'BatchAllocationEvent': {
          for (const [streamId, infos] of event.allocatedBlocks.streamIdToAllocatedBlocks) {
            const names = new Set(infos.map((i) => i.blockId.name));
            const q = this.getReceivedBlockQueue(streamId);
            this.streamIdToUnallocatedBlockQueues.set(streamId, q.filter((i) => !names.has(i.blockId.name)));
            // The block manager of the process that stored them is gone: read them from the WAL.
            for (const i of infos) i.setBlockIdInvalid();
          }
          this.timeToAllocatedBlocks.set(event.time.milliseconds, event.allocatedBlocks);
          this.lastAllocatedBatchTime = event.time;
          this.noteLoggedBatch(event.time.milliseconds);
          break;
        }
        case 'BatchCleanupEvent':
          for (const t of event.times) {
            this.timeToAllocatedBlocks.delete(t.milliseconds);
            this.cleanedOnReplay.add(t.milliseconds);
            this.noteLoggedBatch(t.milliseconds);
          }
          break;
      }
    }
  }
}
