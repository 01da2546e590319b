/** A span of time in milliseconds: Spark's `org.apache.spark.streaming.Duration`. Immutable. */
export class Duration {
  declare private readonly durationBrand: void;

  constructor(readonly milliseconds: number) {
    if (!Number.isFinite(milliseconds) || !Number.isInteger(milliseconds)) {
      throw new RangeError(`Duration must be a whole number of milliseconds, got ${milliseconds}`);
    }
  }

  less(that: Duration): boolean { return this.milliseconds < that.milliseconds; }
  lessEq(that: Duration): boolean { return this.milliseconds <= that.milliseconds; }
  greater(that: Duration): boolean { return this.milliseconds > that.milliseconds; }
  greaterEq(that: Duration): boolean { return this.milliseconds >= that.milliseconds; }
  equals(that: Duration): boolean { return this.milliseconds === that.milliseconds; }

  plus(that: Duration): Duration { return new Duration(this.milliseconds + that.milliseconds); }
  minus(that: Duration): Duration { return new Duration(this.milliseconds - that.milliseconds); }
  times(n: number): Duration { return new Duration(this.milliseconds * n); }
  /** Spark's `Duration / Duration`: a Double (`1000 ms / 2000 ms = 0.5`). */
  div(that: Duration): number { return this.milliseconds / that.milliseconds; }

  /** `millis % that.millis == 0`. */
  isMultipleOf(that: Duration): boolean { return this.milliseconds % that.milliseconds === 0; }
  min(that: Duration): Duration { return this.less(that) ? this : that; }
  max(that: Duration): Duration { return this.greater(that) ? this : that; }
  isZero(): boolean { return this.milliseconds === 0; }

  /** Spark's `Utils.msDurationToString`: `"500 ms"`, `"1.5 s"`, `"2.0 m"`, `"1.25 h"`. */
  prettyPrint(): string {
    const ms = this.milliseconds;
    if (ms < 1000) return `${ms} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
    if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} m`;
    return `${(ms / 3_600_000).toFixed(2)} h`;
  }

  toString(): string { return `${this.milliseconds} ms`; }
  toFormattedString(): string { return `${this.milliseconds}`; }
  toJSON(): number { return this.milliseconds; }
}

/** Spark's `Milliseconds(n)`. */
export function Milliseconds(ms: number): Duration { return new Duration(ms); }
/** Spark's `Seconds(n)` (fractions allowed, as PySpark's float seconds: `Seconds(0.5)` = 500 ms). */
export function Seconds(s: number): Duration { return new Duration(Math.round(s * 1000)); }
/** Spark's `Minutes(n)`. */
export function Minutes(m: number): Duration { return new Duration(Math.round(m * 60_000)); }

/** Spark's Java helper `Durations`. */
export const Durations = {
  milliseconds: Milliseconds,
  seconds: Seconds,
  minutes: Minutes,
} as const;
