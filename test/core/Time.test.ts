import { Duration, Milliseconds, Minutes, Seconds, Time } from '../../lib';

// Vectors from Spark's TimeSuite and DurationSuite (reference §0).
describe('Time', () => {
  test('floor', () => {
    expect(new Time(199).floor(Milliseconds(200))).toEqual(new Time(0));
    expect(new Time(1).floor(Milliseconds(1))).toEqual(new Time(1));
    expect(new Time(1350).floor(Milliseconds(200), new Time(50)).milliseconds).toBe(1250);
    expect(new Time(1350).floor(Milliseconds(200), new Time(150)).milliseconds).toBe(1350);
    expect(new Time(1350).floor(Milliseconds(200), new Time(200)).milliseconds).toBe(1200);
  });

  test('until and to', () => {
    const ms = (ts: Time[]) => ts.map((t) => t.milliseconds);
    expect(ms(new Time(1000).until(new Time(1100), Milliseconds(100)))).toEqual([1000]);
    expect(ms(new Time(1000).until(new Time(1000), Milliseconds(100)))).toEqual([]);
    expect(ms(new Time(1000).until(new Time(1100), Milliseconds(30)))).toEqual([1000, 1030, 1060, 1090]);
    expect(ms(new Time(1000).to(new Time(1100), Milliseconds(100)))).toEqual([1000, 1100]);
    expect(ms(new Time(1000).to(new Time(1000), Milliseconds(100)))).toEqual([1000]);
    expect(ms(new Time(1000).to(new Time(1100), Milliseconds(30)))).toEqual([1000, 1030, 1060, 1090]);
  });

  test('arithmetic and comparisons', () => {
    const t = new Time(1000);
    expect(t.plus(Seconds(1)).milliseconds).toBe(2000);
    expect(t.minus(new Time(400))).toEqual(new Duration(600));
    expect(t.minus(Milliseconds(400))).toEqual(new Time(600));
    expect(t.less(new Time(1001))).toBe(true);
    expect(t.lessEq(new Time(1000))).toBe(true);
    expect(t.greater(new Time(999))).toBe(true);
    expect(t.greaterEq(new Time(1000))).toBe(true);
    expect(t.isMultipleOf(Milliseconds(500))).toBe(true);
    expect(t.isMultipleOf(Milliseconds(300))).toBe(false);
    expect(t.min(new Time(5)).milliseconds).toBe(5);
    expect(t.max(new Time(5)).milliseconds).toBe(1000);
    expect(String(t)).toBe('1000 ms');
    expect([new Time(3), new Time(1), new Time(2)].sort(Time.ordering).map(String)).toEqual(['1 ms', '2 ms', '3 ms']);
  });
});

describe('Duration', () => {
  test('division is a double, as in Spark', () => {
    expect(new Duration(1000).div(new Duration(5))).toBe(200.0);
    expect(new Duration(1000).div(new Duration(2000))).toBe(0.5);
  });

  test('isMultipleOf, factories, formatting', () => {
    expect(new Duration(1000).isMultipleOf(new Duration(6))).toBe(false);
    expect(new Duration(1000).isMultipleOf(new Duration(5))).toBe(true);
    expect(Seconds(2).milliseconds).toBe(2000);
    expect(Seconds(0.5).milliseconds).toBe(500);
    expect(Minutes(1).milliseconds).toBe(60000);
    expect(String(Milliseconds(1000))).toBe('1000 ms');
    expect(Milliseconds(1000).toFormattedString()).toBe('1000');
    expect(Milliseconds(1500).prettyPrint()).toBe('1.5 s');
    expect(Milliseconds(999).prettyPrint()).toBe('999 ms');
    expect(Minutes(2).prettyPrint()).toBe('2.0 m');
    expect(Seconds(2).times(3)).toEqual(Seconds(6));
    expect(Seconds(2).plus(Seconds(1)).minus(Milliseconds(500)).milliseconds).toBe(2500);
    expect(Seconds(1).min(Seconds(2))).toEqual(Seconds(1));
    expect(Milliseconds(0).isZero()).toBe(true);
  });

  test('rejects fractional milliseconds', () => {
    expect(() => new Duration(1.5)).toThrow(RangeError);
    expect(() => new Time(Number.NaN)).toThrow(RangeError);
  });
});
