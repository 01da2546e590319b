import { getLogger } from '../lib/core/logging';
import { StreamingConf } from '../lib/core/StreamingConf';
import type { Time } from '../lib/core/Time';
import { RecoveryCounters } from '../lib/experiments/RecoveryCounters';
import type { RDD } from '../lib/rdd/RDD';
import { streamInputInfo } from '../lib/scheduler/StreamInputInfo';
import type { BlockId } from '../lib/storage/BlockId';
import type { StreamId } from '../lib/storage/StreamId';
import { InputDStream } from '../lib/streaming/dstream/InputDStream';
import type { StreamingContext } from '../lib/streaming/StreamingContext';
import type { WriteAheadLogRecordHandle } from '../wal/WriteAheadLog';
import { WriteAheadLogUtils } from '../wal/WriteAheadLogUtils';
import { BlockRDD } from './rdd/BlockRDD';
import { WriteAheadLogBackedBlockRDD } from './rdd/WriteAheadLogBackedBlockRDD';
import type { RateController } from './rate/RateController';
import { createRateEstimator } from './rate/RateEstimator';
import { isBackPressureEnabled } from './rate/isBackPressureEnabled';
import { ReceiverRateController } from './rate/ReceiverRateController';
import type { ReceivedBlockInfo } from './ReceivedBlockInfo';
import type { Receiver } from './Receiver';
import { SparkEnv } from './SparkEnv';

const log = getLogger('ReceiverInputDStream');

/** What a receiver stream asks the ReceiverTracker for: the blocks allocated to a batch. */
export interface ReceivedBlocksSource {
  getBlocksOfBatch(batchTime: Time): ReadonlyMap<StreamId, readonly ReceivedBlockInfo[]>;
}

/**
 * An input stream fed by a {@link Receiver}: Spark's `ReceiverInputDStream`. The ReceiverTracker runs the receiver;
 * each batch's RDD is made of the blocks allocated to that batch (one partition per block): a
 * WriteAheadLogBackedBlockRDD when every block is in the receiver WAL, a BlockRDD otherwise. The batch's record
 * count is reported as its StreamInputInfo. When the batch is forgotten its blocks are removed.
 */
export abstract class ReceiverInputDStream<T> extends InputDStream<T> {
  /** Backpressure: present when `spark.streaming.backpressure.enabled` (Spark's `rateController`). */
  readonly rateController: RateController | undefined;

  constructor(ssc: StreamingContext, creationSite: string) {
    super(ssc, creationSite);
    this.rateController = isBackPressureEnabled(ssc.conf)
      ? new ReceiverRateController(this.id, createRateEstimator(ssc.conf, ssc.graph.batchDuration!), ssc)
      : undefined;
  }

  /**
   * Checkpoint data: the metadata of the last block the receiver stored, so that a reliable receiver resumes after
   * it even when the metadata log segments naming that block were cleaned. JSON, like all block metadata.
   */
  checkpointData: { lastStoredMetadata?: unknown } | undefined;

  override updateCheckpointData(time: Time): void {
    const tracker = this.ssc.scheduler.receiverTracker as { lastStoredMetadataOf?: (id: StreamId) => unknown } | undefined;
    const last = tracker?.lastStoredMetadataOf?.(this.id) ?? this.checkpointData?.lastStoredMetadata;
    this.checkpointData = last === undefined ? undefined : { lastStoredMetadata: last };
    super.updateCheckpointData(time);
  }

  /** The receiver to run for this stream (Spark's `getReceiver`). */
  abstract getReceiver(): Receiver<T>;

  override get usesReceiver(): boolean {
    return true;
  }

  /** Receivers are started by the ReceiverTracker, not here. */
  start(): void {}
  stop(): void {}

  compute(validTime: Time): RDD<T> {
    const source = this.ssc.scheduler.receiverTracker as Partial<ReceivedBlocksSource> | undefined;
    const blockInfos = source?.getBlocksOfBatch?.(validTime).get(this.id) ?? [];
    const startTime = this.graph?.startTime;
    if (startTime !== undefined && validTime.less(startTime) && blockInfos.length === 0) {
      // A batch before the (re)start time whose blocks are not known (no metadata log): Spark's empty BlockRDD.
      // One whose allocation was recovered from the metadata log reads its blocks as any batch.
      return new BlockRDD<T>(this.ssc.sparkContext, [], this.creationSite);
    }
    let numRecords = 0;
    for (const b of blockInfos) numRecords += b.numRecords ?? 0;
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, streamInputInfo(this.id, numRecords));
    return this.createBlockRDD(validTime, blockInfos);
  }

  /** Spark's `createBlockRDD(time, blockInfos)` (§5.5). */
  createBlockRDD(time: Time, blockInfos: readonly ReceivedBlockInfo[]): RDD<T> {
    const sc = this.ssc.sparkContext;
    if (blockInfos.length === 0) {
      return WriteAheadLogUtils.enableReceiverLog(this.ssc.conf)
        ? new WriteAheadLogBackedBlockRDD<T>(sc, [], [], [], false, undefined, this.creationSite)
        : new BlockRDD<T>(sc, [], this.creationSite);
    }
    const blockIds: BlockId[] = blockInfos.map((b) => b.blockId);
    if (blockInfos.every((b) => b.walRecordHandleOption !== undefined)) {
      const isBlockIdValid = blockInfos.map((b) => b.isBlockIdValid());
      const handles = blockInfos.map((b) => b.walRecordHandleOption as WriteAheadLogRecordHandle);
      return new WriteAheadLogBackedBlockRDD<T>(sc, blockIds, handles, isBlockIdValid, false, undefined, this.creationSite);
    }
    if (blockInfos.some((b) => b.walRecordHandleOption !== undefined)) {
      if (WriteAheadLogUtils.enableReceiverLog(this.ssc.conf)) {
        log.error({ stream: this.name }, 'Some blocks do not have Write Ahead Log information; this is unexpected and data may not be recoverable after driver failures');
      } else {
        log.warn({ stream: this.name }, 'Some blocks have Write Ahead Log information; this is unexpected');
      }
    }
    const bm = SparkEnv.get(sc).blockManager;
    const validBlockIds = blockInfos.filter((b) => b.isBlockIdValid() && bm.contains(b.blockId)).map((b) => b.blockId);
    if (validBlockIds.length !== blockIds.length) {
      RecoveryCounters.blocksNotFound(time.milliseconds, this.id, blockIds.length - validBlockIds.length);
      log.warn(
        { stream: this.name, missing: blockIds.length - validBlockIds.length },
        'Some blocks could not be recovered as they were not found in memory. To prevent such data loss, enable Write Ahead Log (see programming guide for more details.',
      );
    }
    return new BlockRDD<T>(sc, validBlockIds, this.creationSite);
  }

  /** A forgotten batch's blocks are removed from the block manager (with `spark.streaming.unpersist`, as Spark). */
  protected override onForget(rdd: RDD<T>, _time: Time): void {
    if (rdd instanceof BlockRDD && StreamingConf.UNPERSIST.read(this.ssc.conf)) rdd.removeBlocks();
  }
}
