/** A task that throws is retried up to the master's attempt count (local: 1, local[N,F]: F), then the job fails. */
import { JobFailedException, SparkContext, type RDD } from '../../lib';
import { range } from './helpers';

let sc: SparkContext | undefined;
afterEach(() => sc?.stop());

/** A map over [1..10] in 2 partitions whose element 7 (partition 1) throws the first `failures` times. */
function flaky(ctx: SparkContext, failures: number): { rdd: RDD<number>; thrown: () => number } {
  let thrown = 0;
  const rdd = ctx.parallelize(range(1, 10), 2).map((x) => {
    if (x === 7 && thrown < failures) {
      thrown++;
      throw new Error(`map task failure ${thrown}`);
    }
    return x * 2;
  });
  return { rdd, thrown: () => thrown };
}

describe('task retries', () => {
  test('local[2,3] absorbs 2 failures of a task and the action succeeds', async () => {
    sc = new SparkContext('local[2,3]', 'retries');
    const { rdd, thrown } = flaky(sc, 2);
    expect(await rdd.collect()).toEqual(range(1, 10).map((x) => x * 2));
    expect(thrown()).toBe(2);
  });

  test('a retried task starts from fresh state: no element is counted twice', async () => {
    sc = new SparkContext('local[2,3]', 'retries');
    const { rdd } = flaky(sc, 2);
    expect(await rdd.count()).toBe(10);
    expect(await flaky(sc, 1).rdd.reduce((a, b) => a + b)).toBe(110);
  });

  test('local[2] fails at once with JobFailedException naming the RDD, the partition and the cause', async () => {
    sc = new SparkContext('local[2]', 'no-retries');
    const { rdd, thrown } = flaky(sc, 5);
    const err = await rdd.collect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedException);
    const e = err as JobFailedException;
    expect(thrown()).toBe(1);
    expect(e.partition).toBe(1);
    expect(e.attempts).toBe(1);
    expect(e.rddDescription).toBe('MapPartitionsRDD[1] at map');
    expect((e.cause as Error).message).toBe('map task failure 1');
    expect(e.message).toBe(
      'Job aborted due to stage failure: Task 1 in stage 0.0 (MapPartitionsRDD[1] at map) failed 1 time, most recent failure: ' +
        'Lost task 1.0 in stage 0.0: Error: map task failure 1',
    );
  });

  test('local[2,3] with 3 failures fails after 3 attempts', async () => {
    sc = new SparkContext('local[2,3]', 'retries');
    const { rdd, thrown } = flaky(sc, 3);
    const err = (await rdd.count().catch((e: unknown) => e)) as JobFailedException;
    expect(err).toBeInstanceOf(JobFailedException);
    expect(thrown()).toBe(3);
    expect(err.attempts).toBe(3);
    expect(err.message).toMatch(/failed 3 times, most recent failure: Lost task 1\.2 in stage \d+\.0: Error: map task failure 3$/);
  });

  test('spark.task.maxFailures overrides the master', async () => {
    const { SparkConf } = await import('../../lib');
    sc = new SparkContext(new SparkConf(false).setMaster('local[2]').setAppName('x').set('spark.task.maxFailures', '2'));
    const { rdd, thrown } = flaky(sc, 1);
    expect(await rdd.count()).toBe(10);
    expect(thrown()).toBe(1);
  });

  test('a failing map stage inside a shuffle fails the job with the map-side RDD and partition', async () => {
    sc = new SparkContext('local[2]', 'shuffle-failure');
    let broken = true;
    const pairs = sc.parallelize(range(1, 10), 2).map((x): [number, number] => {
      if (x === 3 && broken) throw new RangeError('bad record 3');
      return [x % 2, x];
    });
    const sums = pairs.reduceByKey((a, b) => a + b);
    const err = (await sums.collect().catch((e: unknown) => e)) as JobFailedException;
    expect(err).toBeInstanceOf(JobFailedException);
    expect(err.rddDescription).toBe('MapPartitionsRDD[1] at map');
    expect(err.partition).toBe(0);
    expect(err.message).toContain('RangeError: bad record 3');
    // The failed map stage is not remembered: the next action runs it again.
    broken = false;
    expect((await sums.collect()).sort()).toEqual([[0, 30], [1, 25]]);
  });

  test('once a task has failed every attempt, no further tasks of the job start', async () => {
    sc = new SparkContext('local[1]', 'cancel');
    const started: number[] = [];
    const rdd = sc.parallelize([0, 1, 2], 3).mapPartitionsWithIndex((i, xs) => {
      started.push(i);
      if (i === 0) throw new Error('first partition fails');
      return xs;
    });
    await expect(rdd.collect()).rejects.toThrow(JobFailedException);
    expect(started).toEqual([0]);
  });

  test('coalesce to zero partitions is rejected', () => {
    sc = new SparkContext('local[2]', 'coalesce');
    expect(() => sc?.parallelize([1]).repartition(0)).toThrow('requirement failed: Number of partitions (0) must be positive.');
  });

  test('an error thrown in the action itself (foreach) is a task failure too', async () => {
    sc = new SparkContext('local[1,2]', 'foreach');
    let calls = 0;
    await sc.parallelize([1, 2, 3], 1).foreach((x) => {
      calls++;
      if (x === 2 && calls === 2) throw new Error('once');
    });
    // 1, 2 (throws), then the retried task: 1, 2, 3.
    expect(calls).toBe(5);
  });
});
