/** SparkContext: slicing as Spark's parallelize, defaultParallelism from the master, one active context. */
import { IllegalStateException, SparkConf, SparkContext, SparkException } from '../../lib';
import { range } from './helpers';

afterEach(() => SparkContext.getActive()?.stop());

describe('SparkContext', () => {
  test('parallelize slices as Spark: slice i is [i*n/s, (i+1)*n/s)', async () => {
    const sc = new SparkContext('local[2]', 'slices');
    const sizes = async (n: number, s: number): Promise<number[]> => (await sc.parallelize(range(1, n), s).glom().collect()).map((p) => p.length);
    expect(await sizes(10, 3)).toEqual([3, 3, 4]);
    expect(await sizes(5, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(await sizes(2, 4)).toEqual([0, 1, 0, 1]);
    expect(await sizes(0, 2)).toEqual([0, 0]);
    expect(await sc.parallelize(range(1, 10), 3).glom().collect()).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9, 10]]);
    expect(await sc.makeRDD(new Set(['x', 'y']), 1).collect()).toEqual(['x', 'y']);
    expect(() => sc.parallelize([1], 0)).toThrow(/Positive number of partitions required/);
    expect(await sc.range(0, 10, 3, 2).collect()).toEqual([0, 3, 6, 9]);
  });

  test('defaultParallelism follows the master', () => {
    let sc = new SparkContext('local', 'a');
    expect(sc.defaultParallelism).toBe(1);
    expect(sc.parallelize([1, 2, 3]).getNumPartitions()).toBe(1);
    sc.stop();
    sc = new SparkContext('local[3]', 'a');
    expect(sc.defaultParallelism).toBe(3);
    sc.stop();
    sc = new SparkContext('local[4,2]', 'a');
    expect(sc.defaultParallelism).toBe(4);
    expect(sc.master).toBe('local[4,2]');
    expect(sc.appName).toBe('a');
  });

  test('only one SparkContext may be active; stop frees the slot', () => {
    const sc = new SparkContext('local[2]', 'one');
    expect(() => new SparkContext('local[2]', 'two')).toThrow(IllegalStateException);
    expect(() => new SparkContext('local[2]', 'two')).toThrow(/Only one SparkContext should be running in this process/);
    expect(SparkContext.getOrCreate()).toBe(sc);
    expect(SparkContext.getActive()).toBe(sc);
    sc.stop();
    expect(sc.isStopped()).toBe(true);
    expect(SparkContext.getActive()).toBeUndefined();
    expect(() => sc.parallelize([1])).toThrow(/Cannot call methods on a stopped SparkContext/);
    const next = new SparkContext('local[2]', 'two');
    expect(SparkContext.getActive()).toBe(next);
  });

  test('a master and an app name are required; a bad master is a clear error', () => {
    expect(() => new SparkContext(new SparkConf(false).setAppName('x'))).toThrow(/A master URL must be set/);
    expect(() => new SparkContext(new SparkConf(false).setMaster('local'))).toThrow(/An application name must be set/);
    expect(() => new SparkContext('yarn', 'x')).toThrow(SparkException);
    expect(() => new SparkContext('yarn', 'x')).toThrow(/Could not parse Master URL: 'yarn'/);
  });

  test('RDD ids count up per context; id and partitions are exposed', () => {
    const sc = new SparkContext('local[2]', 'ids');
    const a = sc.parallelize([1, 2, 3], 3);
    const b = a.map((x) => x);
    expect([a.id, b.id]).toEqual([0, 1]);
    expect(b.partitions.length).toBe(3);
    expect(b.partitions.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(String(b)).toBe('MapPartitionsRDD[1] at map');
    expect(String(b.setName('doubled'))).toBe('doubled MapPartitionsRDD[1] at map');
  });

  test('broadcast values and accumulators', async () => {
    const sc = new SparkContext('local[2]', 'shared');
    const b = sc.broadcast(new Map([[1, 'one']]));
    const acc = sc.longAccumulator('seen');
    const out = await sc
      .parallelize([1, 1, 2], 2)
      .map((x) => (acc.add(1), b.value.get(x) ?? '?'))
      .collect();
    expect(out).toEqual(['one', 'one', '?']);
    expect(acc.value).toBe(3);
  });
});
