/** Keys group by value (KeyHash.ts), and HashPartitioner places strings and ints where Spark does. */
import { canonicalKey, HashPartitioner, KeyMap, keyHash } from '../../lib';
import { asSet, withContext } from './helpers';

const sc = withContext('local[3]');

async function grouped<K>(keys: K[]): Promise<[K, number][]> {
  // Three partitions, so equal keys meet both in one map task (map-side combine) and across map tasks (reduce side).
  return sc()
    .parallelize(keys.map((k): [K, number] => [k, 1]), 3)
    .reduceByKey((a, b) => a + b)
    .collect();
}

describe('structural keys', () => {
  test('tuples (arrays) group by their elements', async () => {
    const out = await grouped<[string, number]>([['a', 1], ['a', 1], ['a', 2], ['a', 1]]);
    expect(asSet(out)).toEqual(['((a,1),3)', '((a,2),1)']);
  });

  test('objects group by their properties, whatever the order they were written in', async () => {
    const out = await grouped<Record<string, unknown>>([{ a: 1, b: 'x' }, { b: 'x', a: 1 }, { a: 1, b: 'y' }, { b: 'x', a: 1 }]);
    expect(out.map(([k, n]) => [canonicalKey(k), n]).sort()).toEqual([
      ['{"a":1,"b":"x"}', 3],
      ['{"a":1,"b":"y"}', 1],
    ]);
  });

  test('Dates group by their time; bigints by value', async () => {
    const dates = await grouped([new Date(1000), new Date(1000), new Date(2000)]);
    expect(dates.map(([d, n]) => [d.getTime(), n]).sort()).toEqual([[1000, 2], [2000, 1]]);
    expect(asSet(await grouped([5n, 5n, 2n ** 70n, 2n ** 70n, 7n]))).toEqual(['(1180591620717411303424,2)', '(5,2)', '(7,1)']);
  });

  test('1 and "1" are different keys, as are 5 and 5n; NaN is one key; -0 and 0 are one key', async () => {
    const out = await grouped<unknown>([1, '1', 1, '1', 5, 5n, NaN, NaN, -0, 0]);
    const byCanonical = new Map(out.map(([k, n]) => [typeof k === 'string' ? `s:${k}` : canonicalKey(k), n]));
    expect(byCanonical).toEqual(new Map<string, number>([['1', 2], ['s:1', 2], ['5', 1], ['5n', 1], ['NaN', 2], ['0', 2]]));
  });

  test('nested structures, Maps and Sets compare by content', async () => {
    const k1 = [new Date(0), { xs: [1, 2], m: new Map([['a', 1]]) }];
    const k2 = [new Date(0), { m: new Map([['a', 1]]), xs: [1, 2] }];
    const k3 = [new Date(0), { xs: [1, 2], m: new Map([['a', 2]]) }];
    expect((await grouped([k1, k2, k3])).map(([, n]) => n).sort()).toEqual([1, 2]);
    expect((await grouped([new Set([1, 2]), new Set([2, 1]), new Set([3])])).map(([, n]) => n).sort()).toEqual([1, 2]);
  });

  test('groupByKey, join, distinct and countByValue use the same rule', async () => {
    const left = sc().parallelize<[[string, number], string]>([[['k', 1], 'L1'], [['k', 2], 'L2']], 2);
    const right = sc().parallelize<[[string, number], string]>([[['k', 1], 'R1']], 1);
    expect(asSet(await left.join(right).collect())).toEqual(['((k,1),(L1,R1))']);
    expect(asSet(await left.keys().union(right.keys()).distinct().collect())).toEqual(['(k,1)', '(k,2)']);
    const counts = await sc().parallelize([{ a: 1 }, { a: 1 }, { a: 2 }], 2).countByValue();
    expect([...counts.values()].sort()).toEqual([1, 2]);
    expect(asSet(await sc().parallelize<[{ id: number }, string]>([[{ id: 1 }, 'x'], [{ id: 1 }, 'y']], 2).groupByKey().values().collect())).toEqual([
      'CompactBuffer(x, y)',
    ]);
  });

  test('KeyMap keeps the first key object it saw; functions cannot be keys', () => {
    const m = new KeyMap<unknown, number>();
    const first = { a: 1 };
    m.set(first, 1).set({ a: 1 }, 2).set('s', 3);
    expect(m.size).toBe(2);
    expect(m.get({ a: 1 })).toBe(2);
    expect([...m.keys()]).toEqual(['s', first]);
    expect(() => m.set({ f: () => 1 }, 1)).toThrow(TypeError);
  });
});

describe('HashPartitioner', () => {
  test('uses Java hashCode for strings and ints, as Spark places them', () => {
    expect(keyHash('a')).toBe(97);
    expect(keyHash('hello')).toBe(99162322);
    expect(keyHash('polygenelubricants')).toBe(-2147483648);
    expect(keyHash('')).toBe(0);
    expect(keyHash(42)).toBe(42);
    expect(keyHash(true)).toBe(1231);
    expect(keyHash(false)).toBe(1237);
    expect(keyHash(2 ** 40)).toBe(256); // Long.hashCode: (v ^ v >>> 32)
    expect(keyHash(1.5)).toBe(1073217536); // Double.hashCode of 0x3FF8000000000000
    const p = new HashPartitioner(1000);
    expect(p.getPartition('a')).toBe(97);
    expect(p.getPartition('hello')).toBe(322);
    expect(new HashPartitioner(10).getPartition('polygenelubricants')).toBe(2);
    expect(new HashPartitioner(3).getPartition(-1)).toBe(2);
    expect(p.getPartition(null)).toBe(0);
    expect(p.getPartition(undefined)).toBe(0);
    expect(new HashPartitioner(3).equals(new HashPartitioner(3))).toBe(true);
    expect(new HashPartitioner(3).equals(new HashPartitioner(4))).toBe(false);
    expect(String(new HashPartitioner(3))).toBe('HashPartitioner(3)');
    expect(() => new HashPartitioner(-1)).toThrow(/cannot be negative/);
  });

  test('partitionBy sends each key to hashCode mod n', async () => {
    const parts = await sc()
      .parallelize<[string, number]>([['a', 1], ['b', 2], ['c', 3], ['d', 4]], 1)
      .partitionBy(new HashPartitioner(2))
      .glom()
      .collect();
    expect(parts).toEqual([[['b', 2], ['d', 4]], [['a', 1], ['c', 3]]]);
  });
});
