import { Deferred } from '../core/Deferred';

/** Lets callers wait for the context to stop or fail: Spark's `ContextWaiter`. The error wins over the stop. */
export class ContextWaiter {
  private error: unknown;
  private hasError = false;
  private stopped = false;
  private waiters: Deferred<boolean>[] = [];
  private readonly errorListeners = new Set<(e: unknown) => void>();

  notifyError(e: unknown): void {
    if (!this.hasError) {
      this.error = e;
      this.hasError = true;
    }
    for (const l of this.errorListeners) l(e);
    this.wake();
  }

  /** Calls `fn` with every error reported from now on (what `step()` rejects with); returns the unsubscriber. */
  onError(fn: (e: unknown) => void): () => void {
    this.errorListeners.add(fn);
    return () => void this.errorListeners.delete(fn);
  }

  notifyStop(): void {
    this.stopped = true;
    this.wake();
  }

  /** Resolves `true` when stopped, `false` on timeout; rejects with the reported error. */
  waitForStopOrError(timeoutMs?: number): Promise<boolean> {
    if (this.hasError) return Promise.reject(this.error);
    if (this.stopped) return Promise.resolve(true);
    const d = new Deferred<boolean>();
    this.waiters.push(d);
    if (timeoutMs !== undefined && timeoutMs >= 0) {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== d);
        d.resolve(false);
      }, timeoutMs);
      void d.promise.finally(() => clearTimeout(t)).catch(() => undefined);
    }
    return d.promise;
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) {
      if (this.hasError) w.reject(this.error);
      else w.resolve(true);
    }
  }
}
