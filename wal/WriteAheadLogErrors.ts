import { SparkException } from '../lib/core/errors';

/**
 * A bad frame: in the middle of a segment, or at the end of a segment that is no longer being written (a crash cannot
 * tear it). Names the segment and the offset; `reason` says what failed and where the next intact frame is.
 */
export class WriteAheadLogCorruptionError extends SparkException {
  constructor(
    readonly segment: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `Corrupt write-ahead log record in segment ${segment} at offset ${offset}: ${reason}. ` +
        `Set dstreams.wal.skipCorruptRecords=true to skip the damaged bytes and read on (each skip is reported).`,
    );
  }
}

/** A file in the log directory whose header is not a readable segment header (zeroed, bad magic or CRC, unknown version). */
export class WriteAheadLogSegmentError extends SparkException {
  constructor(
    readonly segment: string,
    readonly offset: number,
    readonly reason: string,
    message = `Write-ahead log segment ${segment} is unreadable at offset ${offset}: ${reason}. ` +
      `Set dstreams.wal.skipCorruptRecords=true to read on (what is skipped is reported).`,
  ) {
    super(message);
  }
}

/**
 * Segments whose sequence numbers do not follow one another: one deleted from the middle of the log
 * (`missing-segment`), a copy (`duplicate-segment`) or a renamed one (`misordered-segment`). `segment` is where the
 * break is seen, `other` the segment it is seen against.
 */
export class WriteAheadLogSequenceError extends WriteAheadLogSegmentError {
  constructor(
    segment: string,
    readonly other: string,
    readonly kind: 'missing-segment' | 'duplicate-segment' | 'misordered-segment',
    reason: string,
  ) {
    super(segment, 0, reason, `Write-ahead log segments out of sequence: ${reason}. Set dstreams.wal.skipCorruptRecords=true to read on (reported as a warning).`);
  }
}

/** A record handle that cannot be read: segment missing (cleaned), offset past the end, length or CRC mismatch. */
export class WriteAheadLogReadError extends SparkException {
  constructor(
    readonly segment: string,
    readonly offset: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read write-ahead log record at offset ${offset} of segment ${segment}: ${reason}`, options);
  }
}

/** A write that failed `maxFailures` times; names the log directory and carries the last cause. */
export class WriteAheadLogWriteError extends SparkException {
  constructor(
    readonly directory: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(
      `Failed to write to the write-ahead log in ${directory} after ${attempts} attempt(s): ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
}
