import { Duration } from './Duration';

/** A point in time in milliseconds (a batch time): Spark's `org.apache.spark.streaming.Time`. Immutable. */
export class Time {
  declare private readonly timeBrand: void;

  constructor(readonly milliseconds: number) {
    if (!Number.isFinite(milliseconds) || !Number.isInteger(milliseconds)) {
      throw new RangeError(`Time must be a whole number of milliseconds, got ${milliseconds}`);
    }
  }

  less(that: Time): boolean { return this.milliseconds < that.milliseconds; }
  lessEq(that: Time): boolean { return this.milliseconds <= that.milliseconds; }
  greater(that: Time): boolean { return this.milliseconds > that.milliseconds; }
  greaterEq(that: Time): boolean { return this.milliseconds >= that.milliseconds; }
  equals(that: Time): boolean { return this.milliseconds === that.milliseconds; }
  compare(that: Time): number { return this.milliseconds - that.milliseconds; }

  plus(d: Duration): Time { return new Time(this.milliseconds + d.milliseconds); }
  /** `Time - Time = Duration`, `Time - Duration = Time`, as Spark's overloads. */
  minus(that: Time): Duration;
  minus(that: Duration): Time;
  minus(that: Time | Duration): Time | Duration {
    if (that instanceof Time) return new Duration(this.milliseconds - that.milliseconds);
    return new Time(this.milliseconds - that.milliseconds);
  }

  /** `(ms / d) * d` with integer division; with `zeroTime`: `((ms - zero) / d) * d + zero`. */
  floor(d: Duration, zeroTime?: Time): Time {
    const zero = zeroTime?.milliseconds ?? 0;
    const t = this.milliseconds - zero;
    return new Time(Math.floor(t / d.milliseconds) * d.milliseconds + zero);
  }

  isMultipleOf(d: Duration): boolean { return this.milliseconds % d.milliseconds === 0; }
  min(that: Time): Time { return this.less(that) ? this : that; }
  max(that: Time): Time { return this.greater(that) ? this : that; }

  /** Times from this (inclusive) to `end` (exclusive) by `step`. */
  until(end: Time, step: Duration): Time[] {
    const out: Time[] = [];
    for (let t = this.milliseconds; t < end.milliseconds; t += step.milliseconds) out.push(new Time(t));
    return out;
  }

  /** Times from this to `end`, both inclusive, by `step`. */
  to(end: Time, step: Duration): Time[] {
    const out: Time[] = [];
    for (let t = this.milliseconds; t <= end.milliseconds; t += step.milliseconds) out.push(new Time(t));
    return out;
  }

  toString(): string { return `${this.milliseconds} ms`; }
  toJSON(): number { return this.milliseconds; }

  /** Ordering by milliseconds, for `Array.prototype.sort`. */
  static ordering(a: Time, b: Time): number { return a.milliseconds - b.milliseconds; }
}
