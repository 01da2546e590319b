/**
 * Helpers shared by the examples: Spark's `StreamingExamples.scala` (which quiets the log) plus the two knobs the
 * examples' tests and classes use.
 *
 * - Logs already default to `warn` on stderr (`DSTREAMS_LOG_LEVEL`), which is what Spark's
 *   `setStreamingLogLevels()` arranges; so there is nothing to set.
 * - `DSTREAMS_BATCH_MS` replaces an example's batch duration (and the durations derived from it, such as window
 *   lengths, keep their number of batches), so a test or a demo can run 200 ms batches instead of 1 s ones.
 * - The master is `local[2]` unless `DSTREAMS_CONF="spark.master=..."` says otherwise, as spark-submit would.
 * - A missing or malformed argument, and an error that ends an example (a configuration value, a port in use), are
 *   one line plus a hint on stderr ({@link ExampleArgs}, {@link runMain}); `DSTREAMS_LOG_LEVEL=debug` adds the stack.
 */
import { Duration, fatalErrorText, Milliseconds, SparkConf } from 'dstreams';

/** Writes `line` and `  hint: hint` on stderr and exits with `code`. */
export function exitWith(line: string, hint: string, code = 1): never {
  process.stderr.write(`${line}\n  hint: ${hint}\n`);
  process.exit(code);
}

/** The example's batch duration, or `DSTREAMS_BATCH_MS` milliseconds when set. */
export function batchDuration(original: Duration): Duration {
  const env = process.env.DSTREAMS_BATCH_MS;
  if (env === undefined || env === '') return original;
  const ms = Number(env);
  if (!Number.isInteger(ms) || ms <= 0) exitWith(`DSTREAMS_BATCH_MS must be a positive whole number of milliseconds, got '${env}'`, 'e.g. DSTREAMS_BATCH_MS=200, or unset it for the example\'s own batch');
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

/**
 * Runs an example's async main; if it fails, prints the error (one line plus a hint for a configuration error, a
 * port in use or any dstreams error; the stack trace for anything else) and exits with 1, as an uncaught JVM
 * exception ends a Spark example.
 */
export function runMain(main: (args: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch(exitOnError);
}

/** Prints an error that ends the example as {@link runMain} does, and exits with 1 (e.g. a server's `error` event). */
export function exitOnError(e: unknown): never {
  process.stderr.write(fatalErrorText(e));
  process.exit(1);
}

/**
 * An example's command line, checked as Spark's examples check theirs (`if (args.length < 2) { System.err.println(
 * "Usage: ..."); System.exit(1) }`), plus a hint: how to run it. A malformed number is one line naming the argument
 * (where Spark's `args(1).toInt` throws a NumberFormatException).
 */
export class ExampleArgs {
  /**
   * @param usage Spark's usage line, e.g. `Usage: NetworkWordCount <hostname> <port>`.
   * @param hint How to run the example, e.g. the `dstreams nc` command to start first.
   * @param exitCode 1 as Scala's `System.exit(1)`, 255 for the PySpark ports' `sys.exit(-1)`.
   */
  constructor(
    readonly args: readonly string[],
    readonly usage: string,
    readonly hint: string,
    readonly exitCode = 1,
  ) {}

  /** Exits with the usage unless the number of arguments is one of `counts` (or, with one count, at least it). */
  expect(...counts: number[]): this {
    const ok = counts.length === 1 ? this.args.length >= counts[0] : counts.includes(this.args.length);
    if (!ok) exitWith(this.usage, this.hint, this.exitCode);
    return this;
  }

  /** Argument `i` as a TCP port (`name` as the usage line calls it). */
  port(i: number, name = '<port>'): number {
    const n = Number(this.args[i]);
    if (!Number.isInteger(n) || n < 0 || n > 65535) this.malformed(i, name, 'a port number 0-65535');
    return n;
  }

  /** Argument `i` as a positive whole number. */
  positiveInt(i: number, name: string): number {
    const n = Number(this.args[i]);
    if (!Number.isInteger(n) || n <= 0) this.malformed(i, name, 'a positive whole number');
    return n;
  }

  private malformed(i: number, name: string, expected: string): never {
    return exitWith(`Invalid ${name} '${this.args[i]}': expected ${expected}`, `${this.usage}; ${this.hint}`, this.exitCode);
  }
}

/** The hint of an example that reads a socket: start `dstreams nc` first, then the example's command. */
export function socketHint(file: string, args = 'localhost 9999'): string {
  return `start a line server first (npx dstreams nc -lk 9999 in another terminal), then: npx dstreams run examples/${file} ${args}`;
}
