import { ConfigurationError } from '../core/errors';
import { Duration } from '../core/Duration';
import type { SparkConf } from '../core/SparkConf';
import { StreamingConf } from '../core/StreamingConf';
import type { Job } from './Job';
import type { JobSet } from './JobSet';

/** Where a retried batch starts: its first failed output operation (`failed`) or its first one (`start`). */
export type BatchRetryFrom = 'failed' | 'start';

/**
 * How a failed batch is run again: the `dstreams.batch.*` keys. Spark has no batch-level retry (a failed job goes
 * to `awaitTermination` and its batch stays pending, reference §5.4); with `maxRetries` 0, the default, dstreams
 * does exactly that too.
 *
 * - `dstreams.batch.maxRetries`: retries after the first attempt (so at most `1 + maxRetries` attempts);
 * - `dstreams.batch.retryBackoff`: how long after the failed attempt ended a retry starts, on the context's clock
 *   (default one batch interval);
 * - `dstreams.batch.retryFrom`: `failed` re-runs the first failed output operation and those after it (earlier
 *   ones already wrote their output), `start` re-runs every output operation of the batch.
 */
export class BatchRetryPolicy {
  constructor(
    readonly maxRetries: number,
    readonly backoff: Duration,
    readonly retryFrom: BatchRetryFrom,
  ) {}

  /** Reads and checks the keys; the backoff defaults to `batchDuration`. */
  static fromConf(conf: SparkConf, batchDuration: Duration): BatchRetryPolicy {
    const maxRetries = StreamingConf.BATCH_MAX_RETRIES.read(conf);
    if (maxRetries < 0) throw new ConfigurationError(StreamingConf.BATCH_MAX_RETRIES.key, String(maxRetries), 'a number of retries >= 0');
    const backoffMs = StreamingConf.BATCH_RETRY_BACKOFF.read(conf) ?? batchDuration.milliseconds;
    if (backoffMs < 0) throw new ConfigurationError(StreamingConf.BATCH_RETRY_BACKOFF.key, `${backoffMs}ms`, 'a duration >= 0');
    return new BatchRetryPolicy(maxRetries, new Duration(backoffMs), StreamingConf.BATCH_RETRY_FROM.read(conf));
  }

  /** Whether batches are retried at all (anything but Spark's behaviour). */
  get enabled(): boolean {
    return this.maxRetries > 0;
  }

  /** Whether a batch that has been retried `retries` times gets another attempt. */
  canRetry(retries: number): boolean {
    return retries < this.maxRetries;
  }

  /**
   * The jobs a retry of `jobSet` runs, after an attempt in which some job failed: every job for `start`; for
   * `failed`, the first failed output operation, every one after it, and any earlier one that did not succeed.
   */
  jobsToRetry(jobSet: JobSet): Job[] {
    if (this.retryFrom === 'start') return [...jobSet.jobs];
    const firstFailed = Math.min(...jobSet.jobs.filter((j) => j.failed).map((j) => j.outputOpId));
    return jobSet.jobs.filter((j) => j.outputOpId >= firstFailed || !j.succeeded);
  }
}
