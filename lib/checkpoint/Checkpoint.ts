import { Duration } from '../core/Duration';
import { Time } from '../core/Time';
import type { StreamingContext } from '../streaming/StreamingContext';
import { CorruptCheckpointError } from './CheckpointFile';
import { type FingerprintNode, graphFingerprint } from './GraphFingerprint';

/**
 * A metadata checkpoint: data, not code (Spark's `Checkpoint`). The graph is rebuilt by the program's own
 * `create()` on restart and checked against `graph`; each stream's checkpoint data (state file references, input
 * positions such as file lists and Kafka offsets) is the stream's `checkpointData` value, which must be JSON.
 */
export interface CheckpointRecord {
  readonly formatVersion: 1;
  readonly appName: string;
  readonly master: string;
  readonly batchDurationMs: number;
  readonly checkpointDurationMs: number | undefined;
  readonly checkpointTimeMs: number;
  readonly zeroTimeMs: number;
  readonly startTimeMs: number;
  readonly pendingTimesMs: readonly number[];
  readonly graph: readonly FingerprintNode[];
  /** Each stream's checkpoint data by stream seq (only streams that have some). */
  readonly streams: Readonly<Record<string, unknown>>;
  readonly conf: ReadonlyArray<readonly [string, string]>;
  readonly writtenAtMs: number;
}

/** A stream that keeps checkpoint data exposes it as this (JSON-able) property. */
export interface HasCheckpointData {
  checkpointData?: unknown;
}

export function buildCheckpoint(ssc: StreamingContext, checkpointTime: Time): CheckpointRecord {
  const graph = ssc.graph;
  const streams: Record<string, unknown> = {};
  for (const d of graph.allStreams()) {
    const data = (d as unknown as HasCheckpointData).checkpointData;
    if (data !== undefined) streams[String(d.seq)] = data;
  }
  return {
    formatVersion: 1,
    appName: ssc.sparkContext.appName,
    master: ssc.sparkContext.master,
    batchDurationMs: graph.batchDuration!.milliseconds,
    checkpointDurationMs: ssc.checkpointDuration?.milliseconds,
    checkpointTimeMs: checkpointTime.milliseconds,
    zeroTimeMs: graph.zeroTime!.milliseconds,
    startTimeMs: graph.startTime!.milliseconds,
    pendingTimesMs: ssc.scheduler.getPendingTimes().map((t) => t.milliseconds).sort((a, b) => a - b),
    graph: graphFingerprint(graph),
    streams,
    conf: ssc.conf.getAll(),
    writtenAtMs: Date.now(),
  };
}

/** Checks the fields a restart needs (Spark's `Checkpoint.validate`). */
export function validateCheckpoint(file: string, v: unknown): CheckpointRecord {
  const c = v as Partial<CheckpointRecord> | null;
  const need = (cond: boolean, what: string): void => {
    if (!cond) throw new CorruptCheckpointError(file, `missing or malformed field ${what}`);
  };
  need(c !== null && typeof c === 'object', 'body');
  const r = c as CheckpointRecord;
  need(r.formatVersion === 1, 'formatVersion');
  need(typeof r.appName === 'string', 'appName');
  need(typeof r.master === 'string', 'master');
  need(Number.isInteger(r.batchDurationMs) && r.batchDurationMs > 0, 'batchDurationMs');
  need(Number.isInteger(r.checkpointTimeMs), 'checkpointTimeMs');
  need(Number.isInteger(r.zeroTimeMs), 'zeroTimeMs');
  need(Number.isInteger(r.startTimeMs), 'startTimeMs');
  need(Array.isArray(r.pendingTimesMs) && r.pendingTimesMs.every(Number.isInteger), 'pendingTimesMs');
  need(Array.isArray(r.graph), 'graph');
  need(r.streams !== null && typeof r.streams === 'object', 'streams');
  need(Array.isArray(r.conf), 'conf');
  return r;
}

export const checkpointTimes = {
  checkpointTime: (c: CheckpointRecord): Time => new Time(c.checkpointTimeMs),
  pendingTimes: (c: CheckpointRecord): Time[] => c.pendingTimesMs.map((t) => new Time(t)),
  batchDuration: (c: CheckpointRecord): Duration => new Duration(c.batchDurationMs),
};
