import type { Clock } from '../../lib/core/clock/Clock';
import { SystemClock } from '../../lib/core/clock/SystemClock';
import { requireThat } from '../../lib/core/errors';

/** Rates at or above this are "no limit" (Spark's default `Long.MaxValue`). */
export const UNLIMITED_RATE = Number.MAX_SAFE_INTEGER;

/**
 * A token bucket with Guava's `SmoothBursty` accounting (the limiter Spark's receivers use): permits accrue at
 * `rate` per second while the bucket is idle, up to one second's worth, and a request is granted at once even when
 * it overdraws the bucket; the *next* request then waits for the debt. Nothing here sleeps or spins: {@link reserve}
 * says how long the caller should wait, and {@link acquire} waits for it on the clock.
 */
export class TokenBucket {
  private stableIntervalMs = 0;
  private maxPermits = 0;
  private storedPermits = 0;
  private nextFreeTicketMs: number;
  private rate = 0;

  constructor(
    permitsPerSecond: number,
    private readonly clock: Clock = new SystemClock(),
    private readonly maxBurstSeconds = 1,
  ) {
    this.nextFreeTicketMs = clock.getTimeMillis();
    this.setRate(permitsPerSecond);
  }

  /** The permits per second. */
  getRate(): number {
    return this.rate;
  }

  get isUnlimited(): boolean {
    return this.rate >= UNLIMITED_RATE;
  }

  /** Changes the rate; stored permits scale with the new burst size (Guava's `setRate`). */
  setRate(permitsPerSecond: number): void {
    requireThat(permitsPerSecond > 0 && !Number.isNaN(permitsPerSecond), 'rate must be positive');
    const now = this.clock.getTimeMillis();
    this.resync(now);
    const oldMax = this.maxPermits;
    this.rate = permitsPerSecond;
    this.stableIntervalMs = 1000 / permitsPerSecond;
    this.maxPermits = this.maxBurstSeconds * permitsPerSecond;
    this.storedPermits = oldMax === 0 ? 0 : (this.storedPermits * this.maxPermits) / oldMax;
  }

  /** Takes `permits` now and returns how many ms the caller should wait before going on (0: none). */
  reserve(permits: number): number {
    if (this.isUnlimited || permits <= 0) return 0;
    const now = this.clock.getTimeMillis();
    this.resync(now);
    const momentAvailable = this.nextFreeTicketMs;
    const fromStore = Math.min(permits, this.storedPermits);
    const fresh = permits - fromStore;
    this.nextFreeTicketMs += fresh * this.stableIntervalMs;
    this.storedPermits -= fromStore;
    return Math.max(0, momentAvailable - now);
  }

  /** Takes `permits` only if that needs no wait. */
  tryAcquire(permits: number): boolean {
    if (this.isUnlimited) return true;
    if (this.nextFreeTicketMs > this.clock.getTimeMillis()) return false;
    this.reserve(permits);
    return true;
  }

  /** Takes `permits`, resolving once the caller may go on (on the bucket's clock; no busy wait). */
  acquire(permits: number, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(permits);
    if (wait <= 0) return Promise.resolve();
    return this.clock.waitTillTime(this.clock.getTimeMillis() + wait, signal).then(() => undefined);
  }

  private resync(now: number): void {
    if (now > this.nextFreeTicketMs) {
      if (this.stableIntervalMs > 0) {
        this.storedPermits = Math.min(this.maxPermits, this.storedPermits + (now - this.nextFreeTicketMs) / this.stableIntervalMs);
      }
      this.nextFreeTicketMs = now;
    }
  }
}
