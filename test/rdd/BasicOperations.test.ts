/**
 * The RDD-level behaviour behind Spark's BasicOperationsSuite (reference §10.3): each batch's input is an RDD of
 * 2 partitions, the operation is applied to it, and the result is compared in order or, where Spark's suite says
 * "(set)", as a set.
 */
import type { RDD } from '../../lib';
import { asSet, range, withContext } from './helpers';

const sc = withContext('local[2]');
const pairs = (xs: readonly string[], v: unknown): RDD<[string, unknown]> => sc().parallelize(xs, 2).map((w): [string, unknown] => [w, v]);

async function eachBatch<T>(inputs: T[][], op: (rdd: RDD<T>) => RDD<unknown>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const xs of inputs) out.push(await op(sc().parallelize(xs, 2)).collect());
  return out;
}

const nums = [range(1, 4), range(5, 8), range(9, 12)];

describe('narrow operations (BasicOperationsSuite)', () => {
  test('map', async () => {
    expect(await eachBatch(nums, (r) => r.map(String))).toEqual(nums.map((b) => b.map(String)));
  });

  test('flatMap', async () => {
    expect(await eachBatch(nums, (r) => r.flatMap((x) => [x, x * 2]))).toEqual([
      [1, 2, 2, 4, 3, 6, 4, 8],
      [5, 10, 6, 12, 7, 14, 8, 16],
      [9, 18, 10, 20, 11, 22, 12, 24],
    ]);
  });

  test('filter', async () => {
    expect(await eachBatch(nums, (r) => r.filter((x) => x % 2 === 0))).toEqual([[2, 4], [6, 8], [10, 12]]);
  });

  test('glom', async () => {
    expect(await eachBatch(nums, (r) => r.glom())).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]);
    // An empty partition is an empty array, as Spark's glom gives Array().
    expect(await sc().parallelize([1], 3).glom().collect()).toEqual([[], [], [1]]);
  });

  test('mapPartitions (set)', async () => {
    const out = await eachBatch(nums, (r) => r.mapPartitions((xs) => [xs.reduce((a, b) => a + b, 0)]));
    expect(out.map((b) => asSet(b))).toEqual([['3', '7'], ['11', '15'], ['19', '23']]);
  });

  test('mapPartitionsWithIndex sees the partition index', async () => {
    expect(await sc().parallelize(range(1, 4), 2).mapPartitionsWithIndex((i, xs) => xs.map((x) => [i, x])).collect()).toEqual([
      [0, 1], [0, 2], [1, 3], [1, 4],
    ]);
  });

  test('repartition (more partitions): 5 partitions, contents preserved, dealt round-robin', async () => {
    for (const b of [range(1, 100), range(101, 200), range(201, 300)]) {
      const r = sc().parallelize(b, 2).repartition(5);
      expect(r.getNumPartitions()).toBe(5);
      const parts = await r.glom().collect();
      expect(parts).toHaveLength(5);
      for (const p of parts) expect(p).toHaveLength(20);
      expect(parts.flat().sort((x, y) => x - y)).toEqual(b);
    }
  });

  test('repartition (fewer partitions): 2 partitions, contents preserved', async () => {
    for (const b of [range(1, 100), range(101, 200), range(201, 300)]) {
      const r = sc().parallelize(b, 5).repartition(2);
      expect(r.partitions.length).toBe(2);
      const parts = await r.glom().collect();
      expect(parts.flat().sort((x, y) => x - y)).toEqual(b);
    }
  });

  test('coalesce without shuffle merges neighbouring partitions and never adds any', async () => {
    const r = sc().parallelize(range(1, 10), 5).coalesce(2);
    expect(r.getNumPartitions()).toBe(2);
    expect((await r.collect()).sort((a, b) => a - b)).toEqual(range(1, 10));
    expect(sc().parallelize(range(1, 10), 2).coalesce(5).getNumPartitions()).toBe(2);
    expect(sc().parallelize(range(1, 10), 2).coalesce(5, true).getNumPartitions()).toBe(5);
  });

  test('union keeps each side in order', async () => {
    const out: unknown[][] = [];
    for (const b of [range(1, 4), range(101, 104), range(201, 204)]) {
      const s = sc().parallelize(b, 2);
      out.push(await s.union(s.map((x) => x + 4)).collect());
    }
    expect(out).toEqual([range(1, 8), range(101, 108), range(201, 208)]);
  });

  test('SparkContext.union of three', async () => {
    const s = sc().parallelize(range(1, 4), 2);
    const u = sc().union([s, s.map((x) => x + 4), s.map((x) => x + 8)]);
    expect(u.getNumPartitions()).toBe(6);
    expect(await u.collect()).toEqual(range(1, 12));
  });

  test('distinct and keyBy', async () => {
    const d = sc().parallelize([3, 1, 2, 3, 1, 3], 3).distinct(2);
    expect(d.getNumPartitions()).toBe(2);
    expect((await d.collect()).sort()).toEqual([1, 2, 3]);
    expect(await sc().parallelize(['ab', 'c'], 1).keyBy((s) => s.length).collect()).toEqual([[2, 'ab'], [1, 'c']]);
  });

  test('an operator chain runs fused: one pass per partition, element by element', async () => {
    const seen: string[] = [];
    await sc()
      .parallelize([1, 2], 1)
      .map((x) => (seen.push(`map ${x}`), x))
      .filter((x) => (seen.push(`filter ${x}`), true))
      .collect();
    expect(seen).toEqual(['map 1', 'filter 1', 'map 2', 'filter 2']);
  });
});

describe('pair operations (BasicOperationsSuite)', () => {
  const words = [['a', 'a', 'b'], ['', ''], []];

  test('groupByKey (set)', async () => {
    const out: string[][] = [];
    for (const b of words) out.push(asSet(await pairs(b, 1).groupByKey().mapValues((vs) => [...vs]).collect()));
    expect(out).toEqual([['(a,(1,1))', '(b,(1))'], ['(,(1,1))'], []]);
  });

  test('groupByKey values print as CompactBuffer', async () => {
    expect(asSet(await pairs(['a', 'a', 'b'], 1).groupByKey().collect())).toEqual(['(a,CompactBuffer(1, 1))', '(b,CompactBuffer(1))']);
  });

  test('reduceByKey (set)', async () => {
    const out: string[][] = [];
    for (const b of words) out.push(asSet(await pairs(b, 1).reduceByKey((x, y) => (x as number) + (y as number)).collect()));
    expect(out).toEqual([['(a,2)', '(b,1)'], ['(,2)'], []]);
  });

  test('reduce and count', async () => {
    expect(await Promise.all(nums.map((b) => sc().parallelize(b, 2).reduce((x, y) => x + y)))).toEqual([10, 26, 42]);
    const counts = await Promise.all([[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]].map((b) => sc().parallelize(b, 2).count()));
    expect(counts).toEqual([0, 1, 2, 3, 4]);
  });

  test('countByValue (set)', async () => {
    const out: [unknown, number][][] = [];
    for (const b of [[1], [1, 1, 1], [1, 2], [1, 1, 2, 2]]) out.push([...(await sc().parallelize(b, 2).countByValue())]);
    expect(out.map(asSet)).toEqual([['(1,1)'], ['(1,3)'], ['(1,1)', '(2,1)'], ['(1,2)', '(2,2)']]);
  });

  test('mapValues and flatMapValues (set)', async () => {
    const mv: string[][] = [];
    const fmv: string[][] = [];
    for (const b of words) {
      const reduced = sc().parallelize(b, 2).map((w): [string, number] => [w, 1]).reduceByKey((x, y) => x + y);
      mv.push(asSet(await reduced.mapValues((x) => x + 10).collect()));
      fmv.push(asSet(await reduced.flatMapValues((x) => [x, x + 10]).collect()));
    }
    expect(mv).toEqual([['(a,12)', '(b,11)'], ['(,12)'], []]);
    expect(fmv).toEqual([['(a,12)', '(a,2)', '(b,1)', '(b,11)'], ['(,12)', '(,2)'], []]);
  });

  const s1 = [['a', 'b'], ['a', ''], [''], []];
  const s2 = [['a', 'b'], ['b', ''], [], ['']];

  async function joined(op: (l: RDD<[string, unknown]>, r: RDD<[string, unknown]>) => RDD<unknown>): Promise<string[][]> {
    const out: string[][] = [];
    for (let i = 0; i < s1.length; i++) out.push(asSet(await op(pairs(s1[i], 1), pairs(s2[i], 'x')).collect()));
    return out;
  }

  test('join (set)', async () => {
    expect(await joined((l, r) => l.join(r))).toEqual([['(a,(1,x))', '(b,(1,x))'], ['(,(1,x))'], [], []]);
  });

  test('leftOuterJoin (set): a missing right side is undefined (None)', async () => {
    expect(await joined((l, r) => l.leftOuterJoin(r))).toEqual([
      ['(a,(1,x))', '(b,(1,x))'],
      ['(,(1,x))', '(a,(1,None))'],
      ['(,(1,None))'],
      [],
    ]);
  });

  test('rightOuterJoin (set)', async () => {
    expect(await joined((l, r) => l.rightOuterJoin(r))).toEqual([
      ['(a,(1,x))', '(b,(1,x))'],
      ['(,(1,x))', '(b,(None,x))'],
      [],
      ['(,(None,x))'],
    ]);
  });

  test('fullOuterJoin (set)', async () => {
    expect(await joined((l, r) => l.fullOuterJoin(r))).toEqual([
      ['(a,(1,x))', '(b,(1,x))'],
      ['(,(1,x))', '(a,(1,None))', '(b,(None,x))'],
      ['(,(1,None))'],
      ['(,(None,x))'],
    ]);
    const [[, [v, w]]] = await pairs(['k'], 1).fullOuterJoin(pairs([], 'x')).collect();
    expect(v).toBe(1);
    expect(w).toBeUndefined();
  });

  test('cogroup (set)', async () => {
    const c1 = [['a', 'a', 'b'], ['a', ''], [''], []];
    const c2 = [['a', 'a', 'b'], ['b', ''], [], []];
    const out: string[][] = [];
    for (let i = 0; i < c1.length; i++) out.push(asSet(await pairs(c1[i], 1).cogroup(pairs(c2[i], 'x')).collect()));
    expect(out).toEqual([
      ['(a,(CompactBuffer(1, 1),CompactBuffer(x, x)))', '(b,(CompactBuffer(1),CompactBuffer(x)))'],
      ['(,(CompactBuffer(1),CompactBuffer(x)))', '(a,(CompactBuffer(1),CompactBuffer()))', '(b,(CompactBuffer(),CompactBuffer(x)))'],
      ['(,(CompactBuffer(1),CompactBuffer()))'],
      [],
    ]);
  });

  test('cogroup of three and subtractByKey', async () => {
    const out = await pairs(['a', 'b'], 1).cogroup(pairs(['a'], 'x'), pairs(['b', 'b'], true)).collect();
    expect(asSet(out)).toEqual([
      '(a,(CompactBuffer(1),CompactBuffer(x),CompactBuffer()))',
      '(b,(CompactBuffer(1),CompactBuffer(),CompactBuffer(true, true)))',
    ]);
    expect(asSet(await pairs(['a', 'b', 'b', 'c'], 1).subtractByKey(pairs(['b'], 0)).collect())).toEqual(['(a,1)', '(c,1)']);
  });

  test('combineByKey, foldByKey, aggregateByKey, countByKey, keys, values', async () => {
    const kv = sc().parallelize<[string, number]>([['a', 1], ['b', 2], ['a', 3], ['a', 5]], 3);
    const avg = kv.combineByKey(
      (v): [number, number] => [v, 1],
      (c, v): [number, number] => [c[0] + v, c[1] + 1],
      (c1, c2): [number, number] => [c1[0] + c2[0], c1[1] + c2[1]],
    );
    expect(asSet(await avg.collect())).toEqual(['(a,(9,3))', '(b,(2,1))']);
    // The zero value is used once per key per partition, as Spark's: slices are [(a,1)], [(b,2)], [(a,3), (a,5)].
    expect(asSet(await kv.foldByKey(100, (x, y) => x + y).collect())).toEqual(['(a,209)', '(b,102)']);
    const sets = kv.aggregateByKey([] as number[], (acc, v) => (acc.push(v), acc), (x, y) => x.concat(y));
    expect(asSet(await sets.mapValues((vs) => vs.sort()).collect())).toEqual(['(a,(1,3,5))', '(b,(2))']);
    expect([...(await kv.countByKey())].sort()).toEqual([['a', 3], ['b', 1]]);
    expect(await kv.keys().collect()).toEqual(['a', 'b', 'a', 'a']);
    expect(await kv.values().collect()).toEqual([1, 2, 3, 5]);
    expect([...(await kv.collectAsMap())]).toEqual([['a', 5], ['b', 2]]);
    expect(await kv.lookup('a')).toEqual([1, 3, 5]);
  });

  test('numPartitions and partitioner arguments set the shuffle width; no shuffle when already partitioned alike', async () => {
    const { HashPartitioner, ShuffledRDD } = await import('../../lib');
    const kv = pairs(['a', 'b', 'c', 'a'], 1);
    expect(kv.reduceByKey((x) => x, 3).getNumPartitions()).toBe(3);
    expect(kv.groupByKey(new HashPartitioner(4)).getNumPartitions()).toBe(4);
    expect(kv.join(kv, 5).getNumPartitions()).toBe(5);
    expect(kv.leftOuterJoin(kv, 6).getNumPartitions()).toBe(6);
    expect(kv.cogroup(kv, new HashPartitioner(7)).getNumPartitions()).toBe(7);
    expect(kv.subtractByKey(kv, 1).getNumPartitions()).toBe(1);
    // Default: the widest input (no spark.default.parallelism set).
    expect(kv.reduceByKey((x) => x).getNumPartitions()).toBe(2);
    const parted = kv.partitionBy(new HashPartitioner(3));
    expect(parted).toBeInstanceOf(ShuffledRDD);
    expect(parted.partitionBy(new HashPartitioner(3))).toBe(parted);
    const reduced = parted.reduceByKey((x, y) => (x as number) + (y as number));
    expect(reduced).not.toBeInstanceOf(ShuffledRDD);
    expect(reduced.partitioner?.equals(new HashPartitioner(3))).toBe(true);
    expect(asSet(await reduced.collect())).toEqual(['(a,2)', '(b,1)', '(c,1)']);
    // mapValues keeps the partitioner, map drops it.
    expect(reduced.mapValues((x) => x).partitioner).toBeDefined();
    expect(reduced.map((x) => x).partitioner).toBeUndefined();
  });

  test('spark.default.parallelism sets the default shuffle width', async () => {
    const { SparkConf, SparkContext } = await import('../../lib');
    sc().stop();
    const other = new SparkContext(new SparkConf(false).setMaster('local[2]').setAppName('p').set('spark.default.parallelism', '7'));
    try {
      expect(other.defaultParallelism).toBe(7);
      expect(other.parallelize([1, 2, 3]).getNumPartitions()).toBe(7);
      expect(other.parallelize<[number, number]>([[1, 1]], 2).reduceByKey((a) => a).getNumPartitions()).toBe(7);
    } finally {
      other.stop();
    }
  });
});
