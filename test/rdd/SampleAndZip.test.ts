/** sample (deterministic per seed and partition), zipWithIndex (counts partitions first), zipWithUniqueId. */
import { IllegalArgumentException } from '../../lib';
import { range, withContext } from './helpers';

const sc = withContext('local[2,2]');

describe('sample', () => {
  test('without replacement: each element at most once, about fraction of them, the same for the same seed', async () => {
    const r = sc().parallelize(range(1, 10000), 4);
    const a = await r.sample(false, 0.1, 42).collect();
    expect(await r.sample(false, 0.1, 42).collect()).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    expect(a.length).toBeGreaterThan(850);
    expect(a.length).toBeLessThan(1150);
    // Order is kept.
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    const other = await r.sample(false, 0.1, 43).collect();
    expect(other).not.toEqual(a);
  });

  test('the draws of a partition depend only on the seed and the partition, not on the other partitions', async () => {
    const whole = await sc().parallelize(range(1, 1000), 2).sample(false, 0.5, 7).glom().collect();
    const firstHalf = await sc().parallelize(range(1, 500), 1).sample(false, 0.5, 7).collect();
    expect(whole[0]).toEqual(firstHalf);
  });

  test('with replacement: elements may repeat, about fraction x n of them', async () => {
    const r = sc().parallelize(range(1, 5000), 2);
    const a = await r.sample(true, 2, 3).collect();
    expect(a.length).toBeGreaterThan(9500);
    expect(a.length).toBeLessThan(10500);
    expect(new Set(a).size).toBeLessThan(a.length);
    expect(await r.sample(true, 2, 3).count()).toBe(a.length);
    const small = await r.sample(true, 0.01, 9).collect();
    expect(small.length).toBeLessThan(120);
  });

  test('fractions 0 and 1; bad fractions are rejected at once', async () => {
    const r = sc().parallelize(range(1, 100), 2);
    expect(await r.sample(false, 0).count()).toBe(0);
    expect(await r.sample(false, 1).collect()).toEqual(range(1, 100));
    expect(() => r.sample(false, -0.5)).toThrow(IllegalArgumentException);
    expect(() => r.sample(false, -0.5)).toThrow('requirement failed: Fraction must be nonnegative, but got -0.5');
    expect(() => r.sample(false, 1.5)).toThrow('requirement failed: Sampling fraction (1.5) must be on interval [0, 1]');
    // A sample keeps the parent's partitions.
    expect(r.sample(true, 0.3).getNumPartitions()).toBe(2);
  });

  test('a retried task draws the same sample (the generator restarts with the task)', async () => {
    let thrown = false;
    const r = sc()
      .parallelize(range(1, 200), 2)
      .sample(false, 0.3, 11)
      .map((x) => {
        if (!thrown && x > 150) {
          thrown = true;
          throw new Error('once');
        }
        return x;
      });
    const withRetry = await r.collect();
    expect(thrown).toBe(true);
    expect(withRetry).toEqual(await sc().parallelize(range(1, 200), 2).sample(false, 0.3, 11).collect());
  });
});

describe('zipWithIndex and zipWithUniqueId', () => {
  test('zipWithIndex numbers elements in RDD order across uneven partitions', async () => {
    const r = sc().parallelize(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3).filter((x) => x !== 'b');
    expect(await r.zipWithIndex().collect()).toEqual([['a', 0], ['c', 1], ['d', 2], ['e', 3], ['f', 4], ['g', 5]]);
    expect(await sc().parallelize([1, 2, 3], 5).zipWithIndex().glom().collect()).toEqual([[], [[1, 0]], [], [[2, 1]], [[3, 2]]]);
    expect(await sc().emptyRDD().zipWithIndex().collect()).toEqual([]);
  });

  test('zipWithIndex counts the partitions before the last one first, once', async () => {
    const computed: number[] = [];
    const zipped = sc()
      .parallelize(range(1, 9), 3)
      .mapPartitionsWithIndex((i, xs) => (computed.push(i), xs))
      .zipWithIndex();
    expect(computed).toEqual([]);
    expect((await zipped.collect()).map(([, i]) => i)).toEqual(range(0, 8));
    // Counting job over partitions 0 and 1, then the 3 partitions themselves.
    expect(computed.sort()).toEqual([0, 0, 1, 1, 2]);
    await zipped.count();
    expect(computed).toHaveLength(8);
  });

  test('zipWithUniqueId: k-th element of partition i gets k * n + i', async () => {
    expect(await sc().parallelize(['a', 'b', 'c', 'd', 'e'], 3).zipWithUniqueId().collect()).toEqual([
      ['a', 0], ['b', 1], ['c', 4], ['d', 2], ['e', 5],
    ]);
  });
});
