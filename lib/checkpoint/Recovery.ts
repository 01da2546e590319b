import { Duration } from '../core/Duration';
import { DStreamsError, IllegalStateException, SparkException } from '../core/errors';
import { getLogger } from '../core/logging';
import { Time } from '../core/Time';
import { QueueInputDStream } from '../streaming/dstream/QueueInputDStream';
import type { StreamingContext } from '../streaming/StreamingContext';
import { type CheckpointRecord, type HasCheckpointData } from './Checkpoint';
import { getCheckpointFiles } from './CheckpointFile';
import { resolveCheckpointDir } from './CheckpointPath';
import { type CheckpointReadResult, readCheckpoint } from './CheckpointReader';
import { type MetadataLogProbe, metadataLogProbes } from './MetadataLogProbe';
import { oldestInputBatchNeeded } from './RecoveryChain';
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
  const dir = resolveCheckpointDir(checkpointPath);
  if (getCheckpointFiles(dir).length === 0) return create();
  const ssc = create();
  try {
    const usable = usableCheckpoints(ssc, dir);
    let found: CheckpointReadResult | undefined;
    try {
      found = readCheckpoint(dir, options.createOnError ?? false, usable?.check);
    } finally {
      usable?.close();
    }
    // createOnError and no valid checkpoint: the new context create() built.
    if (!found) return ssc;
    restoreFromCheckpoint(ssc, found.checkpoint, dir, found.file);
    log.info({ file: found.file, checkpointTime: found.checkpoint.checkpointTimeMs }, `Recovered from checkpoint ${found.file}`);
    return ssc;
  } catch (e) {
    // The context create() built must not outlive the failed recovery (it holds the process's SparkContext).
    void ssc.stop(true);
    throw e;
  }
}

/**
 * Which valid checkpoint files a recovery of `ssc`'s graph can use: those for which the received-block metadata log
 * still has every batch the recovery needs (see oldestInputBatchNeeded): one the log has cleaned batches of (the log
 * is ahead of it) is passed over for an older one. The newest checkpoint is not always the one needing the fewest
 * old batches: one written when a batch was generated holds the state of the last data checkpoint completed then,
 * which can be older than that of the checkpoint before it. Without receiver streams, all are.
 */
function usableCheckpoints(ssc: StreamingContext, dir: string): { check: (cp: CheckpointRecord) => string | undefined; close: () => void } | undefined {
  const open = metadataLogProbes.open;
  if (ssc.graph.getReceiverInputStreams().length === 0 || !open) return undefined;
  let probe: MetadataLogProbe | undefined;
  return {
    check: (cp) => {
      probe ??= open(ssc, dir);
      const lost = probe.lostBatches([cp.checkpointTimeMs, ...cp.pendingTimesMs], oldestInputBatchNeeded(ssc.graph, cp));
      // A log that lost its tail is behind every checkpoint: an older one would re-run the batches after the log's
      // end with other blocks than they had. The recovery refuses (the ReceiverTracker says why).
      if (!lost || lost.reason === 'tail-lost') return undefined;
      const times = lost.batchTimesMs.map((t) => `${t} ms`).join(', ');
      return `the received-block metadata log lacks the block allocation of batch${lost.batchTimesMs.length > 1 ? 'es' : ''} ${times} (${lost.reason}), which a recovery from it needs`;
    },
    close: () => probe?.close(),
  };
}

/** Restores a freshly created (not started) context from a checkpoint record (read from `file`, if given). */
export function restoreFromCheckpoint(ssc: StreamingContext, cp: CheckpointRecord, checkpointDir: string, file?: string): void {
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
    ...(file !== undefined ? { file } : {}),
    inputFromMs: oldestInputBatchNeeded(graph, cp),
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
