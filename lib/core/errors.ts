/**
 * Error classes. Each carries its context in fields (not only in the message), and the names follow the
 * Java/Spark exception a Spark user would see, so a ported test that checks the class or the message still reads
 * the same.
 */

/** Base class of every error dstreams throws. */
export class DStreamsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Spark's `SparkException`: a failure of the engine (a job, a task, a checkpoint read, ...). */
export class SparkException extends DStreamsError {}

/** Java's `IllegalArgumentException`; Spark's `require(...)` failures use the `requirement failed: ` prefix. */
export class IllegalArgumentException extends DStreamsError {}

/** Java's `IllegalStateException`. */
export class IllegalStateException extends DStreamsError {}

/** Java's `UnsupportedOperationException`. */
export class UnsupportedOperationException extends DStreamsError {}

/** Java's `NoSuchElementException`. */
export class NoSuchElementException extends DStreamsError {}

/** A configuration value that cannot be parsed: names the key and the value. */
export class ConfigurationError extends IllegalArgumentException {
  constructor(
    readonly key: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`Invalid value '${value}' for configuration key '${key}': expected ${expected}`);
  }
}

/**
 * An entry of a `key=value` configuration list (the `DSTREAMS_CONF` environment variable) that is not `key=value`,
 * as spark-submit's "Invalid argument to --conf: x". Names the source and the entry.
 */
export class MalformedConfEntryError extends IllegalArgumentException {
  constructor(
    readonly source: string,
    readonly entry: string,
  ) {
    super(`Invalid entry in ${source}: '${entry}' is not key=value`);
  }
}

/** Spark's `require(cond, msg)`: throws `IllegalArgumentException("requirement failed: msg")`. */
export function requireThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new IllegalArgumentException(`requirement failed: ${message}`);
}

/** The message of an unknown thrown value, for logs and wrapped errors. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** `Exception.toString` + stack, as Spark's failure reasons carry it. */
export function errorString(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}
