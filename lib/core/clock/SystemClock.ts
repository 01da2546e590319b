import type { Clock } from './Clock';

/** Wall-clock time: Spark's `SystemClock`. */
export class SystemClock implements Clock {
  getTimeMillis(): number {
    return Date.now();
  }

  waitTillTime(targetTime: number, signal?: AbortSignal): Promise<number> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        if (timer) clearTimeout(timer);
        resolve(Date.now());
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const check = (): void => {
        const now = Date.now();
        if (now >= targetTime) {
          signal?.removeEventListener('abort', onAbort);
          resolve(now);
        } else {
          // setTimeout may fire a millisecond early; loop until the target is really reached.
          timer = setTimeout(check, Math.max(1, targetTime - now));
        }
      };
      check();
    });
  }
}
