import type { BatchInfo } from '../scheduler/BatchInfo';
import type { OutputOperationInfo } from '../scheduler/OutputOperationInfo';
import { METADATA_KEY_DESCRIPTION, type StreamInputInfo } from '../scheduler/StreamInputInfo';

/** One block of a batch as the UI shows it (from the ReceivedBlockTracker's allocation). */
export interface BlockUIData {
  readonly blockId: string;
  readonly streamId: number;
  readonly numRecords?: number;
  /** Where the block is in the receiver WAL, when it was written there. */
  readonly wal?: { readonly path: string; readonly offset: number; readonly length: number };
}

/** One output operation of a batch: Spark's `OutputOperationUIData`. */
export interface OutputOperationUIData {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly failureReason?: string;
}

function outputOperationUIData(o: OutputOperationInfo): OutputOperationUIData {
  return { id: o.id, name: o.name, description: o.description, startTime: o.startTime, endTime: o.endTime, failureReason: o.failureReason };
}

/**
 * What the UI keeps of one batch: Spark's `BatchUIData`. Built from each batch event's BatchInfo; output operations
 * are updated by their own events (which may arrive before or after the batch's).
 */
export class BatchUIData {
  readonly batchTime: number;
  streamIdToInputInfo: ReadonlyMap<number, StreamInputInfo>;
  submissionTime: number;
  processingStartTime: number | undefined;
  processingEndTime: number | undefined;
  readonly outputOperations = new Map<number, OutputOperationUIData>();
  /** The blocks allocated to this batch (receiver streams only). */
  blocks: readonly BlockUIData[] = [];
  /** Batch-level retries seen (dstreams' `dstreams.batch.maxRetries`). */
  retries = 0;

  constructor(info: BatchInfo) {
    this.batchTime = info.batchTime.milliseconds;
    this.streamIdToInputInfo = info.streamIdToInputInfo;
    this.submissionTime = info.submissionTime;
    this.processingStartTime = info.processingStartTime;
    this.processingEndTime = info.processingEndTime;
    for (const o of info.outputOperationInfos.values()) this.outputOperations.set(o.id, outputOperationUIData(o));
  }

  /** Takes the newer BatchInfo of the same batch, keeping what the UI learnt on its own (blocks, retries). */
  update(info: BatchInfo): void {
    this.streamIdToInputInfo = info.streamIdToInputInfo;
    this.submissionTime = info.submissionTime;
    this.processingStartTime = info.processingStartTime;
    this.processingEndTime = info.processingEndTime;
    // Events arrive in order, so a later BatchInfo is never older than an output operation event before it.
    for (const o of info.outputOperationInfos.values()) this.outputOperations.set(o.id, outputOperationUIData(o));
  }

  /** Spark's `updateOutputOperationInfo`. */
  updateOutputOperationInfo(o: OutputOperationInfo): void {
    this.outputOperations.set(o.id, outputOperationUIData(o));
  }

  get schedulingDelay(): number | undefined {
    return this.processingStartTime === undefined ? undefined : this.processingStartTime - this.submissionTime;
  }

  get processingDelay(): number | undefined {
    return this.processingStartTime === undefined || this.processingEndTime === undefined ? undefined : this.processingEndTime - this.processingStartTime;
  }

  get totalDelay(): number | undefined {
    const s = this.schedulingDelay;
    const p = this.processingDelay;
    return s === undefined || p === undefined ? undefined : s + p;
  }

  get numRecords(): number {
    let n = 0;
    for (const i of this.streamIdToInputInfo.values()) n += i.numRecords;
    return n;
  }

  /** Output operations still running or not started (Spark: those without an end time). */
  get numActiveOutputOp(): number {
    let n = 0;
    for (const o of this.outputOperations.values()) if (o.endTime === undefined) n++;
    return n;
  }

  get numCompletedOutputOp(): number {
    let n = 0;
    for (const o of this.outputOperations.values()) if (o.failureReason === undefined && o.endTime !== undefined) n++;
    return n;
  }

  get numFailedOutputOp(): number {
    let n = 0;
    for (const o of this.outputOperations.values()) if (o.failureReason !== undefined) n++;
    return n;
  }

  /** The failure reason of the failed output operation with the lowest id. */
  get firstFailureReason(): string | undefined {
    const ids = [...this.outputOperations.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      const r = this.outputOperations.get(id)?.failureReason;
      if (r !== undefined) return r;
    }
    return undefined;
  }

  /** Per input stream: records and the `Description` metadata (Spark's `metadataDescription`). */
  inputInfos(): Array<{ streamId: number; numRecords: number; description?: string }> {
    return [...this.streamIdToInputInfo.values()]
      .sort((a, b) => a.inputStreamId - b.inputStreamId)
      .map((i) => {
        const d = i.metadata[METADATA_KEY_DESCRIPTION];
        return { streamId: i.inputStreamId, numRecords: i.numRecords, ...(d !== undefined ? { description: String(d) } : {}) };
      });
  }
}
