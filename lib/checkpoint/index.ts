/**
 * Metadata checkpoints and recovery. Importing this module installs `StreamingContext.getOrCreate`,
 * `getActiveOrCreate` and the checkpoint writer used once `ssc.checkpoint(dir)` is set.
 */
import { StreamingContext } from '../streaming/StreamingContext';
import { CheckpointWriter } from './CheckpointWriter';
import { getActiveOrCreate, getOrCreate, type GetOrCreateOptions } from './Recovery';

declare module '../streaming/StreamingContext' {
  // Namespace merging adds static members to the class.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace StreamingContext {
    /** Spark's `StreamingContext.getOrCreate(checkpointPath, creatingFunc, createOnError)`. */
    function getOrCreate(checkpointPath: string, create: () => StreamingContext, options?: GetOrCreateOptions): StreamingContext;
    /** Spark's `getActiveOrCreate(creatingFunc)` and `getActiveOrCreate(checkpointPath, creatingFunc)`. */
    function getActiveOrCreate(create: () => StreamingContext): StreamingContext;
    function getActiveOrCreate(checkpointPath: string, create: () => StreamingContext, options?: GetOrCreateOptions): StreamingContext;
  }
}

StreamingContext.checkpointHookFactory = (ssc) => new CheckpointWriter(ssc);
StreamingContext.getOrCreate = getOrCreate;
StreamingContext.getActiveOrCreate = ((a: string | (() => StreamingContext), b?: () => StreamingContext, c?: GetOrCreateOptions) =>
  getActiveOrCreate(a, b, c, StreamingContext.getActive())) as typeof StreamingContext.getActiveOrCreate;

export { CheckpointWriter, MAX_CHECKPOINT_FILES, type CheckpointWriteTiming } from './CheckpointWriter';
export type { StateCheckpointTiming, StateRestoreTiming } from './StateCheckpointer';
export { readCheckpoint, type CheckpointReadResult } from './CheckpointReader';
export { type CheckpointRecord, buildCheckpoint, validateCheckpoint, type HasCheckpointData } from './Checkpoint';
export { CorruptCheckpointError, getCheckpointFiles, encodeCheckpoint, decodeCheckpoint, checkpointFileName } from './CheckpointFile';
export { CheckpointPathError, resolveCheckpointDir } from './CheckpointPath';
export { graphFingerprint, firstDifference, type FingerprintNode } from './GraphFingerprint';
export { CheckpointGraphMismatchError, restoreFromCheckpoint, type GetOrCreateOptions } from './Recovery';
export { inspectCheckpointDir, type InspectReport, type CheckpointFileReport, type LogFolderReport, CheckpointDirNotFoundError } from './CheckpointDirReport';
