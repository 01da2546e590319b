import { SparkException } from '../lib/core/errors';

/** A frame in the middle of a segment that fails its checks (CRC, length); names the segment and the offset. */
export class WriteAheadLogCorruptionError extends SparkException {
  constructor(
    readonly segment: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `Corrupt write-ahead log record in segment ${segment} at offset ${offset}: ${reason}. ` +
        `Records after it are intact; set dstreams.wal.skipCorruptRecords=true to skip the bad record.`,
    );
  }
}

/** A file in the log directory that is not a readable segment (bad magic, unknown format version). */
export class WriteAheadLogSegmentError extends SparkException {
  constructor(
    readonly segment: string,
    readonly reason: string,
  ) {
    super(`Write-ahead log segment ${segment} is unreadable: ${reason}`);
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
