import type { Clock } from '../../lib/core/clock/Clock';
import { SystemClock } from '../../lib/core/clock/SystemClock';
import type { SparkConf } from '../../lib/core/SparkConf';
import { StreamingConf } from '../../lib/core/StreamingConf';
import { TokenBucket, UNLIMITED_RATE } from './TokenBucket';

/** `spark.streaming.receiver.maxRate`, with 0 or less meaning no limit (as Spark's docs say). */
export function receiverMaxRate(conf: SparkConf): number {
  const r = StreamingConf.RECEIVER_MAX_RATE.read(conf);
  return r <= 0 ? UNLIMITED_RATE : r;
}

/**
 * Limits how fast a receiver stores records: Spark's `RateLimiter` (`receiver/RateLimiter.scala`), which the
 * BlockGenerator extends. The limit starts at `spark.streaming.receiver.maxRate` (with backpressure on, at
 * `min(spark.streaming.backpressure.initialRate, maxRate)`) and follows `updateRate` from the RateController, never
 * above maxRate. Rates are records per second of wall time.
 */
export class RateLimiter {
  /** The upper limit (Spark's `maxRateLimit`). */
  readonly maxRateLimit: number;
  private readonly initialRateLimit: number;
  private bucket: TokenBucket | undefined;

  constructor(
    protected readonly conf: SparkConf,
    private readonly rateClock: Clock = new SystemClock(),
  ) {
    this.maxRateLimit = receiverMaxRate(conf);
    this.initialRateLimit = initialRateLimit(conf, this.maxRateLimit);
  }

  private get limiter(): TokenBucket {
    // Created lazily, as Spark's `lazy val rateLimiter`.
    return (this.bucket ??= new TokenBucket(this.initialRateLimit, this.rateClock));
  }

  /**
   * Takes `n` permits; returns the ms the caller should wait before storing more (Spark's blocking `waitToPush`,
   * turned into a wait the caller honours by pausing its source). 0 when no wait is needed.
   */
  reservePermits(n: number): number {
    // The common case (no limit configured, no rate update yet) costs one comparison.
    if (this.bucket === undefined && this.initialRateLimit >= UNLIMITED_RATE) return 0;
    return this.limiter.reserve(n);
  }

  /** Resolves after `ms` on the limiter's clock (the wait {@link reservePermits} asked for). */
  protected sleepOnRateClock(ms: number): Promise<void> {
    return this.rateClock.waitTillTime(this.rateClock.getTimeMillis() + ms).then(() => undefined);
  }

  /** Spark's `waitToPush()`: one permit, as a promise (resolved at once when no wait is needed). */
  waitToPush(): Promise<void> {
    return this.limiter.acquire(1);
  }

  /** Spark's `getCurrentLimit`: records per second now. */
  getCurrentLimit(): number {
    return Math.floor(this.limiter.getRate());
  }

  /** Spark's `updateRate`: ignored unless positive; capped at maxRate. */
  updateRate(newRate: number): void {
    if (!(newRate > 0)) return;
    this.limiter.setRate(Math.min(newRate, this.maxRateLimit));
  }
}

/** The limit a receiver starts with: `min(initialRate, maxRate)` when backpressure is on and initialRate set. */
function initialRateLimit(conf: SparkConf, maxRate: number): number {
  if (!StreamingConf.BACKPRESSURE_ENABLED.read(conf)) return maxRate;
  const initial = StreamingConf.BACKPRESSURE_INITIAL_RATE.read(conf);
  return initial !== undefined && initial > 0 ? Math.min(initial, maxRate) : maxRate;
}
