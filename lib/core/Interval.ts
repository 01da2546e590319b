import { Duration } from './Duration';
import { Time } from './Time';
import { IllegalArgumentException } from './errors';

/** `[beginTime, endTime]`: Spark's (private) `Interval`, used by windows and `slice`. */
export class Interval {
  constructor(readonly beginTime: Time, readonly endTime: Time) {}

  duration(): Duration { return this.endTime.minus(this.beginTime); }
  plus(d: Duration): Interval { return new Interval(this.beginTime.plus(d), this.endTime.plus(d)); }
  minus(d: Duration): Interval { return new Interval(this.beginTime.minus(d), this.endTime.minus(d)); }

  less(that: Interval): boolean {
    if (!this.duration().equals(that.duration())) {
      throw new IllegalArgumentException(`Comparing two intervals with different durations [${this}, ${that}]`);
    }
    return this.endTime.less(that.endTime);
  }

  toString(): string { return `[${this.beginTime}, ${this.endTime}]`; }

  static currentInterval(d: Duration, nowMs = Date.now()): Interval {
    const begin = new Time(nowMs).floor(d);
    return new Interval(begin, begin.plus(d));
  }
}
