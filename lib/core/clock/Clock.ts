/** A source of time: Spark's `org.apache.spark.util.Clock`. */
export interface Clock {
  /** Current time in milliseconds. */
  getTimeMillis(): number;
  /**
   * Resolves with the clock's time once it is at least `targetTime`. An aborted wait resolves at once with the
   * current time (so a stopped timer leaves no pending timeout behind).
   */
  waitTillTime(targetTime: number, signal?: AbortSignal): Promise<number>;
}
