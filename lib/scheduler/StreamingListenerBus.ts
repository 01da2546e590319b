import { getLogger } from '../core/logging';
import type { StreamingListener, StreamingListenerEventName } from './StreamingListener';

const log = getLogger('StreamingListenerBus');

interface Posted {
  name: StreamingListenerEventName;
  event: unknown;
}

/**
 * Delivers events to listeners asynchronously and in order: Spark's `StreamingListenerBus` on the live listener
 * bus. A listener that throws is logged, never removed and never stops the context. After `stop()` nothing is
 * delivered.
 */
export class StreamingListenerBus {
  private readonly listeners: StreamingListener[] = [];
  private readonly queue: Posted[] = [];
  private scheduled = false;
  private stopped = false;
  private idle: Array<() => void> = [];
  private delivering: StreamingListener | undefined;

  addListener(l: StreamingListener): void {
    this.listeners.push(l);
  }

  removeListener(l: StreamingListener): void {
    const i = this.listeners.indexOf(l);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  /** Whether the caller runs inside a listener callback (Spark forbids `ssc.stop` there). */
  get inListenerCallback(): boolean {
    return this.delivering !== undefined;
  }

  post<N extends StreamingListenerEventName>(name: N, event: Parameters<NonNullable<StreamingListener[N]>>[0]): void {
    if (this.stopped) return;
    this.queue.push({ name, event });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Resolves once every posted event has been delivered. */
  waitUntilEmpty(): Promise<void> {
    if (!this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.flushIdle();
  }

  private drain(): void {
    this.scheduled = false;
    while (this.queue.length > 0 && !this.stopped) {
      const { name, event } = this.queue.shift() as Posted;
      for (const l of [...this.listeners]) {
        const f = l[name] as ((e: unknown) => void) | undefined;
        if (!f) continue;
        this.delivering = l;
        try {
          f.call(l, event);
        } catch (e) {
          log.error({ err: e, event: name }, `Listener ${l.constructor?.name ?? 'listener'} threw an exception`);
        } finally {
          this.delivering = undefined;
        }
      }
    }
    this.flushIdle();
  }

  private flushIdle(): void {
    if (this.queue.length > 0 && !this.stopped) return;
    const ws = this.idle;
    this.idle = [];
    for (const w of ws) w();
  }
}
