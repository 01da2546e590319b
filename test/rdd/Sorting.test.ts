/** sortBy / sortByKey through a RangePartitioner, the default ordering, top / takeOrdered / max / min. */
import { defaultOrdering, HashPartitioner, RangePartitioner, reverseOrdering } from '../../lib';
import { range, withContext } from './helpers';

const sc = withContext('local[2]');

/** 0..n-1 in a scrambled but fixed order. */
const scrambled = (n: number): number[] => range(0, n - 1).map((i) => (i * 7919) % n);

describe('default ordering', () => {
  const sorted = (xs: unknown[]): unknown[] => [...xs].sort(defaultOrdering);

  test('numbers numerically (Double.compare: -0 < 0, NaN last), not as text', () => {
    expect(sorted([10, 9, 100, -1, 2.5])).toEqual([-1, 2.5, 9, 10, 100]);
    expect(sorted([NaN, 1, -Infinity, Infinity])).toEqual([-Infinity, 1, Infinity, NaN]);
    expect(Object.is(sorted([0, -0])[0], -0)).toBe(true);
    expect(sorted([3n, 1, 2n])).toEqual([1, 2n, 3n]);
  });

  test('strings by UTF-16 code units, as Java String.compareTo (not locale order)', () => {
    expect(sorted(['b', 'a', 'B', 'é', 'aa', ''])).toEqual(['', 'B', 'a', 'aa', 'b', 'é']);
    // U+FF5E sorts above a surrogate pair (code units 0xD83D...), unlike code point order.
    expect(sorted(['\uff5e', '\u{1F600}'])).toEqual(['\u{1F600}', '\uff5e']);
  });

  test('arrays (tuples) lexicographically; a prefix first; Dates by time; booleans false first; None first', () => {
    expect(sorted([[2, 'a'], [1, 'b'], [1, 'a'], [1]])).toEqual([[1], [1, 'a'], [1, 'b'], [2, 'a']]);
    expect(sorted([new Date(5), new Date(1)])).toEqual([new Date(1), new Date(5)]);
    expect(sorted([true, false])).toEqual([false, true]);
    // (Array.prototype.sort never passes undefined to a comparator, so compare directly.)
    expect(defaultOrdering(undefined, null)).toBeLessThan(0);
    expect(defaultOrdering(null, 1)).toBeLessThan(0);
    expect(defaultOrdering(undefined, undefined)).toBe(0);
    expect(reverseOrdering(defaultOrdering)(1, 2)).toBeGreaterThan(0);
  });
});

describe('sortBy and sortByKey', () => {
  test('sortBy sorts the whole RDD across partitions, ascending and descending', async () => {
    const r = sc().parallelize(scrambled(1000), 4);
    expect(await r.sortBy((x) => x).collect()).toEqual(range(0, 999));
    expect(await r.sortBy((x) => x, false, 3).collect()).toEqual(range(0, 999).reverse());
    expect(r.sortBy((x) => x, true, 3).getNumPartitions()).toBe(3);
    // The default partition count is the input's.
    expect(r.sortBy((x) => x).getNumPartitions()).toBe(4);
  });

  test('each output partition holds one range of keys, roughly balanced', async () => {
    const parts = await sc().parallelize(scrambled(1000), 4).sortBy((x) => x, true, 4).glom().collect();
    expect(parts).toHaveLength(4);
    for (let i = 1; i < parts.length; i++) expect(parts[i - 1][parts[i - 1].length - 1]).toBeLessThan(parts[i][0]);
    for (const p of parts) expect(p.length).toBeGreaterThan(100);
  });

  test('sortBy by a derived key, strings, tuples', async () => {
    const words = sc().parallelize(['pear', 'fig', 'banana', 'Apple', 'kiwi'], 2);
    expect(await words.sortBy((w) => w).collect()).toEqual(['Apple', 'banana', 'fig', 'kiwi', 'pear']);
    expect(await words.sortBy((w) => [w.length, w]).collect()).toEqual(['fig', 'kiwi', 'pear', 'Apple', 'banana']);
    expect(await words.sortBy((w) => w.length, false).collect()).toEqual(['banana', 'Apple', 'pear', 'kiwi', 'fig']);
  });

  test('sortByKey keeps pairs with equal keys in arrival order; a custom ordering may be given', async () => {
    const kv = sc().parallelize<[number, string]>([[2, 'x'], [1, 'a'], [2, 'y'], [1, 'b'], [3, 'z']], 2);
    expect(await kv.sortByKey().collect()).toEqual([[1, 'a'], [1, 'b'], [2, 'x'], [2, 'y'], [3, 'z']]);
    expect((await kv.sortByKey(false).keys().collect())).toEqual([3, 2, 2, 1, 1]);
    const byParity = (a: number, b: number): number => (a % 2) - (b % 2) || a - b;
    expect(await kv.sortByKey(true, 1, byParity).keys().collect()).toEqual([2, 2, 1, 1, 3]);
  });

  test('an empty RDD, one partition, many equal keys', async () => {
    expect(await sc().emptyRDD<number>().sortBy((x) => x).collect()).toEqual([]);
    expect(await sc().parallelize([3, 1, 2], 1).sortBy((x) => x).collect()).toEqual([1, 2, 3]);
    const same = sc().parallelize(new Array(100).fill(7), 4).sortBy((x) => x, true, 4);
    const sizes = (await same.glom().collect()).map((p) => p.length);
    expect(sizes.reduce((a, b) => a + b)).toBe(100);
  });

  test('RangePartitioner: bounds from a sample; getPartition by range, flipped when descending', async () => {
    const data = sc().parallelize(scrambled(100).map((k): [number, null] => [k, null]), 3);
    const p = new RangePartitioner<number>(4, data);
    await p.prepare();
    expect(p.rangeBounds).toHaveLength(3);
    const assigned = range(0, 99).map((k) => p.getPartition(k));
    for (let i = 1; i < assigned.length; i++) expect(assigned[i]).toBeGreaterThanOrEqual(assigned[i - 1]);
    expect(assigned[0]).toBe(0);
    expect(assigned[99]).toBe(3);
    const desc = new RangePartitioner<number>(4, data, false);
    await desc.prepare();
    expect(desc.getPartition(0)).toBe(3);
    expect(desc.getPartition(99)).toBe(0);
    expect(p.equals(p)).toBe(true);
    expect(p.equals(new HashPartitioner(4))).toBe(false);
    expect(new RangePartitioner<number>(1, data).getPartition(5)).toBe(0);
    expect(() => new RangePartitioner<number>(4, data).getPartition(1)).toThrow(/before prepare/);
  });

  test('repartitionAndSortWithinPartitions', async () => {
    const kv = sc().parallelize<[number, string]>([[5, 'e'], [2, 'b'], [4, 'd'], [1, 'a'], [3, 'c']], 2);
    expect(await kv.repartitionAndSortWithinPartitions(new HashPartitioner(2)).glom().collect()).toEqual([
      [[2, 'b'], [4, 'd']],
      [[1, 'a'], [3, 'c'], [5, 'e']],
    ]);
  });
});

describe('top, takeOrdered, max, min', () => {
  test('on numbers, strings and with an ordering', async () => {
    const r = sc().parallelize(scrambled(50), 3);
    expect(await r.top(3)).toEqual([49, 48, 47]);
    expect(await r.takeOrdered(4)).toEqual([0, 1, 2, 3]);
    expect(await r.takeOrdered(0)).toEqual([]);
    expect(await r.top(100)).toHaveLength(50);
    expect(await r.max()).toBe(49);
    expect(await r.min()).toBe(0);
    expect(await r.top(2, (a, b) => b - a)).toEqual([0, 1]);
    const words = sc().parallelize(['b', 'a', 'c', 'B'], 2);
    expect(await words.max()).toBe('c');
    expect(await words.min()).toBe('B');
    expect(await words.takeOrdered(2, reverseOrdering(defaultOrdering))).toEqual(['c', 'b']);
    // 10 is above 9 numerically (not as text).
    expect(await sc().parallelize([9, 10, 2], 2).max()).toBe(10);
  });
});
