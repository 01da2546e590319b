import * as path from 'node:path';
import { Duration } from '../core/Duration';
import { DStreamsError, IllegalStateException, SparkException } from '../core/errors';
import { getLogger } from '../core/logging';
import { Time } from '../core/Time';
import { QueueInputDStream } from '../streaming/dstream/QueueInputDStream';
import type { StreamingContext } from '../streaming/StreamingContext';
import { type CheckpointRecord, type HasCheckpointData } from './Checkpoint';
import { readCheckpoint } from './CheckpointReader';
import { firstDifference, graphFingerprint } from './GraphFingerprint';
import { restoreStateStreams } from './StateCheckpointer';

const log = getLogger('Recovery');

/** The program's graph does not have the shape of the checkpoint it is recovering from. */
export class CheckpointGraphMismatchError extends DStreamsError {
  constructor(readonly checkpointDir: string, readonly difference: string) {
    super(
      `The DStream graph defined by the program does not match the checkpoint in ${checkpointDir}: ${difference}. ` +
        'Function bodies may change between runs, but not the graph\'s shape. To start fresh, delete the checkpoint ' +
        'directory or point StreamingContext.getOrCreate at a new one.',
    );
  }
}

export interface GetOrCreateOptions {
  /** Spark's `createOnError`: an unreadable checkpoint folder starts a new context instead of failing. */
  readonly createOnError?: boolean;
}

/**
 * Spark's `StreamingContext.getOrCreate(checkpointPath, creatingFunc)`: with a valid checkpoint, `create()` rebuilds
 * the graph (closures cannot come from disk), its shape is checked against the checkpoint, and times, pending
 * batches and each stream's checkpoint data are restored; the scheduler then re-runs the checkpointed, pending and
 * missed batches before new ones. Without a checkpoint, `create()`'s context is returned as it is.
 */
export function getOrCreate(checkpointPath: string, create: () => StreamingContext, options: GetOrCreateOptions = {}): StreamingContext {
  const found = readCheckpoint(checkpointPath, options.createOnError ?? false);
  if (!found) return create();
  const ssc = create();
  try {
    restoreFromCheckpoint(ssc, found.checkpoint, path.resolve(checkpointPath));
  } catch (e) {
    // The context create() built must not outlive the failed recovery (it holds the process's SparkContext).
    void ssc.stop(true);
    throw e;
  }
  log.info({ file: found.file, checkpointTime: found.checkpoint.checkpointTimeMs }, `Recovered from checkpoint ${found.file}`);
  return ssc;
}

/** Restores a freshly created (not started) context from a checkpoint record. */
export function restoreFromCheckpoint(ssc: StreamingContext, cp: CheckpointRecord, checkpointDir: string): void {
  if (ssc.getState() !== 'INITIALIZED') throw new IllegalStateException('A context can only be restored from a checkpoint before it starts');
  const graph = ssc.graph;
  if (graph.batchDuration!.milliseconds !== cp.batchDurationMs) {
    throw new CheckpointGraphMismatchError(checkpointDir, `the batch duration is ${graph.batchDuration}, the checkpoint's is ${cp.batchDurationMs} ms`);
  }
  const diff = firstDifference(cp.graph, graphFingerprint(graph));
  if (diff) throw new CheckpointGraphMismatchError(checkpointDir, diff);
  for (const s of graph.inputStreams) {
    if (s instanceof QueueInputDStream) {
      throw new SparkException(`Failed to recover from checkpoint directory ${checkpointDir}`, {
        cause: new SparkException("queueStream doesn't support checkpointing. Please don't use queueStream when checkpointing is enabled."),
      });
    }
  }
  if (ssc.checkpointDir === undefined) ssc.checkpoint(checkpointDir);
  const zero = new Time(cp.zeroTimeMs);
  graph.zeroTime = zero;
  graph.startTime = new Time(cp.startTimeMs);
  for (const o of graph.outputStreams) o.initialize(zero);
  for (const o of graph.outputStreams) o.remember(graph.rememberDuration);
  for (const o of graph.outputStreams) o.validateAtStart();
  for (const d of graph.allStreams()) {
    const data = cp.streams[String(d.seq)];
    if (data !== undefined) (d as unknown as HasCheckpointData).checkpointData = data;
  }
  const stateRestore = restoreStateStreams(ssc);
  graph.restoreCheckpointData();
  if (cp.checkpointDurationMs !== undefined) ssc.checkpointDuration = new Duration(cp.checkpointDurationMs);
  ssc.restoredCheckpoint = {
    checkpointTime: new Time(cp.checkpointTimeMs),
    pendingTimes: cp.pendingTimesMs.map((t) => new Time(t)),
    stateRestore,
  };
}

/** Spark's `getActiveOrCreate`: the active context, else `getOrCreate` (or `create()` without a path). */
export function getActiveOrCreate(
  checkpointPathOrCreate: string | (() => StreamingContext),
  create?: () => StreamingContext,
  options?: GetOrCreateOptions,
  active?: StreamingContext,
): StreamingContext {
  if (active) return active;
  if (typeof checkpointPathOrCreate === 'function') return checkpointPathOrCreate();
  return getOrCreate(checkpointPathOrCreate, create!, options);
}
