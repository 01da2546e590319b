import type { BatchUIData, BlockUIData, OutputOperationUIData } from './BatchUIData';
import { BatchSums, type StreamingJobProgressListener } from './StreamingJobProgressListener';
import { apiDate } from './UIUtils';

/**
 * The JSON of Spark's streaming REST API (`/api/v1/applications/<app>/streaming/...`, `ApiStreamingRootResource`),
 * field for field, with a few additions of ours marked below. Absent values (Spark's `None`) are left out, as
 * Spark's JSON writer does. Dates are Spark's `2015-03-04T04:40:00.000GMT`.
 */

/** Spark's `StreamingStatistics`. */
export interface StreamingStatisticsJson {
  startTime: string;
  batchDuration: number;
  numReceivers: number;
  numActiveReceivers: number;
  numInactiveReceivers: number;
  numTotalCompletedBatches: number;
  numRetainedCompletedBatches: number;
  numActiveBatches: number;
  numProcessedRecords: number;
  numReceivedRecords: number;
  avgInputRate?: number;
  avgSchedulingDelay?: number;
  avgProcessingTime?: number;
  avgTotalDelay?: number;
}

/** Spark's `ReceiverInfo` of the API, plus `rateLimit` (ours: the newest backpressure estimate). */
export interface ReceiverJson {
  streamId: number;
  streamName: string;
  isActive?: boolean;
  executorId?: string;
  executorHost?: string;
  lastErrorTime?: string;
  lastErrorMessage?: string;
  lastError?: string;
  avgEventRate?: number;
  eventRates: Array<[number, number]>;
  rateLimit?: number;
}

/** Spark's `BatchInfo` of the API, plus ours: times, per-stream input, output operations, block count, retries. */
export interface BatchJson {
  batchId: number;
  batchTime: string;
  status: 'QUEUED' | 'PROCESSING' | 'COMPLETED';
  batchDuration: number;
  inputSize: number;
  schedulingDelay?: number;
  processingTime?: number;
  totalDelay?: number;
  numActiveOutputOps: number;
  numCompletedOutputOps: number;
  numFailedOutputOps: number;
  numTotalOutputOps: number;
  firstFailureReason?: string;
  submissionTime: number;
  processingStartTime?: number;
  processingEndTime?: number;
  inputs: Array<{ streamId: number; numRecords: number; description?: string }>;
  outputOperations: OutputOperationJson[];
  numBlocks: number;
  retries: number;
}

/** Spark's `OutputOperationInfo` of the API (no Spark jobs here, so `jobIds` is empty). */
export interface OutputOperationJson {
  outputOpId: number;
  name: string;
  description: string;
  startTime?: string;
  endTime?: string;
  duration?: number;
  failureReason?: string;
  jobIds: number[];
}

function mean(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Spark's statistics: means over every kept batch (waiting, running, completed). The completed batches' sums are
 * kept by the listener, so this costs the number of active batches, not the history's length.
 */
export function statisticsJson(l: StreamingJobProgressListener): StreamingStatisticsJson {
  const sums = new BatchSums();
  const c = l.completedSums;
  for (const b of l.waitingBatches) sums.add(b);
  for (const b of l.runningBatches) sums.add(b);
  const n = sums.count + c.count;
  const records = sums.records + c.records;
  const avg = (sum: number, count: number): number | undefined => (count > 0 ? Math.trunc(sum / count) : undefined);
  return {
    startTime: apiDate(l.startTime),
    batchDuration: l.batchDuration,
    numReceivers: l.numReceivers,
    numActiveReceivers: l.numActiveReceivers,
    numInactiveReceivers: l.numInactiveReceivers,
    numTotalCompletedBatches: l.numTotalCompletedBatches,
    numRetainedCompletedBatches: c.count,
    numActiveBatches: l.numUnprocessedBatches,
    numProcessedRecords: l.numTotalProcessedRecords,
    numReceivedRecords: l.numTotalReceivedRecords,
    avgInputRate: n > 0 ? l.rate(records) / n : undefined,
    avgSchedulingDelay: avg(sums.schedulingDelay + c.schedulingDelay, sums.schedulingDelayCount + c.schedulingDelayCount),
    avgProcessingTime: avg(sums.processingDelay + c.processingDelay, sums.processingDelayCount + c.processingDelayCount),
    avgTotalDelay: avg(sums.totalDelay + c.totalDelay, sums.totalDelayCount + c.totalDelayCount),
  };
}

/**
 * Every input stream (receiver or not), as Spark's `/receivers` lists `listener.streamIds`. `maxEventRates` keeps
 * only the newest rates (the live feed sends a sparkline's worth, not the whole history, with every batch).
 */
export function receiversJson(l: StreamingJobProgressListener, maxEventRates = Infinity): ReceiverJson[] {
  const rates = l.receivedRecordRateWithBatchTime();
  return l.streamIds.map((id) => receiverJson(l, id, rates.get(id) ?? [], maxEventRates));
}

export function receiverJson(
  l: StreamingJobProgressListener,
  streamId: number,
  eventRates = l.receivedRecordRateWithBatchTime().get(streamId) ?? [],
  maxEventRates = Infinity,
): ReceiverJson {
  const info = l.receiverInfo(streamId);
  const hasError = info !== undefined && info.lastErrorTime >= 0;
  const limit = l.rateOf(streamId)?.rate;
  return {
    streamId,
    streamName: l.streamName(streamId) ?? `Stream-${streamId}`,
    isActive: info?.active,
    executorId: info?.executorId,
    executorHost: info?.location,
    lastErrorTime: hasError ? apiDate(info.lastErrorTime) : undefined,
    lastErrorMessage: hasError ? info.lastErrorMessage : undefined,
    lastError: hasError ? info.lastError : undefined,
    avgEventRate: mean(eventRates.map(([, r]) => r)),
    eventRates: eventRates.length > maxEventRates ? eventRates.slice(eventRates.length - maxEventRates) : eventRates,
    ...(limit !== undefined ? { rateLimit: limit } : {}),
  };
}

export function outputOperationJson(o: OutputOperationUIData): OutputOperationJson {
  return {
    outputOpId: o.id,
    name: o.name,
    description: o.description,
    startTime: o.startTime !== undefined ? apiDate(o.startTime) : undefined,
    endTime: o.endTime !== undefined ? apiDate(o.endTime) : undefined,
    duration: o.startTime !== undefined && o.endTime !== undefined ? o.endTime - o.startTime : undefined,
    failureReason: o.failureReason,
    jobIds: [],
  };
}

export function batchJson(l: StreamingJobProgressListener, b: BatchUIData): BatchJson {
  return {
    batchId: b.batchTime,
    batchTime: apiDate(b.batchTime),
    status: l.statusOf(b),
    batchDuration: l.batchDuration,
    inputSize: b.numRecords,
    schedulingDelay: b.schedulingDelay,
    processingTime: b.processingDelay,
    totalDelay: b.totalDelay,
    numActiveOutputOps: b.numActiveOutputOp,
    numCompletedOutputOps: b.numCompletedOutputOp,
    numFailedOutputOps: b.numFailedOutputOp,
    numTotalOutputOps: b.outputOperations.size,
    firstFailureReason: b.firstFailureReason,
    submissionTime: b.submissionTime,
    processingStartTime: b.processingStartTime,
    processingEndTime: b.processingEndTime,
    inputs: b.inputInfos(),
    outputOperations: [...b.outputOperations.values()].sort((x, y) => x.id - y.id).map(outputOperationJson),
    numBlocks: b.blocks.length,
    retries: b.retries,
  };
}

/** Spark's `/batches?status=...`: newest first; `statuses` empty means all. */
export function batchesJson(l: StreamingJobProgressListener, statuses: readonly string[] = []): BatchJson[] {
  const want = new Set(statuses.map((s) => s.toUpperCase()));
  return l.retainedBatches
    .filter((b) => want.size === 0 || want.has(l.statusOf(b)))
    .sort((a, b) => b.batchTime - a.batchTime)
    .map((b) => batchJson(l, b));
}

/** Ours: a batch's blocks (`/batches/<id>/blocks`). */
export function blocksJson(b: BatchUIData): { batchId: number; blocks: readonly BlockUIData[] } {
  return { batchId: b.batchTime, blocks: b.blocks };
}
