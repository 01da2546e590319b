import { SparkException } from '../lib/core/errors';
import type { StreamId } from '../lib/storage/StreamId';

/** A text line longer than `dstreams.receiver.maxLineBytes`: the line is dropped and reported, receiving goes on. */
export class LineTooLongException extends SparkException {
  constructor(
    readonly streamId: StreamId,
    readonly source: string,
    readonly limitBytes: number,
    readonly lineBytes: number,
  ) {
    super(
      `Stream ${streamId} (${source}): a line of at least ${lineBytes} bytes is longer than the limit of ${limitBytes} bytes ` +
        `(dstreams.receiver.maxLineBytes); the line was dropped`,
    );
  }
}

/** A length-prefixed frame that is too large or not a serialized block (rawSocketStream). */
export class BadFrameException extends SparkException {
  constructor(
    readonly streamId: StreamId,
    readonly source: string,
    readonly reason: string,
    /** Offset in the connection's byte stream where the frame (its length prefix) starts. */
    readonly offset?: number,
  ) {
    super(`Stream ${streamId} (${source}): bad frame${offset === undefined ? '' : ` at offset ${offset}`}: ${reason}`);
  }
}

/** Why a batch's allocation is missing from a replayed metadata log (see {@link MetadataLogIncompleteException}). */
export type MissingAllocationReason =
  /** The log ends before the allocation: its tail was lost (a segment truncated or deleted). */
  | 'tail-lost'
  /** The log cleaned the allocation after later batches: it is newer than the checkpoint recovered from. */
  | 'cleaned'
  /** The allocation is older than the oldest batch left in the log (its older segments were deleted). */
  | 'before-log';

/**
 * The received-block metadata log lacks the block allocation of a batch that a recovery needs with the blocks it
 * had: a batch the checkpoint re-runs (its own batch, its pending batches: their allocations were logged before the
 * checkpoint was written), or a batch the state or window of a re-run batch is computed from (after a fallback to
 * an older checkpoint file, the log may have cleaned those since). Running such a batch with other blocks, or as an
 * empty batch, would give wrong results, so recovery stops. Names the checkpoint, the batches and where the log ends.
 */
export class MetadataLogIncompleteException extends SparkException {
  /** The log itself cleaned those allocations: it is ahead of the checkpoint (a newer checkpoint was unreadable?). */
  readonly cleanedByLog: boolean;

  constructor(
    readonly logDirectory: string,
    readonly missingBatchTimesMs: readonly number[],
    /** The newest segment left, and its size: where the replayed log ends. */
    readonly segment: string | undefined,
    readonly offset: number,
    readonly lastAllocatedBatchTimeMs: number | undefined,
    readonly reason: MissingAllocationReason,
    /** The checkpoint file recovered from, when known. */
    readonly checkpointFile: string | undefined,
    /** Whether the batches are re-run themselves, or only computed from (by a re-run batch's state or window). */
    readonly neededFor: 'rerun' | 'state' = 'rerun',
    /** The oldest batch the log still has an allocation or cleanup of (for `before-log`). */
    readonly oldestLoggedBatchMs?: number,
  ) {
    const times = `${missingBatchTimesMs.map((t) => `${t} ms`).join(', ')}`;
    const checkpoint = checkpointFile === undefined ? 'the checkpoint' : `checkpoint ${checkpointFile}`;
    const end =
      `the log ends at offset ${offset} of segment ${segment ?? '(none: the folder has no segment)'}` +
      (lastAllocatedBatchTimeMs === undefined ? ' with no allocation at all' : `, after the allocation of batch ${lastAllocatedBatchTimeMs} ms`);
    const why =
      reason === 'cleaned'
        ? `the log cleaned ${missingBatchTimesMs.length > 1 ? 'them' : 'it'} after later batches (${end}), so it is newer than the checkpoint recovered from (was a newer checkpoint file unreadable?). `
        : reason === 'before-log'
          ? `the oldest batch the log still names is ${oldestLoggedBatchMs ?? '(none)'} ms (its older segments were deleted; ${end}). `
          : `${end}, so its tail was lost (truncated or deleted). `;
    super(
      `The received-block metadata log ${logDirectory} has no block allocation for batch${missingBatchTimesMs.length > 1 ? 'es' : ''} ${times}, ` +
        (neededFor === 'rerun' ? `which the recovery from ${checkpoint} re-runs: ` : `which the recovery from ${checkpoint} computes the state or window of a re-run batch from: `) +
        why +
        (neededFor === 'rerun'
          ? `Recovering would give ${missingBatchTimesMs.length > 1 ? 'those batches' : 'that batch'} other blocks than ${missingBatchTimesMs.length > 1 ? 'they' : 'it'} had. `
          : `Recovering would count ${missingBatchTimesMs.length > 1 ? 'those batches' : 'that batch'} as empty (wrong results). `) +
        'Restore the newer checkpoint files or the log, or start from a new checkpoint directory.',
    );
    this.cleanedByLog = reason === 'cleaned';
  }
}
