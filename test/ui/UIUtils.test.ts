/** Spark's UIUtilsSuite (reference §10.9): time units, normalizeDuration, convertToTimeUnit, formatBatchTime. */
import { UIUtils } from '../../lib';

const { shortTimeUnitString, normalizeDuration, convertToTimeUnit, formatBatchTime, formatDuration } = UIUtils;

test('shortTimeUnitString', () => {
  expect(shortTimeUnitString('NANOSECONDS')).toBe('ns');
  expect(shortTimeUnitString('MICROSECONDS')).toBe('us');
  expect(shortTimeUnitString('MILLISECONDS')).toBe('ms');
  expect(shortTimeUnitString('SECONDS')).toBe('sec');
  expect(shortTimeUnitString('MINUTES')).toBe('min');
  expect(shortTimeUnitString('HOURS')).toBe('hrs');
  expect(shortTimeUnitString('DAYS')).toBe('days');
});

test('normalizeDuration', () => {
  const verify = (expected: number, unit: UIUtils.TimeUnit, ms: number): void => {
    const [v, u] = normalizeDuration(ms);
    expect(v).toBeCloseTo(expected, 9);
    expect(u).toBe(unit);
  };
  verify(900, 'MILLISECONDS', 900);
  verify(1.0, 'SECONDS', 1000);
  verify(1.0, 'MINUTES', 60 * 1000);
  verify(1.0, 'HOURS', 60 * 60 * 1000);
  verify(1.0, 'DAYS', 24 * 60 * 60 * 1000);
});

test('convertToTimeUnit', () => {
  const verify = (expected: number, ms: number, unit: UIUtils.TimeUnit): void => expect(convertToTimeUnit(ms, unit)).toBeCloseTo(expected, 9);
  verify(60.0 * 1000 * 1000 * 1000, 60 * 1000, 'NANOSECONDS');
  verify(60.0 * 1000 * 1000, 60 * 1000, 'MICROSECONDS');
  verify(60 * 1000, 60 * 1000, 'MILLISECONDS');
  verify(60, 60 * 1000, 'SECONDS');
  verify(1, 60 * 1000, 'MINUTES');
  verify(1.0 / 60, 60 * 1000, 'HOURS');
  verify(1.0 / 60 / 24, 60 * 1000, 'DAYS');
});

test('formatBatchTime', () => {
  const tz = 'America/Los_Angeles';
  const time = 1425444000000; // 2015-03-04T04:40:00Z
  expect(formatBatchTime(time, 1000, true, tz)).toBe('2015/03/03 20:40:00');
  expect(formatBatchTime(time, 999, true, tz)).toBe('2015/03/03 20:40:00.000');
  expect(formatBatchTime(time, 1000, false, tz)).toBe('20:40:00');
  expect(formatBatchTime(time, 999, false, tz)).toBe('20:40:00.000');
  expect(formatBatchTime(time + 7, 100, false, 'UTC')).toBe('04:40:00.007');
});

test('formatDuration follows Spark core UIUtils', () => {
  expect(formatDuration(42)).toBe('42 ms');
  expect(formatDuration(450)).toBe('0.5 s');
  expect(formatDuration(12_000)).toBe('12 s');
  expect(formatDuration(3 * 60_000 + 12_000)).toBe('3.2 min');
  expect(formatDuration(30 * 60_000)).toBe('30 min');
  expect(formatDuration(2 * 3_600_000)).toBe('2.0 h');
});
