/** persist / cache / unpersist and toDebugString's lineage text. */
import { StorageLevel, UnsupportedOperationException } from '../../lib';
import { withContext } from './helpers';

const sc = withContext('local[2]');

describe('persist', () => {
  test('a cached RDD is computed once across two actions; unpersist drops it', async () => {
    let calls = 0;
    const r = sc()
      .parallelize([1, 2, 3, 4], 2)
      .map((x) => (calls++, x * 10))
      .cache();
    expect(r.getStorageLevel()).toBe(StorageLevel.MEMORY_ONLY);
    expect(await r.count()).toBe(4);
    expect(await r.collect()).toEqual([10, 20, 30, 40]);
    expect(calls).toBe(4);
    expect(sc().cacheManager.cachedPartitionCount(r.id)).toBe(2);
    expect(sc().persistentRdds.get(r.id)).toBe(r);
    // A child of the cached RDD reads the cache.
    expect(await r.map((x) => x + 1).collect()).toEqual([11, 21, 31, 41]);
    expect(calls).toBe(4);
    r.unpersist();
    expect(r.getStorageLevel()).toBe(StorageLevel.NONE);
    expect(sc().persistentRdds.has(r.id)).toBe(false);
    expect(sc().cacheManager.cachedPartitionCount(r.id)).toBe(0);
    await r.count();
    expect(calls).toBe(8);
  });

  test('every StorageLevel constant can be used; the level may be set again but not changed', () => {
    const levels = [
      StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_ONLY_2, StorageLevel.MEMORY_AND_DISK, StorageLevel.MEMORY_AND_DISK_2,
      StorageLevel.MEMORY_ONLY_SER, StorageLevel.MEMORY_ONLY_SER_2, StorageLevel.MEMORY_AND_DISK_SER,
      StorageLevel.MEMORY_AND_DISK_SER_2, StorageLevel.DISK_ONLY,
    ];
    for (const level of levels) expect(sc().parallelize([1]).persist(level).getStorageLevel()).toBe(level);
    expect(sc().parallelize([1]).persist(StorageLevel.NONE).getStorageLevel()).toBe(StorageLevel.NONE);
    const r = sc().parallelize([1]).persist(StorageLevel.MEMORY_AND_DISK_SER);
    expect(r.persist(StorageLevel.MEMORY_AND_DISK_SER)).toBe(r);
    expect(() => r.cache()).toThrow(UnsupportedOperationException);
    expect(() => r.persist(StorageLevel.DISK_ONLY)).toThrow('Cannot change storage level of an RDD after it was already assigned a level');
    // After unpersist a new level may be chosen.
    expect(r.unpersist().persist(StorageLevel.DISK_ONLY).getStorageLevel()).toBe(StorageLevel.DISK_ONLY);
  });

  test('a shuffle output is reused by later actions on the same RDD', async () => {
    let calls = 0;
    const reduced = sc()
      .parallelize(['a', 'b', 'a'], 2)
      .map((w): [string, number] => (calls++, [w, 1]))
      .reduceByKey((a, b) => a + b);
    await reduced.collect();
    await reduced.count();
    expect(calls).toBe(3);
  });
});

describe('toDebugString', () => {
  test('a narrow chain over a shuffle, in Spark layout', () => {
    const r = sc()
      .parallelize([1, 2, 3], 2)
      .map((x): [number, number] => [x, 1])
      .reduceByKey((a, b) => a + b, 3)
      .filter(() => true);
    expect(r.toDebugString()).toBe(
      [
        '(3) MapPartitionsRDD[3] at filter []',
        ' |  ShuffledRDD[2] at reduceByKey []',
        ' +-(2) MapPartitionsRDD[1] at map []',
        '    |  ParallelCollectionRDD[0] at parallelize []',
      ].join('\n'),
    );
  });

  test('persisted RDDs show their level; a union lists both parents', () => {
    const a = sc().parallelize([1], 2).cache();
    const b = sc().parallelize([2], 2);
    const u = a.union(b);
    expect(u.toDebugString()).toBe(
      [
        '(4) UnionRDD[2] at union []',
        ' |  ParallelCollectionRDD[0] at parallelize [Memory Deserialized 1x Replicated]',
        ' |  ParallelCollectionRDD[1] at parallelize []',
      ].join('\n'),
    );
  });

  test('two shuffles and a wide partition count', () => {
    const r = sc()
      .parallelize<[string, number]>([['a', 1]], 12)
      .groupByKey(10)
      .mapValues((vs) => vs.length)
      .sortByKey(true, 2);
    expect(r.toDebugString()).toBe(
      [
        '(2) ShuffledRDD[3] at sortByKey []',
        ' +-(10) MapPartitionsRDD[2] at mapValues []',
        '    |   ShuffledRDD[1] at groupByKey []',
        '    +-(12) ParallelCollectionRDD[0] at parallelize []',
      ].join('\n'),
    );
  });
});
