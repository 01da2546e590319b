import type { Clock } from '../lib/core/clock/Clock';
import { errorString, SparkException } from '../lib/core/errors';
import { faultPoint } from '../lib/core/FaultPoints';
import { getLogger } from '../lib/core/logging';
import type { SparkConf } from '../lib/core/SparkConf';
import { StreamBlockId } from '../lib/storage/BlockId';
import type { BlockManager } from '../lib/storage/BlockManager';
import { BlockEncoding, BlockSerializer } from '../lib/storage/BlockSerializer';
import { ArrayBufferBlock, ByteBufferBlock, IteratorBlock, type ReceivedBlock } from '../lib/storage/ReceivedBlock';
import { BlockManagerBasedBlockHandler } from '../wal/BlockManagerBasedBlockHandler';
import type { ReceivedBlockHandler } from '../wal/ReceivedBlockHandler';
import { WriteAheadLogBasedBlockHandler } from '../wal/WriteAheadLogBasedBlockHandler';
import { WriteAheadLogUtils } from '../wal/WriteAheadLogUtils';
import { BlockGenerator, type BlockGeneratorListener } from './BlockGenerator';
import { ReceivedBlockInfo } from './ReceivedBlockInfo';
import type { Receiver, StoreWait } from './Receiver';
import type { StringsRun } from './StringsBlock';
import { ReceiverSupervisor } from './ReceiverSupervisor';
import type { ReceiverTrackerEndpoint } from './ReceiverTrackerEndpoint';

const log = getLogger('ReceiverSupervisorImpl');

/** Spark's error for the receiver WAL without a checkpoint directory. */
export const RECEIVER_WAL_WITHOUT_CHECKPOINT =
  'Cannot enable receiver write-ahead log without checkpoint directory set. Please use streamingContext.checkpoint() to set the checkpoint directory. See documentation for more details.';

/** What a supervisor needs from its process (Spark's `SparkEnv` + the driver endpoint). */
export interface ReceiverSupervisorEnv {
  readonly conf: SparkConf;
  readonly blockManager: BlockManager;
  /** The context's clock: block intervals and WAL record times. */
  readonly clock: Clock;
  readonly checkpointDir: string | undefined;
  readonly tracker: ReceiverTrackerEndpoint;
  readonly host?: string;
  readonly executorId?: string;
}

/** The last unique id used per stream, so that block ids never repeat within the process (restarts included). */
const lastUniqueIds = new Map<number, number>();

function uniqueIdFor(streamId: number, candidate: number): number {
  const last = lastUniqueIds.get(streamId);
  const id = last === undefined || candidate > last ? candidate : last + 1;
  lastUniqueIds.set(streamId, id);
  return id;
}

/**
 * The supervisor that stores a receiver's data: Spark's `ReceiverSupervisorImpl`. Single records go to the default
 * BlockGenerator; each block (generated, or stored whole by the receiver) is stored by the ReceivedBlockHandler —
 * the WAL-based one when `spark.streaming.receiver.writeAheadLog.enable` is on — and then reported to the driver
 * (`AddBlock`) before the store resolves.
 */
export class ReceiverSupervisorImpl extends ReceiverSupervisor {
  readonly receivedBlockHandler: ReceivedBlockHandler;
  private readonly registeredBlockGenerators: BlockGenerator[] = [];
  private readonly defaultBlockGenerator: BlockGenerator;
  private readonly tracker: ReceiverTrackerEndpoint;
  private readonly host: string;
  private readonly executorId: string;

  constructor(
    receiver: Receiver<unknown>,
    private readonly env: ReceiverSupervisorEnv,
  ) {
    super(receiver, env.conf);
    this.tracker = env.tracker;
    this.host = env.host ?? 'localhost';
    this.executorId = env.executorId ?? 'driver';
    if (WriteAheadLogUtils.enableReceiverLog(env.conf)) {
      if (env.checkpointDir === undefined) throw new SparkException(RECEIVER_WAL_WITHOUT_CHECKPOINT);
      this.receivedBlockHandler = new WriteAheadLogBasedBlockHandler({
        blockManager: env.blockManager,
        streamId: this.streamId,
        storageLevel: receiver.storageLevel,
        conf: env.conf,
        checkpointDir: env.checkpointDir,
        clock: env.clock,
      });
    } else {
      this.receivedBlockHandler = new BlockManagerBasedBlockHandler(env.blockManager, receiver.storageLevel);
    }
    const listener: BlockGeneratorListener = {
      onAddData: () => undefined,
      onGenerateBlock: () => undefined,
      onError: (message, throwable) => this.reportError(message, throwable),
      onPushBlock: (blockId, arrayBuffer) => this.pushArrayBuffer(arrayBuffer, undefined, blockId),
      onPushSerializedBlock: (blockId, bytes, numRecords) => this.pushAndReportBlock(ByteBufferBlock(bytes), undefined, blockId, numRecords),
    };
    this.defaultBlockGenerator = this.createBlockGenerator(listener);
  }

  /** Records per second the default block generator accepts now. */
  getCurrentRateLimit(): number {
    return this.defaultBlockGenerator.getCurrentLimit();
  }

  pushSingle(data: unknown): StoreWait {
    return this.defaultBlockGenerator.addData(data);
  }

  pushMultipleSingles(data: readonly unknown[]): StoreWait {
    return this.defaultBlockGenerator.addMultipleData(data);
  }

  override pushSerializedStrings(run: StringsRun): StoreWait {
    return this.defaultBlockGenerator.addSerializedStrings(run);
  }

  pushArrayBuffer(arrayBuffer: readonly unknown[], metadata?: unknown, blockId?: StreamBlockId): Promise<void> {
    return this.pushAndReportBlock(ArrayBufferBlock(arrayBuffer), metadata, blockId);
  }

  pushIterator(iterator: Iterator<unknown>, metadata?: unknown, blockId?: StreamBlockId): Promise<void> {
    return this.pushAndReportBlock(IteratorBlock(iterator), metadata, blockId);
  }

  pushBytes(bytes: Buffer, metadata?: unknown, blockId?: StreamBlockId): Promise<void> {
    return this.pushAndReportBlock(ByteBufferBlock(bytes), metadata, blockId, headerRecordCount(bytes));
  }

  /**
   * Stores a block and reports it to the driver; resolves only when both are done (what reliable receivers wait
   * for). `knownNumRecords` counts a bytes block whose count the handler cannot know.
   */
  async pushAndReportBlock(block: ReceivedBlock, metadata: unknown, blockIdOption?: StreamBlockId, knownNumRecords?: number): Promise<void> {
    const blockId = blockIdOption ?? new StreamBlockId(this.streamId, uniqueIdFor(this.streamId, this.env.clock.getTimeMillis()));
    const start = Date.now();
    const result = await this.receivedBlockHandler.storeBlock(blockId, block);
    log.debug({ block: blockId.name, ms: Date.now() - start }, 'Pushed block');
    const info = new ReceivedBlockInfo(this.streamId, result.numRecords ?? knownNumRecords, metadata, result);
    if (!(await this.tracker.addBlock(info))) throw new SparkException('Failed to add block to receiver tracker.');
    faultPoint('block.after-store-before-ack');
  }

  lastStoredMetadata(): unknown {
    return this.tracker.lastStoredMetadata(this.streamId);
  }

  reportError(message: string, throwable: unknown): void {
    this.tracker.reportError(this.streamId, message, throwable === undefined ? '' : errorString(throwable));
    log.warn({ err: throwable, streamId: this.streamId }, `Reported error ${message}`);
  }

  createBlockGenerator(listener: BlockGeneratorListener): BlockGenerator {
    for (let i = this.registeredBlockGenerators.length - 1; i >= 0; i--) {
      if (this.registeredBlockGenerators[i].isStopped()) this.registeredBlockGenerators.splice(i, 1);
    }
    const g = new BlockGenerator(listener, this.streamId, this.env.conf, this.env.clock, {
      uniqueId: (candidate) => uniqueIdFor(this.streamId, candidate),
    });
    this.registeredBlockGenerators.push(g);
    return g;
  }

  /** The driver's `UpdateRateLimit(eps)`: every block generator of this receiver takes the new rate. */
  updateRateLimit(eps: number): void {
    log.info({ streamId: this.streamId, eps }, `Received a new rate limit: ${eps}.`);
    for (const g of this.registeredBlockGenerators) g.updateRate(eps);
  }

  /** The driver's `CleanupOldBlocks(threshTime)`: the WAL handler drops old segments. */
  cleanupOldBlocks(threshTimeMs: number): Promise<void> {
    log.debug({ streamId: this.streamId, threshTimeMs }, 'Received delete old batch signal');
    return this.receivedBlockHandler.cleanupOldBlocks(threshTimeMs);
  }

  protected override onStart(): void {
    for (const g of this.registeredBlockGenerators) if (g.getState() === 'Initialized') g.start();
  }

  protected override async onStop(): Promise<void> {
    // Generators flush their buffered records into final blocks first; the WAL closes after.
    await Promise.all(this.registeredBlockGenerators.map((g) => g.stop()));
    await this.receivedBlockHandler.stop();
  }

  protected onReceiverStart(): boolean {
    return this.tracker.registerReceiver(this.streamId, this.receiver.constructor.name, this.host, this.executorId, this);
  }

  protected override onReceiverStop(message: string, error: unknown): void {
    log.info({ streamId: this.streamId }, `Deregistering receiver ${this.streamId}`);
    this.tracker.deregisterReceiver(this.streamId, message, error === undefined ? '' : errorString(error));
    log.info({ streamId: this.streamId }, `Stopped receiver ${this.streamId}`);
  }
}

/**
 * The record count of serialized block bytes when its header says it (strings and buffers encodings), so that
 * bytes blocks count in StreamInputInfo and backpressure (Spark counts them as unknown).
 */
function headerRecordCount(bytes: Buffer): number | undefined {
  try {
    return BlockSerializer.encodingOf(bytes) === BlockEncoding.V8 ? undefined : BlockSerializer.countRecords(bytes);
  } catch {
    return undefined;
  }
}
