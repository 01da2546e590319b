import type { Clock } from './Clock';

/** Wall-clock time: Spark's `SystemClock`. */
export class SystemClock implements Clock {
  getTimeMillis(): number {
    return Date.now();
  }

  waitTillTime(targetTime: number): Promise<number> {
    return new Promise((resolve) => {
      const check = (): void => {
        const now = Date.now();
        if (now >= targetTime) resolve(now);
        // setTimeout may fire a millisecond early; loop until the target is really reached.
        else setTimeout(check, Math.max(1, targetTime - now));
      };
      check();
    });
  }
}
