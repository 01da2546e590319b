import { IllegalArgumentException } from '../lib/core/errors';
import type { SparkConf } from '../lib/core/SparkConf';
import { StreamingConf } from '../lib/core/StreamingConf';

/** When `write()` resolves: after a group commit's fdatasync, after a per-record fdatasync, or after the write. */
export type WalSyncPolicy = 'group' | 'record' | 'none';

export interface FileBasedWriteAheadLogOptions {
  /** Span of record time covered by one segment (Spark's `...writeAheadLog.rollingIntervalSecs`, default 60). */
  readonly rollingIntervalSecs: number;
  /** Attempts per write before it fails (Spark's `...writeAheadLog.maxFailures`, default 3). */
  readonly maxFailures: number;
  /** One segment per record (Spark's `...writeAheadLog.closeFileAfterWrite`, for stores without append). */
  readonly closeFileAfterWrite: boolean;
  /** `dstreams.wal.sync`, default `group`. */
  readonly sync: WalSyncPolicy;
  /** A commit holds records until their bytes reach this (`dstreams.wal.groupCommit.bytes`); it also ends a linger. */
  readonly groupCommitBytes: number;
  /**
   * How long an idle log lingers for more records before committing (`dstreams.wal.groupCommit.delay`); 0 commits
   * at the end of the current event-loop turn. Records arriving during a commit always go in the next one.
   */
  readonly groupCommitDelayMs: number;
  /** Skip (and report) corrupt frames in the middle of a segment instead of failing (`dstreams.wal.skipCorruptRecords`). */
  readonly skipCorruptRecords: boolean;
}

export const DEFAULT_WAL_OPTIONS: FileBasedWriteAheadLogOptions = {
  rollingIntervalSecs: 60,
  maxFailures: 3,
  closeFileAfterWrite: false,
  sync: 'group',
  groupCommitBytes: 1024 * 1024,
  groupCommitDelayMs: 0,
  skipCorruptRecords: false,
};

/** The options a driver (`isDriver`) or receiver log takes from the configuration (Spark's keys, ours for syncing). */
export function walOptionsFromConf(conf: SparkConf, isDriver: boolean): FileBasedWriteAheadLogOptions {
  return {
    rollingIntervalSecs: (isDriver ? StreamingConf.DRIVER_WAL_ROLLING_INTERVAL_SECS : StreamingConf.RECEIVER_WAL_ROLLING_INTERVAL_SECS).read(conf),
    maxFailures: (isDriver ? StreamingConf.DRIVER_WAL_MAX_FAILURES : StreamingConf.RECEIVER_WAL_MAX_FAILURES).read(conf),
    closeFileAfterWrite: (isDriver ? StreamingConf.DRIVER_WAL_CLOSE_AFTER_WRITE : StreamingConf.RECEIVER_WAL_CLOSE_AFTER_WRITE).read(conf),
    sync: StreamingConf.WAL_SYNC.read(conf),
    groupCommitBytes: StreamingConf.WAL_GROUP_COMMIT_BYTES.read(conf),
    groupCommitDelayMs: StreamingConf.WAL_GROUP_COMMIT_DELAY.read(conf),
    skipCorruptRecords: StreamingConf.WAL_SKIP_CORRUPT.read(conf),
  };
}

/** Checks option values, naming the bad one. */
export function checkOptions(o: FileBasedWriteAheadLogOptions): FileBasedWriteAheadLogOptions {
  const bad = (what: string, v: unknown): never => {
    throw new IllegalArgumentException(`FileBasedWriteAheadLog option ${what} is invalid: ${String(v)}`);
  };
  if (!(o.rollingIntervalSecs > 0)) bad('rollingIntervalSecs (must be > 0)', o.rollingIntervalSecs);
  if (!Number.isInteger(o.maxFailures) || o.maxFailures < 1) bad('maxFailures (must be an integer >= 1)', o.maxFailures);
  if (!(o.groupCommitBytes > 0)) bad('groupCommitBytes (must be > 0)', o.groupCommitBytes);
  if (!(o.groupCommitDelayMs >= 0)) bad('groupCommitDelayMs (must be >= 0)', o.groupCommitDelayMs);
  if (o.sync !== 'group' && o.sync !== 'record' && o.sync !== 'none') bad("sync (must be 'group', 'record' or 'none')", o.sync);
  return o;
}
