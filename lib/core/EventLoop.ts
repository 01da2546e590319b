import { getLogger } from './logging';

const log = getLogger('EventLoop');

/**
 * A queue of events handled one at a time, in order, by an async handler: Spark's `EventLoop` (a thread with a
 * blocking queue). `post` never blocks; `drained()` resolves once the queue is empty and nothing is running.
 */
export class EventLoop<E> {
  private readonly queue: E[] = [];
  private running = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly name: string,
    private readonly onReceive: (event: E) => void | Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {}

  post(event: E): void {
    if (this.stopped) return;
    this.queue.push(event);
    if (!this.running) void this.run();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stops taking events; events already queued are dropped, the running one finishes. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (!this.running) this.notifyIdle();
  }

  /** Resolves when no event is queued or running. */
  drained(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const e = this.queue.shift() as E;
      try {
        await this.onReceive(e);
      } catch (err) {
        try {
          this.onError(err);
        } catch (e2) {
          log.error({ err: e2, loop: this.name }, 'error handler failed');
        }
      }
    }
    this.running = false;
    this.notifyIdle();
  }

  private notifyIdle(): void {
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }
}
