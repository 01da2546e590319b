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
  ) {
    super(`Stream ${streamId} (${source}): bad frame: ${reason}`);
  }
}

/**
 * The received-block metadata log lacks the block allocation of a batch that a recovery must re-run with the blocks
 * it had (the checkpoint's batch, its pending batches): the log's tail was lost (a segment truncated or deleted),
 * since an allocation is logged before its batch's checkpoint is written. Re-allocating the queued blocks could give
 * the batch other blocks than it had, so recovery stops. Names where the log now ends.
 */
export class MetadataLogIncompleteException extends SparkException {
  constructor(
    readonly logDirectory: string,
    readonly missingBatchTimesMs: readonly number[],
    /** The newest segment left, and its size: where the replayed log ends. */
    readonly segment: string | undefined,
    readonly offset: number,
    readonly lastAllocatedBatchTimeMs: number | undefined,
    /** The log itself cleaned those allocations: it is ahead of the checkpoint (a newer checkpoint was unreadable?). */
    readonly cleanedByLog = false,
  ) {
    const times = `${missingBatchTimesMs.map((t) => `${t} ms`).join(', ')}`;
    const end =
      `the log ends at offset ${offset} of segment ${segment ?? '(none: the folder has no segment)'}` +
      (lastAllocatedBatchTimeMs === undefined ? ' with no allocation at all' : `, after the allocation of batch ${lastAllocatedBatchTimeMs} ms`);
    super(
      `The received-block metadata log ${logDirectory} has no block allocation for batch${missingBatchTimesMs.length > 1 ? 'es' : ''} ${times}, ` +
        'which the checkpoint re-runs: ' +
        (cleanedByLog
          ? `the log cleaned them after later batches (${end}), so it is newer than the checkpoint recovered from (was a newer checkpoint file unreadable?). `
          : `${end}, so its tail was lost (truncated or deleted). `) +
        'Recovering would give those batches other blocks than they had. Restore the log, or start from a new checkpoint directory.',
    );
  }
}
