/** Actions: results, empty RDDs, and Spark's error for reducing nothing. */
import { MapPartitionsRDD, UnsupportedOperationException } from '../../lib';
import { range, withContext } from './helpers';

const sc = withContext('local[2]');

describe('actions', () => {
  test('collect, count, first, take scan partitions in order', async () => {
    const r = sc().parallelize(range(1, 10), 3);
    expect(await r.collect()).toEqual(range(1, 10));
    expect(await r.count()).toBe(10);
    expect(await r.first()).toBe(1);
    expect(await r.take(5)).toEqual([1, 2, 3, 4, 5]);
    expect(await r.take(0)).toEqual([]);
    expect(await r.take(100)).toEqual(range(1, 10));
    // Elements past the first partitions are not computed when take is satisfied early.
    let computed = 0;
    await r.map((x) => (computed++, x)).take(2);
    expect(computed).toBe(3);
  });

  test('take scans one partition, then up to 4x as many per job, as Spark', async () => {
    const partitionsByStage = new Map<number, number[]>();
    const data = sc().parallelize([...new Array<number>(20).fill(0), 1, 2, 3], 23);
    // A pass-through operator that records which stage (job) computed which partition.
    const observed = new MapPartitionsRDD<number, number>(
      data,
      {
        kind: 'sink',
        make: (down, ctx, split) => {
          const seen = partitionsByStage.get(ctx.stageId) ?? [];
          partitionsByStage.set(ctx.stageId, [...seen, split.index]);
          return down;
        },
      },
      'observe',
    );
    expect(await observed.filter((x) => x > 0).take(2)).toEqual([1, 2]);
    expect([...partitionsByStage.values()].map((ps) => ps.length)).toEqual([1, 4, 18]);
  });

  test('emptyRDD and empty partitions: take, first, isEmpty, collect, count', async () => {
    const empty = sc().emptyRDD<number>();
    expect(empty.getNumPartitions()).toBe(0);
    expect(empty.partitions.length).toBe(0);
    expect(await empty.collect()).toEqual([]);
    expect(await empty.count()).toBe(0);
    expect(await empty.take(3)).toEqual([]);
    expect(await empty.isEmpty()).toBe(true);
    await expect(empty.first()).rejects.toThrow(new UnsupportedOperationException('empty collection'));
    const noElements = sc().parallelize<number>([], 3);
    expect(noElements.getNumPartitions()).toBe(3);
    expect(await noElements.isEmpty()).toBe(true);
    expect(await sc().parallelize([1], 3).isEmpty()).toBe(false);
    expect(await noElements.take(1)).toEqual([]);
  });

  test('reduce on an empty RDD is UnsupportedOperationException: empty collection', async () => {
    const err = await sc().parallelize<number>([], 2).reduce((a, b) => a + b).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedOperationException);
    expect((err as Error).message).toBe('empty collection');
    expect((err as Error).name).toBe('UnsupportedOperationException');
    await expect(sc().emptyRDD<number>().max()).rejects.toThrow('empty collection');
    // Empty partitions next to non-empty ones are skipped.
    expect(await sc().parallelize([7], 4).reduce((a, b) => a + b)).toBe(7);
  });

  test('fold and aggregate use the zero value once per partition and once more when merging', async () => {
    const r = sc().parallelize(range(1, 4), 2);
    expect(await r.fold(0, (a, b) => a + b)).toBe(10);
    // Spark: 2 partitions -> (1 + 10 + 2) + (3 + 10 + 4), merged starting from 10 again.
    expect(await r.fold(10, (a, b) => a + b)).toBe(40);
    const [sum, n] = await r.aggregate<[number, number]>([0, 0], (acc, x) => [acc[0] + x, acc[1] + 1], (a, b) => [a[0] + b[0], a[1] + b[1]]);
    expect([sum, n]).toEqual([10, 4]);
    // A mutable zero value is copied for each partition, so partitions do not share it.
    const lists = await r.aggregate<number[]>([], (acc, x) => (acc.push(x), acc), (a, b) => a.concat(b));
    expect(lists).toEqual([1, 2, 3, 4]);
    expect(await sc().emptyRDD<number>().fold(5, (a, b) => a + b)).toBe(5);
  });

  test('foreach and foreachPartition (which may be async)', async () => {
    const seen: number[] = [];
    await sc().parallelize(range(1, 5), 2).foreach((x) => void seen.push(x));
    expect(seen.sort()).toEqual(range(1, 5));
    const sizes: number[] = [];
    await sc()
      .parallelize(range(1, 5), 2)
      .foreachPartition(async (xs) => {
        await new Promise((resolve) => setImmediate(resolve));
        sizes.push(xs.length);
      });
    expect(sizes.sort()).toEqual([2, 3]);
  });

  test('countByValue returns a Map of counts', async () => {
    const m = await sc().parallelize(['a', 'b', 'a', 'c', 'a'], 3).countByValue();
    expect(m).toEqual(new Map([['a', 3], ['b', 1], ['c', 1]]));
  });
});
