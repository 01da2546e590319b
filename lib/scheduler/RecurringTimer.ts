import type { Clock } from '../core/clock/Clock';
import { getLogger } from '../core/logging';

const log = getLogger('RecurringTimer');

/**
 * Calls `callback(time)` every `periodMs` on `clock`: Spark's `RecurringTimer`. After a non-interrupting stop it
 * fires once more (SPARK-10224), so a graceful stop still generates the last batch.
 */
export class RecurringTimer {
  private prevTime = -1;
  private nextTime = -1;
  private stopped = false;
  private interrupted = false;
  private loop: Promise<void> | undefined;
  /** One controller per wait, so a clock never accumulates abort listeners over a long run. */
  private currentWait: AbortController | undefined;

  constructor(
    private readonly clock: Clock,
    readonly periodMs: number,
    private readonly callback: (timeMs: number) => void | Promise<void>,
    readonly name: string,
  ) {}

  /** The next multiple of the period strictly after now. */
  getStartTime(): number {
    return (Math.floor(this.clock.getTimeMillis() / this.periodMs) + 1) * this.periodMs;
  }

  /** The next batch boundary strictly after now on the grid that started at `originalStartTime`. */
  getRestartTime(originalStartTime: number): number {
    const gap = this.clock.getTimeMillis() - originalStartTime;
    return (Math.floor(gap / this.periodMs) + 1) * this.periodMs + originalStartTime;
  }

  /** The time of the next trigger (the one a non-interrupting stop still fires). */
  get pendingTime(): number {
    return this.nextTime;
  }

  /** Starts at `startTime` (default: the next period boundary); returns the first trigger time. */
  start(startTime: number = this.getStartTime()): number {
    this.nextTime = startTime;
    this.loop = this.run();
    log.debug({ timer: this.name, startTime }, 'Started timer');
    return this.nextTime;
  }

  /**
   * Stops the timer. Without `interruptTimer`, the pending trigger still fires once (when the clock reaches it).
   * Resolves with the time of the last callback that ran (-1 if none).
   */
  async stop(interruptTimer: boolean): Promise<number> {
    if (!this.stopped) {
      this.stopped = true;
      this.interrupted = interruptTimer;
      if (interruptTimer) this.currentWait?.abort();
    }
    if (!interruptTimer) await this.loop;
    return this.prevTime;
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.interrupted) return;
      this.currentWait = new AbortController();
      await this.clock.waitTillTime(this.nextTime, this.currentWait.signal);
      this.currentWait = undefined;
      if (this.interrupted) return;
      await this.callback(this.nextTime);
      this.prevTime = this.nextTime;
      this.nextTime += this.periodMs;
      if (this.stopped) return;
    }
  }
}
