import { SparkException } from '../lib/core/errors';
import { getLogger } from '../lib/core/logging';
import { StreamingConf } from '../lib/core/StreamingConf';
import type { Time } from '../lib/core/Time';
import type { ReceiverInfo } from '../lib/scheduler/ReceiverInfo';
import type { ReceiverTrackerApi } from '../lib/scheduler/ReceiverTrackerApi';
import type { StreamId } from '../lib/storage/StreamId';
import type { StreamingContext } from '../lib/streaming/StreamingContext';
import { WriteAheadLogUtils } from '../wal/WriteAheadLogUtils';
import type { ReceivedBlockInfo } from './ReceivedBlockInfo';
import { ReceivedBlockTracker } from './ReceivedBlockTracker';
import type { Receiver } from './Receiver';
import type { ReceiverInputDStream } from './ReceiverInputDStream';
import { RECEIVER_WAL_WITHOUT_CHECKPOINT, ReceiverSupervisorImpl } from './ReceiverSupervisorImpl';
import type { ReceiverTrackerEndpoint } from './ReceiverTrackerEndpoint';
import { SparkEnv } from './SparkEnv';

const log = getLogger('ReceiverTracker');

/** Spark's `ReceiverTracker.TrackerState`. */
export type TrackerState = 'Initialized' | 'Started' | 'Stopping' | 'Stopped';

/** Spark's `ReceiverState` as the driver tracks it. */
export type TrackedReceiverState = 'INACTIVE' | 'SCHEDULED' | 'ACTIVE';

/** What the driver knows of one receiver: Spark's `ReceiverTrackingInfo`. */
export interface ReceiverTrackingInfo {
  readonly receiverId: StreamId;
  state: TrackedReceiverState;
  name: string | undefined;
  supervisor: ReceiverSupervisorImpl | undefined;
  lastErrorMessage: string;
  lastError: string;
  lastErrorTime: number;
}

/** Waits at most this long for receivers to stop on a non-graceful stop (Spark: 10 s). */
const STOP_WAIT_MS = 10_000;

/**
 * Runs the receivers of a context and keeps the books of their blocks: Spark's `ReceiverTracker`
 * (`scheduler/ReceiverTracker.scala`). Every receiver runs in this process under a ReceiverSupervisorImpl; a
 * receiver whose supervisor stops (it called `stop`, or `onStart` failed) is launched again after
 * `spark.streaming.receiverRestartDelay` unless the tracker is stopping. Receiver events go to the listener bus.
 * Block bookkeeping is the {@link ReceivedBlockTracker}'s, logged to the metadata WAL when a checkpoint directory
 * is set.
 */
export class ReceiverTracker implements ReceiverTrackerApi, ReceiverTrackerEndpoint {
  readonly receiverInputStreams: readonly ReceiverInputDStream<unknown>[];
  readonly receiverInputStreamIds: readonly StreamId[];
  readonly receivedBlockTracker: ReceivedBlockTracker;
  private state: TrackerState = 'Initialized';
  private readonly trackingInfos = new Map<number, ReceiverTrackingInfo>();
  private readonly receivers = new Map<number, Receiver<unknown>>();
  private readonly relaunchTimers = new Set<NodeJS.Timeout>();
  private readonly restartDelay: number;

  constructor(
    readonly ssc: StreamingContext,
    private readonly skipReceiverLaunch = false,
  ) {
    this.receiverInputStreams = ssc.graph.getReceiverInputStreams() as unknown as ReceiverInputDStream<unknown>[];
    this.receiverInputStreamIds = this.receiverInputStreams.map((s) => s.id);
    this.restartDelay = StreamingConf.RECEIVER_RESTART_DELAY.read(ssc.conf);
    this.receivedBlockTracker = new ReceivedBlockTracker(ssc.conf, this.receiverInputStreamIds, ssc.clock, ssc.isCheckpointPresent, ssc.checkpointDir);
    const restored = ssc.restoredCheckpoint;
    // The batches re-run with their recovered blocks, and those their state or windows are computed from, must
    // find their allocations in the log.
    if (restored) this.receivedBlockTracker.verifyRecoveredAllocations([restored.checkpointTime, ...restored.pendingTimes], restored.file, restored.inputFromMs);
  }

  /** Starts the receivers (and the streams' rate controllers). Spark's error when the receiver WAL lacks a checkpoint directory. */
  async start(): Promise<void> {
    if (this.state === 'Started') throw new SparkException('ReceiverTracker already started');
    if (this.receiverInputStreams.length === 0) return;
    if (WriteAheadLogUtils.enableReceiverLog(this.ssc.conf) && this.ssc.checkpointDir === undefined) {
      throw new SparkException(RECEIVER_WAL_WITHOUT_CHECKPOINT);
    }
    this.state = 'Started';
    for (const s of this.receiverInputStreams) if (s.rateController) this.ssc.addStreamingListener(s.rateController);
    if (!this.skipReceiverLaunch) this.launchReceivers();
    log.info({ receivers: this.receiverInputStreams.length }, 'ReceiverTracker started');
  }

  /**
   * Stops every receiver (each flushes its buffered records into blocks and reports them) and waits for them: up to
   * 10 s, or as long as it takes when graceful. Then closes the metadata log.
   */
  async stop(graceful: boolean): Promise<void> {
    await this.stopReceivers(graceful);
    await this.close();
  }

  /** Closes the metadata log. */
  async close(): Promise<void> {
    await this.receivedBlockTracker.stop();
    this.state = 'Stopped';
    log.info('ReceiverTracker stopped');
  }

  async stopReceivers(graceful: boolean): Promise<void> {
    if (this.state !== 'Started') return;
    this.state = 'Stopping';
    for (const t of this.relaunchTimers) clearTimeout(t);
    this.relaunchTimers.clear();
    const stops: Promise<void>[] = [];
    for (const info of this.trackingInfos.values()) {
      if (info.supervisor) stops.push(info.supervisor.stop('Stopped by driver').catch(() => undefined));
    }
    const all = Promise.all(stops).then(() => undefined);
    if (graceful) await all;
    else await Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    const stillActive = [...this.trackingInfos.values()].filter((i) => i.state === 'ACTIVE').map((i) => i.receiverId);
    if (stillActive.length > 0) log.warn({ receivers: stillActive }, `Not all of the receivers have deregistered, ${stillActive.join(', ')}`);
    else log.info('All of the receivers have deregistered successfully');
    for (const s of this.receiverInputStreams) if (s.rateController) this.ssc.removeStreamingListener(s.rateController);
  }

  // ---- the scheduler's side (ReceiverTrackerApi)

  allocateBlocksToBatch(batchTime: Time): Promise<void> {
    if (this.receiverInputStreams.length === 0) return Promise.resolve();
    return this.receivedBlockTracker.allocateBlocksToBatch(batchTime);
  }

  /** The blocks allocated to a batch, per stream. */
  getBlocksOfBatch(batchTime: Time): Map<StreamId, readonly ReceivedBlockInfo[]> {
    return this.receivedBlockTracker.getBlocksOfBatch(batchTime);
  }

  getBlocksOfBatchAndStream(batchTime: Time, streamId: StreamId): readonly ReceivedBlockInfo[] {
    return this.receivedBlockTracker.getBlocksOfBatchAndStream(batchTime, streamId);
  }

  hasUnallocatedBlocks(): boolean {
    return this.receivedBlockTracker.hasUnallocatedReceivedBlocks();
  }

  /** Forgets old batches; with the receiver WAL on, receivers clean their WAL segments older than `threshTime`. */
  async cleanupOldBlocksAndBatches(cleanupThreshTime: Time): Promise<void> {
    if (cleanupThreshTime.milliseconds >= this.ssc.clock.getTimeMillis()) return;
    await this.receivedBlockTracker.cleanupOldBatches(cleanupThreshTime, false);
    if (WriteAheadLogUtils.enableReceiverLog(this.ssc.conf)) {
      log.info({ threshTime: String(cleanupThreshTime) }, `Cleanup old received batch data: ${cleanupThreshTime}`);
      await Promise.all([...this.trackingInfos.values()].map((i) => i.supervisor?.cleanupOldBlocks(cleanupThreshTime.milliseconds)));
    }
  }

  numReceivers(): number {
    return this.receiverInputStreams.length;
  }

  /** Spark's `sendRateUpdate`: the receiver's block generators take the new rate. */
  sendRateUpdate(streamUID: StreamId, newRate: number): void {
    if (this.state !== 'Started') return;
    this.trackingInfos.get(streamUID)?.supervisor?.updateRateLimit(newRate);
  }

  /** Spark's `allocatedExecutors`: where each receiver runs (`driver` while active). */
  allocatedExecutors(): Map<StreamId, string | undefined> {
    const m = new Map<StreamId, string | undefined>();
    for (const id of this.receiverInputStreamIds) {
      const info = this.trackingInfos.get(id);
      m.set(id, info && info.state !== 'INACTIVE' ? 'driver' : undefined);
    }
    return m;
  }

  /** The tracking info of a receiver (for inspection and tests). */
  getReceiverTrackingInfo(streamId: StreamId): Readonly<ReceiverTrackingInfo> | undefined {
    return this.trackingInfos.get(streamId);
  }

  /** The running supervisor of a stream's receiver, if any. */
  getSupervisor(streamId: StreamId): ReceiverSupervisorImpl | undefined {
    return this.trackingInfos.get(streamId)?.supervisor;
  }

  get trackerState(): TrackerState {
    return this.state;
  }

  // ---- the receivers' side (ReceiverTrackerEndpoint)

  registerReceiver(streamId: StreamId, typ: string, host: string, executorId: string, supervisor: unknown): boolean {
    if (!this.receiverInputStreamIds.includes(streamId)) throw new SparkException(`Register received for unexpected id ${streamId}`);
    if (this.state === 'Stopping' || this.state === 'Stopped') return false;
    const info = this.tracking(streamId);
    info.state = 'ACTIVE';
    info.name = `${typ}-${streamId}`;
    info.supervisor = supervisor as ReceiverSupervisorImpl;
    this.ssc.scheduler.listenerBus.post('onReceiverStarted', { receiverInfo: this.toReceiverInfo(info, host, executorId) });
    log.info({ streamId, host, executorId }, `Registered receiver for stream ${streamId} from ${host}`);
    return true;
  }

  deregisterReceiver(streamId: StreamId, message: string, error: string): void {
    const info = this.tracking(streamId);
    info.state = 'INACTIVE';
    info.lastErrorMessage = message;
    info.lastError = error;
    info.lastErrorTime = error !== '' ? this.ssc.clock.getTimeMillis() : -1;
    this.ssc.scheduler.listenerBus.post('onReceiverStopped', { receiverInfo: this.toReceiverInfo(info) });
    const text = `Deregistered receiver for stream ${streamId}: ${message}${error !== '' ? ' - ' + error : ''}`;
    if (error !== '') log.error({ streamId }, text);
    else log.info({ streamId }, text);
  }

  addBlock(receivedBlockInfo: ReceivedBlockInfo): Promise<boolean> {
    return this.receivedBlockTracker.addBlock(receivedBlockInfo);
  }

  lastStoredMetadata(streamId: StreamId): unknown {
    const stream = this.receiverInputStreams.find((s) => s.id === streamId);
    return this.receivedBlockTracker.lastStoredMetadata(streamId, stream?.checkpointData?.lastStoredMetadata);
  }

  /** Every stream's last stored block metadata, for the streams' checkpoint data. */
  lastStoredMetadataOf(streamId: StreamId): unknown {
    return this.lastStoredMetadata(streamId);
  }

  reportError(streamId: StreamId, message: string, error: string): void {
    const info = this.tracking(streamId);
    info.lastErrorMessage = message;
    info.lastError = error;
    info.lastErrorTime = this.ssc.clock.getTimeMillis();
    this.ssc.scheduler.listenerBus.post('onReceiverError', { receiverInfo: this.toReceiverInfo(info) });
    const text = `Error reported by receiver for stream ${streamId}: ${message}${error !== '' ? ' - ' + error : ''}`;
    log.warn({ streamId }, text);
  }

  // ---- launching

  private launchReceivers(): void {
    for (const stream of this.receiverInputStreams) {
      const receiver = stream.getReceiver();
      receiver.setReceiverId(stream.id);
      this.receivers.set(stream.id, receiver);
      this.tracking(stream.id).state = 'SCHEDULED';
      this.startReceiver(receiver);
    }
  }

  /** Spark's receiver job: a supervisor that runs until it stops, then (unless stopping) a relaunch after the delay. */
  private startReceiver(receiver: Receiver<unknown>): void {
    if (this.state !== 'Started') return;
    const streamId = receiver.streamId;
    let supervisor: ReceiverSupervisorImpl;
    try {
      supervisor = new ReceiverSupervisorImpl(receiver, {
        conf: this.ssc.conf,
        blockManager: SparkEnv.get(this.ssc.sparkContext).blockManager,
        clock: this.ssc.clock,
        checkpointDir: this.ssc.checkpointDir,
        tracker: this,
      });
    } catch (e) {
      log.error({ err: e, streamId }, `Could not create the supervisor of receiver ${streamId}`);
      this.reportError(streamId, `Error starting receiver ${streamId}`, String(e));
      this.scheduleRelaunch(receiver);
      return;
    }
    this.tracking(streamId).supervisor = supervisor;
    void supervisor.start();
    void supervisor
      .awaitTermination()
      .then(
        () => log.info({ streamId }, `Receiver ${streamId} stopped`),
        (e) => log.warn({ err: e, streamId }, `Receiver ${streamId} stopped with an error`),
      )
      .then(() => {
        const info = this.tracking(streamId);
        if (info.supervisor === supervisor) info.supervisor = undefined;
        this.scheduleRelaunch(receiver);
      });
  }

  private scheduleRelaunch(receiver: Receiver<unknown>): void {
    if (this.state !== 'Started') return;
    const streamId = receiver.streamId;
    log.info({ streamId, delayMs: this.restartDelay }, `Restarting Receiver ${streamId}`);
    this.tracking(streamId).state = 'SCHEDULED';
    const t = setTimeout(() => {
      this.relaunchTimers.delete(t);
      this.startReceiver(receiver);
    }, this.restartDelay);
    this.relaunchTimers.add(t);
  }

  private tracking(streamId: StreamId): ReceiverTrackingInfo {
    let info = this.trackingInfos.get(streamId);
    if (!info) {
      info = { receiverId: streamId, state: 'INACTIVE', name: undefined, supervisor: undefined, lastErrorMessage: '', lastError: '', lastErrorTime: -1 };
      this.trackingInfos.set(streamId, info);
    }
    return info;
  }

  private toReceiverInfo(info: ReceiverTrackingInfo, host = 'localhost', executorId = 'driver'): ReceiverInfo {
    return {
      streamId: info.receiverId,
      name: info.name ?? `Receiver-${info.receiverId}`,
      active: info.state === 'ACTIVE',
      location: host,
      executorId,
      lastErrorMessage: info.lastErrorMessage,
      lastError: info.lastError,
      lastErrorTime: info.lastErrorTime,
    };
  }
}
