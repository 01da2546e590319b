/** A source of time: Spark's `org.apache.spark.util.Clock`. */
export interface Clock {
  /** Current time in milliseconds. */
  getTimeMillis(): number;
  /** Resolves with the clock's time once it is at least `targetTime`. */
  waitTillTime(targetTime: number): Promise<number>;
}
