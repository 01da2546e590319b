/** Spark's PIDRateEstimatorSuite. */
import { IllegalArgumentException, Milliseconds, SparkConf } from '../../lib';
import { createRateEstimator, PIDRateEstimator } from '../../receivers';

function createDefaultEstimator(): PIDRateEstimator {
  return new PIDRateEstimator(20, 1, 0, 0, 10);
}

function tabulate<T>(n: number, f: (x: number) => T): T[] {
  return Array.from({ length: n }, (_, x) => f(x));
}

describe('PIDRateEstimator', () => {
  test('the right estimator is created', () => {
    const conf = new SparkConf(false).set('spark.streaming.backpressure.rateEstimator', 'pid');
    expect(createRateEstimator(conf, Milliseconds(100))).toBeInstanceOf(PIDRateEstimator);
  });

  test('an unknown estimator is an error naming the key', () => {
    const conf = new SparkConf(false).set('spark.streaming.backpressure.rateEstimator', 'magic');
    expect(() => createRateEstimator(conf, Milliseconds(100))).toThrow(/spark\.streaming\.backpressure\.rateEstimator/);
  });

  test('estimator checks ranges', () => {
    expect(() => new PIDRateEstimator(0, 1, 2, 3, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(0, 1, 2, 3, 10)).toThrow('requirement failed: Specified batch interval 0 in PIDRateEstimator is invalid.');
    expect(() => new PIDRateEstimator(100, -1, 2, 3, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, -1, 3, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, 0, -1, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, 0, 0, 0)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, 0, 0, -10)).toThrow(IllegalArgumentException);
  });

  test('first estimate is None', () => {
    expect(createDefaultEstimator().compute(0, 10, 10, 0)).toBeUndefined();
  });

  test('second estimate is not None', () => {
    const p = createDefaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 10, 10, 0)).toBe(1000);
  });

  test('no estimate when no time difference between successive calls', () => {
    const p = createDefaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 10, 10, 0)).toBeDefined();
    expect(p.compute(10, 10, 10, 0)).toBeUndefined();
  });

  test('no estimate when no records in previous batch', () => {
    const p = createDefaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 0, 10, 0)).toBeUndefined();
    expect(p.compute(20, -10, 10, 0)).toBeUndefined();
  });

  test('no estimate when there is no processing delay', () => {
    const p = createDefaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 10, 0, 0)).toBeUndefined();
    expect(p.compute(20, 10, -10, 0)).toBeUndefined();
  });

  test('estimate is never less than min rate', () => {
    const minRate = 5;
    const p = new PIDRateEstimator(20, 1, 1, 0, minRate);
    const res = tabulate(50, (i) => p.compute(i * 20, 1, 20, 100));
    expect(res[0]).toBeUndefined();
    expect(res.slice(1)).toEqual(tabulate(49, () => minRate));
  });

  test('with no accumulated or positive error, |I| > 0, follow the processing speed', () => {
    const p = new PIDRateEstimator(20, 1, 1, 0, 10);
    const res = tabulate(50, (i) => p.compute(i * 20, (i + 1) * 20, 20, 0));
    expect(res[0]).toBeUndefined();
    expect(res.slice(1)).toEqual(tabulate(50, (x) => (x + 1) * 1000).slice(1));
  });

  test('with no accumulated but some positive error, |I| > 0, follow the processing speed', () => {
    const p = new PIDRateEstimator(20, 1, 1, 0, 10);
    const res = tabulate(50, (i) => p.compute(i * 20, (50 - i) * 20, 20, 0));
    expect(res[0]).toBeUndefined();
    expect(res.slice(1)).toEqual(tabulate(50, (x) => (50 - x) * 1000).slice(1));
  });

  test('with some accumulated and some positive error, |I| > 0, stay below the processing speed', () => {
    const minRate = 10;
    const p = new PIDRateEstimator(20, 1, 0.01, 0, minRate);
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const elements = tabulate(50, () => rnd(1000) + 1000);
    const sched = tabulate(50, () => rnd(19) + 1);
    const speeds = elements.map((x) => (x / 20) * 1000);
    const res = tabulate(50, (i) => p.compute(i * 20, elements[i], 20, sched[i]));
    expect(res[0]).toBeUndefined();
    for (let n = 1; n < 50; n++) {
      const r = res[n] as number;
      expect(r).toBeDefined();
      if (r > 0 && sched[n] > 0) {
        expect(r).toBeLessThan(speeds[n]);
        expect(r).toBeGreaterThanOrEqual(minRate);
      }
    }
  });
});
