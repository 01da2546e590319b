import * as path from 'node:path';
import type { Clock } from '../lib/core/clock/Clock';
import { SystemClock } from '../lib/core/clock/SystemClock';
import { SparkException } from '../lib/core/errors';
import { getLogger } from '../lib/core/logging';
import type { SparkConf } from '../lib/core/SparkConf';
import { StreamingConf } from '../lib/core/StreamingConf';
import type { StreamBlockId } from '../lib/storage/BlockId';
import type { BlockManager } from '../lib/storage/BlockManager';
import { BlockSerializer } from '../lib/storage/BlockSerializer';
import { drainIterator, type ReceivedBlock } from '../lib/storage/ReceivedBlock';
import type { StorageLevel } from '../lib/storage/StorageLevel';
import type { StreamId } from '../lib/storage/StreamId';
import { unexpectedBlock } from './BlockManagerBasedBlockHandler';
import type { ReceivedBlockHandler, WriteAheadLogBasedStoreResult } from './ReceivedBlockHandler';
import type { WriteAheadLog } from './WriteAheadLog';
import { WriteAheadLogUtils } from './WriteAheadLogUtils';

const log = getLogger('WriteAheadLogBasedBlockHandler');

export interface WriteAheadLogBasedBlockHandlerOptions {
  readonly blockManager: BlockManager;
  readonly streamId: StreamId;
  readonly storageLevel: StorageLevel;
  readonly conf: SparkConf;
  readonly checkpointDir: string;
  /** Time source of the records' WAL times (default the system clock). */
  readonly clock?: Clock;
  /** A log to use instead of the configured receiver log at `<checkpointDir>/receivedData/<streamId>`. */
  readonly writeAheadLog?: WriteAheadLog;
}

/** A store that did not finish within `spark.streaming.receiver.blockStoreTimeout`. */
export class BlockStoreTimeoutError extends SparkException {
  constructor(
    readonly blockId: StreamBlockId,
    readonly timeoutMs: number,
  ) {
    super(
      `Storing block ${blockId.name} (write-ahead log write + block manager put) did not finish within ${timeoutMs / 1000} s ` +
        `(spark.streaming.receiver.blockStoreTimeout)`,
    );
  }
}

/**
 * Stores each received block in the receiver's write-ahead log and in the block manager: Spark's
 * `WriteAheadLogBasedBlockHandler`. The block is serialized once; the WAL write and the block manager put run in
 * parallel and both must finish within the store timeout. The block manager keeps it serialized with one replica
 * (the WAL already makes it durable).
 */
export class WriteAheadLogBasedBlockHandler implements ReceivedBlockHandler {
  readonly blockManager: BlockManager;
  readonly streamId: StreamId;
  /** The level blocks are stored with: the requested one, serialized, 1 replica. */
  readonly effectiveStorageLevel: StorageLevel;
  readonly writeAheadLog: WriteAheadLog;
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  constructor(options: WriteAheadLogBasedBlockHandlerOptions) {
    this.blockManager = options.blockManager;
    this.streamId = options.streamId;
    this.clock = options.clock ?? new SystemClock();
    this.timeoutMs = StreamingConf.BLOCK_STORE_TIMEOUT.read(options.conf) * 1000;
    const level = options.storageLevel;
    if (level.replication > 1) {
      log.warn({ streamId: this.streamId, level: level.name }, 'storage level replication is ignored when the write-ahead log is enabled');
    }
    if (level.deserialized) {
      log.warn({ streamId: this.streamId, level: level.name }, 'storage level serialization is forced when the write-ahead log is enabled');
    }
    this.effectiveStorageLevel = level.withFlags(false, 1);
    this.writeAheadLog =
      options.writeAheadLog ??
      WriteAheadLogUtils.createLogForReceiver(options.conf, WriteAheadLogBasedBlockHandler.checkpointDirToLogDir(options.checkpointDir, options.streamId));
  }

  /** The receiver WAL directory of a stream: `<checkpointDir>/receivedData/<streamId>`, as Spark. */
  static checkpointDirToLogDir(checkpointDir: string, streamId: StreamId): string {
    return path.join(checkpointDir, 'receivedData', String(streamId));
  }

  async storeBlock(blockId: StreamBlockId, block: ReceivedBlock): Promise<WriteAheadLogBasedStoreResult> {
    let numRecords: number | undefined;
    let bytes: Buffer;
    switch (block?.kind) {
      case 'array':
        numRecords = block.values.length;
        bytes = BlockSerializer.serialize(block.values);
        break;
      case 'iterator': {
        const values = drainIterator(block.iterator);
        numRecords = values.length;
        bytes = BlockSerializer.serialize(values);
        break;
      }
      case 'bytes':
        bytes = block.bytes;
        break;
      default:
        throw unexpectedBlock(blockId, block);
    }
    const level = this.effectiveStorageLevel;
    const put = this.blockManager.putBytes(blockId, bytes, level).then((stored) => {
      if (!stored) throw new SparkException(`Could not store ${blockId.name} to block manager with storage level ${level.name}`);
    });
    const write = this.writeAheadLog.write(bytes, this.clock.getTimeMillis());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BlockStoreTimeoutError(blockId, this.timeoutMs)), this.timeoutMs);
    });
    try {
      const [, walRecordHandle] = await Promise.race([Promise.all([put, write]), timeout]);
      return { blockId, numRecords, walRecordHandle };
    } finally {
      clearTimeout(timer);
    }
  }

  cleanupOldBlocks(threshTimeMs: number): Promise<void> {
    return this.writeAheadLog.clean(threshTimeMs, false);
  }

  stop(): Promise<void> {
    return this.writeAheadLog.close();
  }
}
