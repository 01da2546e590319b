import type { Clock } from './Clock';

/**
 * A clock that moves only when told to: Spark's `ManualClock`. Used for teaching (`ssc.step()`) and for every
 * time-dependent test: waiters resolve when `setTime`/`advance` reach their target, never on wall time.
 */
export class ManualClock implements Clock {
  private time: number;
  private waiters: Array<{ target: number; resolve: (t: number) => void }> = [];

  constructor(time = 0) {
    this.time = time;
  }

  getTimeMillis(): number {
    return this.time;
  }

  setTime(timeToSet: number): void {
    this.time = timeToSet;
    this.wake();
  }

  advance(timeToAdd: number): void {
    this.time += timeToAdd;
    this.wake();
  }

  waitTillTime(targetTime: number, signal?: AbortSignal): Promise<number> {
    if (this.time >= targetTime || signal?.aborted) return Promise.resolve(this.time);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(this.time);
      };
      // The abort listener is removed when the wait ends normally, so long runs do not pile listeners up.
      const w = {
        target: targetTime,
        resolve: (t: number) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(t);
        },
      };
      this.waiters.push(w);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Number of callers waiting for a future time (useful to tests that need to know a timer is parked). */
  get waiterCount(): number {
    return this.waiters.length;
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.time >= w.target) w.resolve(this.time);
      else still.push(w);
    }
    this.waiters = still;
  }
}
