/**
 * Helpers shared by the examples: Spark's `StreamingExamples.scala` (which quiets the log) plus the two knobs the
 * examples' tests and classes use.
 *
 * - Logs already default to `warn` on stderr (`DSTREAMS_LOG_LEVEL`), which is what Spark's
 *   `setStreamingLogLevels()` arranges; so there is nothing to set.
 * - `DSTREAMS_BATCH_MS` replaces an example's batch duration (and the durations derived from it, such as window
 *   lengths, keep their number of batches), so a test or a demo can run 200 ms batches instead of 1 s ones.
 * - The master is `local[2]` unless `DSTREAMS_CONF="spark.master=..."` says otherwise, as spark-submit would.
 */
import { Duration, Milliseconds, SparkConf } from 'dstreams';

/** The example's batch duration, or `DSTREAMS_BATCH_MS` milliseconds when set. */
export function batchDuration(original: Duration): Duration {
  const env = process.env.DSTREAMS_BATCH_MS;
  if (env === undefined || env === '') return original;
  const ms = Number(env);
  if (!Number.isInteger(ms) || ms <= 0) {
    console.error(`DSTREAMS_BATCH_MS must be a positive whole number of milliseconds, got "${env}"`);
    process.exit(1);
  }
  return Milliseconds(ms);
}

/**
 * A duration that was `original` for a batch of `originalBatch`, scaled to the batch in use (so a 30 s window over
 * 1 s batches stays 30 batches when `DSTREAMS_BATCH_MS` shortens the batch).
 */
export function scaled(original: Duration, originalBatch: Duration): Duration {
  const batch = batchDuration(originalBatch);
  return Milliseconds((original.milliseconds / originalBatch.milliseconds) * batch.milliseconds);
}

/** `new SparkConf().setAppName(name)` with the master defaulting to `local[2]` (spark-submit's job in Spark). */
export function exampleConf(appName: string): SparkConf {
  return new SparkConf().setAppName(appName).setIfMissing('spark.master', 'local[2]');
}

/**
 * {@link exampleConf} for a port of a PySpark example: `dstreams.api.flavor = python`, so its results are PySpark's
 * (partitions by `portable_hash`, keys in PySpark's order, PySpark's window operators), as its `pprint()` text is.
 */
export function pythonExampleConf(appName: string): SparkConf {
  return exampleConf(appName).set('dstreams.api.flavor', 'python');
}

/** Runs an example's async main, printing an error and exiting with 1 if it fails (as an uncaught JVM exception). */
export function runMain(main: (args: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
