/** Spark's RateLimiterSuite, and the token bucket under it on a ManualClock. */
import { ManualClock, SparkConf } from '../../lib';
import { RateLimiter, TokenBucket } from '../../receivers';

describe('RateLimiter (RateLimiterSuite)', () => {
  test('rate limiter initializes even without a maxRate set', () => {
    const r = new RateLimiter(new SparkConf(false));
    r.updateRate(105);
    expect(r.getCurrentLimit()).toBe(105);
  });

  test('rate limiter updates when below maxRate', () => {
    const r = new RateLimiter(new SparkConf(false).set('spark.streaming.receiver.maxRate', '110'));
    r.updateRate(105);
    expect(r.getCurrentLimit()).toBe(105);
  });

  test('rate limiter stays below maxRate despite large updates', () => {
    const r = new RateLimiter(new SparkConf(false).set('spark.streaming.receiver.maxRate', '100'));
    r.updateRate(105);
    expect(r.getCurrentLimit()).toBe(100);
  });

  test('non-positive updates are ignored', () => {
    const r = new RateLimiter(new SparkConf(false).set('spark.streaming.receiver.maxRate', '100'));
    r.updateRate(0);
    r.updateRate(-5);
    expect(r.getCurrentLimit()).toBe(100);
  });

  test('with backpressure, the limit starts at min(initialRate, maxRate); without it initialRate is not used', () => {
    const bp = new SparkConf(false).set('spark.streaming.backpressure.enabled', 'true').set('spark.streaming.backpressure.initialRate', '50');
    expect(new RateLimiter(bp).getCurrentLimit()).toBe(50);
    expect(new RateLimiter(bp.clone().set('spark.streaming.receiver.maxRate', '20')).getCurrentLimit()).toBe(20);
    expect(new RateLimiter(new SparkConf(false).set('spark.streaming.backpressure.initialRate', '50')).reservePermits(1000)).toBe(0);
  });

  test('no limit configured: permits never wait', () => {
    const r = new RateLimiter(new SparkConf(false));
    for (let i = 0; i < 10; i++) expect(r.reservePermits(1_000_000)).toBe(0);
  });
});

describe('TokenBucket', () => {
  test('holds the rate: each reservation makes the next one wait for it', () => {
    const clock = new ManualClock(10_000);
    const b = new TokenBucket(100, clock);
    expect(b.reserve(1)).toBe(0);
    expect(b.reserve(1)).toBe(10);
    expect(b.reserve(50)).toBe(20);
    expect(b.reserve(1)).toBe(520);
    clock.advance(600);
    expect(b.reserve(1)).toBe(0);
  });

  test('stores at most one second of permits while idle (a burst), then paces', () => {
    const clock = new ManualClock(0);
    const b = new TokenBucket(10, clock);
    b.reserve(1);
    clock.advance(60_000);
    // 10 stored permits: 10 go at once, the 11th pays for the fresh part of its request.
    expect(b.reserve(10)).toBe(0);
    expect(b.reserve(1)).toBe(0);
    expect(b.reserve(1)).toBe(100);
  });

  test('acquire waits on the clock (nothing spins): it resolves only when the clock reaches the time', async () => {
    const clock = new ManualClock(0);
    const b = new TokenBucket(2, clock);
    // The first permit is free; the second waits 1/rate = 500 ms.
    await b.acquire(1);
    let done = false;
    const p = b.acquire(1).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    expect(clock.waiterCount).toBe(1);
    clock.advance(499);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    clock.advance(1);
    await p;
    expect(done).toBe(true);
  });

  test('tryAcquire takes permits only when no wait is needed; setRate changes the pace', () => {
    const clock = new ManualClock(0);
    const b = new TokenBucket(1, clock);
    expect(b.tryAcquire(1)).toBe(true);
    expect(b.tryAcquire(1)).toBe(false);
    clock.advance(1000);
    b.setRate(1000);
    expect(b.getRate()).toBe(1000);
    expect(b.reserve(1)).toBe(0);
    expect(b.reserve(1)).toBe(1);
  });

  test('the rate must be positive', () => {
    expect(() => new TokenBucket(0)).toThrow('requirement failed: rate must be positive');
  });
});
