import { StreamingConf } from '../core/StreamingConf';
import type { Time } from '../core/Time';
import type { ReceiverInfo } from '../scheduler/ReceiverInfo';
import type {
  StreamingListener,
  StreamingListenerBatchCompleted,
  StreamingListenerBatchRetry,
  StreamingListenerBatchStarted,
  StreamingListenerBatchSubmitted,
  StreamingListenerOutputOperationCompleted,
  StreamingListenerOutputOperationStarted,
  StreamingListenerRateUpdate,
  StreamingListenerReceiverError,
  StreamingListenerReceiverStarted,
  StreamingListenerReceiverStopped,
  StreamingListenerStreamingStarted,
} from '../scheduler/StreamingListener';
import type { StreamingContext } from '../streaming/StreamingContext';
import { BatchUIData } from './BatchUIData';
import { blocksOfBatch } from './BlockSource';

/** What changed, for the live feed: the listener method's name and the batch or receiver it touched. */
export type ProgressUpdate =
  | { readonly event: 'onStreamingStarted'; readonly time: number }
  | {
      readonly event: 'onBatchSubmitted' | 'onBatchStarted' | 'onBatchCompleted' | 'onOutputOperationStarted' | 'onOutputOperationCompleted' | 'onBatchRetry';
      readonly batch: BatchUIData;
    }
  | { readonly event: 'onReceiverStarted' | 'onReceiverError' | 'onReceiverStopped'; readonly streamId: number }
  | { readonly event: 'onRateUpdate'; readonly streamId: number };

/** Sums of records and delays over a set of batches (delays only where defined), for means. */
export class BatchSums {
  count = 0;
  records = 0;
  schedulingDelay = 0;
  schedulingDelayCount = 0;
  processingDelay = 0;
  processingDelayCount = 0;
  totalDelay = 0;
  totalDelayCount = 0;

  add(b: BatchUIData, sign = 1): void {
    this.count += sign;
    this.records += sign * b.numRecords;
    const s = b.schedulingDelay;
    const p = b.processingDelay;
    const t = b.totalDelay;
    if (s !== undefined) {
      this.schedulingDelay += sign * s;
      this.schedulingDelayCount += sign;
    }
    if (p !== undefined) {
      this.processingDelay += sign * p;
      this.processingDelayCount += sign;
    }
    if (t !== undefined) {
      this.totalDelay += sign * t;
      this.totalDelayCount += sign;
    }
  }

  remove(b: BatchUIData): void {
    this.add(b, -1);
  }
}

/** The newest rate estimate of a stream (backpressure). */
export interface RateUIData {
  readonly time: number;
  readonly rate: number | undefined;
}

/**
 * The streaming UI's bookkeeping: Spark's `StreamingJobProgressListener`. Waiting (submitted), running and completed
 * batches, the completed ones bounded by `spark.streaming.ui.retainedBatches` (oldest dropped first); totals over
 * the whole run; each receiver's latest ReceiverInfo. Events for a batch it no longer has (or never saw) are
 * tolerated, so nothing leaks when events arrive out of the usual order.
 */
export class StreamingJobProgressListener implements StreamingListener {
  readonly batchDuration: number;
  readonly batchUIDataLimit: number;
  private readonly waiting = new Map<number, BatchUIData>();
  private readonly running = new Map<number, BatchUIData>();
  /** Completed batches in completion order (Spark's queue), and by time. */
  private readonly completed: BatchUIData[] = [];
  private readonly completedByTime = new Map<number, BatchUIData>();
  private readonly receiverInfos = new Map<number, ReceiverInfo>();
  private readonly rates = new Map<number, RateUIData>();
  /** Sums over the retained completed batches, kept as they come and go, so statistics cost O(active batches). */
  readonly completedSums = new BatchSums();
  private totalCompletedBatches = 0;
  private totalReceivedRecords = 0;
  private totalProcessedRecords = 0;
  private subscribers: Array<(u: ProgressUpdate) => void> = [];
  /** `onStreamingStarted`'s time; -1 before it. */
  startTime = -1;

  constructor(readonly ssc: StreamingContext) {
    const d = ssc.graph.batchDuration;
    this.batchDuration = d === undefined ? 0 : d.milliseconds;
    this.batchUIDataLimit = StreamingConf.UI_RETAINED_BATCHES.read(ssc.conf);
  }

  /** Calls `fn` after every change; returns the unsubscribe function. */
  subscribe(fn: (u: ProgressUpdate) => void): () => void {
    this.subscribers.push(fn);
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== fn);
    };
  }

  private emit(u: ProgressUpdate): void {
    for (const s of this.subscribers) s(u);
  }

  // ---- StreamingListener

  onStreamingStarted(e: StreamingListenerStreamingStarted): void {
    this.startTime = e.time;
    this.emit({ event: 'onStreamingStarted', time: e.time });
  }

  onReceiverStarted(e: StreamingListenerReceiverStarted): void {
    this.receiverInfos.set(e.receiverInfo.streamId, e.receiverInfo);
    this.emit({ event: 'onReceiverStarted', streamId: e.receiverInfo.streamId });
  }

  onReceiverError(e: StreamingListenerReceiverError): void {
    this.receiverInfos.set(e.receiverInfo.streamId, e.receiverInfo);
    this.emit({ event: 'onReceiverError', streamId: e.receiverInfo.streamId });
  }

  onReceiverStopped(e: StreamingListenerReceiverStopped): void {
    this.receiverInfos.set(e.receiverInfo.streamId, e.receiverInfo);
    this.emit({ event: 'onReceiverStopped', streamId: e.receiverInfo.streamId });
  }

  onBatchSubmitted(e: StreamingListenerBatchSubmitted): void {
    const t = e.batchInfo.batchTime.milliseconds;
    if (this.completedByTime.has(t) || this.running.has(t)) return;
    const b = new BatchUIData(e.batchInfo);
    // Read now: the tracker forgets a batch's blocks some time after it completes.
    b.blocks = this.readBlocks(e.batchInfo.batchTime);
    this.waiting.set(t, b);
    this.emit({ event: 'onBatchSubmitted', batch: b });
  }

  onBatchStarted(e: StreamingListenerBatchStarted): void {
    const t = e.batchInfo.batchTime.milliseconds;
    if (this.completedByTime.has(t)) return;
    const b = this.waiting.get(t) ?? this.running.get(t) ?? this.fresh(e.batchInfo.batchTime, e.batchInfo);
    b.update(e.batchInfo);
    this.waiting.delete(t);
    if (!this.running.has(t)) {
      this.running.set(t, b);
      this.totalReceivedRecords += b.numRecords;
    }
    this.emit({ event: 'onBatchStarted', batch: b });
  }

  onBatchCompleted(e: StreamingListenerBatchCompleted): void {
    const t = e.batchInfo.batchTime.milliseconds;
    const done = this.completedByTime.get(t);
    if (done) {
      // Completed again (a re-run): newer times and outcomes, counted once.
      this.completedSums.remove(done);
      done.update(e.batchInfo);
      this.completedSums.add(done);
      this.emit({ event: 'onBatchCompleted', batch: done });
      return;
    }
    const b = this.waiting.get(t) ?? this.running.get(t) ?? this.fresh(e.batchInfo.batchTime, e.batchInfo);
    if (!this.running.has(t)) this.totalReceivedRecords += e.batchInfo.numRecords;
    b.update(e.batchInfo);
    this.waiting.delete(t);
    this.running.delete(t);
    this.completed.push(b);
    this.completedSums.add(b);
    this.completedByTime.set(t, b);
    if (this.completed.length > this.batchUIDataLimit) {
      const removed = this.completed.shift() as BatchUIData;
      this.completedSums.remove(removed);
      this.completedByTime.delete(removed.batchTime);
    }
    this.totalCompletedBatches++;
    this.totalProcessedRecords += b.numRecords;
    this.emit({ event: 'onBatchCompleted', batch: b });
  }

  onOutputOperationStarted(e: StreamingListenerOutputOperationStarted): void {
    const b = this.activeBatch(e.outputOperationInfo.batchTime.milliseconds);
    if (!b) return;
    b.updateOutputOperationInfo(e.outputOperationInfo);
    this.emit({ event: 'onOutputOperationStarted', batch: b });
  }

  onOutputOperationCompleted(e: StreamingListenerOutputOperationCompleted): void {
    const b = this.activeBatch(e.outputOperationInfo.batchTime.milliseconds);
    if (!b) return;
    b.updateOutputOperationInfo(e.outputOperationInfo);
    this.emit({ event: 'onOutputOperationCompleted', batch: b });
  }

  /** A failed batch runs again: it leaves the completed batches (and their totals) and is running once more. */
  onBatchRetry(e: StreamingListenerBatchRetry): void {
    const t = e.batchTime.milliseconds;
    let b = this.running.get(t) ?? this.waiting.get(t);
    const done = this.completedByTime.get(t);
    if (done) {
      this.completedByTime.delete(t);
      this.completed.splice(this.completed.indexOf(done), 1);
      this.completedSums.remove(done);
      this.totalCompletedBatches--;
      this.totalProcessedRecords -= done.numRecords;
      b = done;
    }
    if (!b) return;
    // Its records stay received; they count as processed again when the retry completes.
    this.waiting.delete(t);
    this.running.set(t, b);
    b.retries = Math.max(b.retries, e.attempt);
    this.emit({ event: 'onBatchRetry', batch: b });
  }

  onRateUpdate(e: StreamingListenerRateUpdate): void {
    this.rates.set(e.streamId, { time: e.time, rate: e.rate });
    this.emit({ event: 'onRateUpdate', streamId: e.streamId });
  }

  /** A batch seen first by a later event (its earlier events went unseen). */
  private fresh(time: Time, info: ConstructorParameters<typeof BatchUIData>[0]): BatchUIData {
    const b = new BatchUIData(info);
    b.blocks = this.readBlocks(time);
    return b;
  }

  private activeBatch(t: number): BatchUIData | undefined {
    return this.running.get(t) ?? this.waiting.get(t);
  }

  private readBlocks(time: Time): BatchUIData['blocks'] {
    try {
      return blocksOfBatch(this.ssc.scheduler.receiverTracker, time);
    } catch {
      return [];
    }
  }

  // ---- queries (Spark's names)

  get numReceivers(): number {
    return this.ssc.graph.getReceiverInputStreams().length;
  }

  get numActiveReceivers(): number {
    let n = 0;
    for (const r of this.receiverInfos.values()) if (r.active) n++;
    return n;
  }

  get numInactiveReceivers(): number {
    return this.numReceivers - this.numActiveReceivers;
  }

  get numTotalCompletedBatches(): number {
    return this.totalCompletedBatches;
  }

  get numTotalReceivedRecords(): number {
    return this.totalReceivedRecords;
  }

  get numTotalProcessedRecords(): number {
    return this.totalProcessedRecords;
  }

  /** Batches submitted or running. */
  get numUnprocessedBatches(): number {
    return this.waiting.size + this.running.size;
  }

  get waitingBatches(): BatchUIData[] {
    return [...this.waiting.values()];
  }

  get runningBatches(): BatchUIData[] {
    return [...this.running.values()];
  }

  /** Completed batches kept, oldest first (at most `spark.streaming.ui.retainedBatches`). */
  get retainedCompletedBatches(): BatchUIData[] {
    return [...this.completed];
  }

  /** Every batch kept (waiting, running, completed), by batch time. */
  get retainedBatches(): BatchUIData[] {
    return this.retainedBatchesUnordered().sort((a, b) => a.batchTime - b.batchTime);
  }

  /** The same batches in no particular order (for sums and means, without the sort). */
  retainedBatchesUnordered(): BatchUIData[] {
    return [...this.waiting.values(), ...this.running.values(), ...this.completed];
  }

  get lastCompletedBatch(): BatchUIData | undefined {
    let last: BatchUIData | undefined;
    for (const b of this.completed) if (!last || b.batchTime > last.batchTime) last = b;
    return last;
  }

  get lastReceivedBatch(): BatchUIData | undefined {
    const all = this.retainedBatches;
    return all[all.length - 1];
  }

  getBatchUIData(batchTime: number): BatchUIData | undefined {
    return this.waiting.get(batchTime) ?? this.running.get(batchTime) ?? this.completedByTime.get(batchTime);
  }

  /** Status of a kept batch, in the REST API's words. */
  statusOf(b: BatchUIData): 'QUEUED' | 'PROCESSING' | 'COMPLETED' {
    if (this.completedByTime.get(b.batchTime) === b) return 'COMPLETED';
    return this.running.has(b.batchTime) ? 'PROCESSING' : 'QUEUED';
  }

  /** Input stream ids, in creation order. */
  get streamIds(): number[] {
    return this.ssc.graph.inputStreams.map((s) => s.id as number);
  }

  /** Spark's `streamName(streamId)`: the input stream's name, e.g. `Socket text stream [0]`. */
  streamName(streamId: number): string | undefined {
    return this.ssc.graph.inputStreams.find((s) => s.id === streamId)?.name;
  }

  receiverInfo(streamId: number): ReceiverInfo | undefined {
    return this.receiverInfos.get(streamId);
  }

  rateOf(streamId: number): RateUIData | undefined {
    return this.rates.get(streamId);
  }

  /**
   * Spark's `receivedRecordRateWithBatchTime`: per input stream, `(batchTime, records/s)` of every kept batch (a
   * stream without input info in a batch counts 0).
   */
  receivedRecordRateWithBatchTime(): Map<number, Array<[number, number]>> {
    const batches = this.retainedBatches;
    const out = new Map<number, Array<[number, number]>>();
    for (const id of this.streamIds) {
      out.set(
        id,
        batches.map((b) => [b.batchTime, this.rate(b.streamIdToInputInfo.get(id)?.numRecords ?? 0)]),
      );
    }
    return out;
  }

  /** records per second over one batch. */
  rate(numRecords: number): number {
    return this.batchDuration > 0 ? (numRecords * 1000.0) / this.batchDuration : 0;
  }
}
