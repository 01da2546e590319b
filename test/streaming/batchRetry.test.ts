/**
 * Batch-level retries (`dstreams.batch.maxRetries`, `retryBackoff`, `retryFrom`; ours, Spark has none, reference
 * §5.4) on the ManualClock: the attempts, the order of later batches, where the last failure goes, the two retry
 * layers (task retries with `local[N,F]` first), listener events per attempt, the same input on every attempt and
 * state streams that never apply a batch twice.
 */
import {
  ConfigurationError,
  HashPartitioner,
  type RDD,
  SparkContext,
  type State,
  StateSpec,
  type StreamingContext,
  type StreamingListenerBatchRetry,
  type Time,
} from '../../lib';
import { collectOutput, createManualContext, manualClock, runStreams, stopAllContexts, TestInputStream } from './harness';

afterEach(async () => {
  await stopAllContexts();
});

type KV = [string, number];

/** Lets queued promise callbacks and immediates run until `cond` holds (no wall-clock waiting). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

function recordRetries(ssc: StreamingContext): Array<{ time: number; attempt: number; cause: string }> {
  const out: Array<{ time: number; attempt: number; cause: string }> = [];
  ssc.addStreamingListener({
    onBatchRetry: (e: StreamingListenerBatchRetry) => void out.push({ time: e.batchTime.milliseconds, attempt: e.attempt, cause: e.cause }),
  });
  return out;
}

/** Every batch and output-operation event, as short lines. */
function recordEvents(ssc: StreamingContext): string[] {
  const ev: string[] = [];
  ssc.addStreamingListener({
    onBatchSubmitted: (e) => void ev.push(`submitted ${e.batchInfo.batchTime.milliseconds}`),
    onBatchStarted: (e) => void ev.push(`started ${e.batchInfo.batchTime.milliseconds}`),
    onOutputOperationStarted: (e) => void ev.push(`op ${e.outputOperationInfo.id} started ${e.outputOperationInfo.batchTime.milliseconds}`),
    onOutputOperationCompleted: (e) =>
      void ev.push(`op ${e.outputOperationInfo.id} ${e.outputOperationInfo.failureReason === undefined ? 'succeeded' : 'failed'} ${e.outputOperationInfo.batchTime.milliseconds}`),
    onBatchRetry: (e) => void ev.push(`retry ${e.attempt} ${e.batchTime.milliseconds}`),
    onBatchCompleted: (e) => {
      const failed = [...e.batchInfo.outputOperationInfos.values()].some((o) => o.failureReason !== undefined);
      ev.push(`completed ${e.batchInfo.batchTime.milliseconds}${failed ? ' with failures' : ''}`);
    },
  });
  return ev;
}

const pendingTimes = (ssc: StreamingContext): number[] => ssc.scheduler.getPendingTimes().map((t) => t.milliseconds);

describe('batch retries on the manual clock', () => {
  test('a job that fails twice then succeeds with maxRetries 2: its output once, in order, later batches after it', async () => {
    const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 2 } });
    const clock = manualClock(ssc);
    const input = new TestInputStream(ssc, [[1], [2], [3], [4]]);
    const runs: string[] = [];
    const out: Array<[number, number[]]> = [];
    let failuresLeft = 2;
    input.foreachRDD(async (rdd, t) => {
      runs.push(`${t.milliseconds}@${clock.getTimeMillis()}`);
      const data = await rdd.collect();
      if (t.milliseconds === 2000 && failuresLeft > 0) throw new Error(`sink unavailable (${3 - failuresLeft--})`);
      out.push([t.milliseconds, data]);
    });
    const retries = recordRetries(ssc);
    await ssc.start();
    await ssc.step(2);
    // Default backoff = one batch: the attempts of 2000 ran at 2000, 3000 and 4000 on the context's clock.
    expect(runs.slice(0, 4)).toEqual(['1000@1000', '2000@2000', '2000@3000', '2000@4000']);
    expect(clock.getTimeMillis()).toBe(4000);
    expect(retries).toEqual([
      { time: 2000, attempt: 1, cause: expect.stringContaining('streaming job 2000 ms.0 failed: sink unavailable (1)') },
      { time: 2000, attempt: 2, cause: expect.stringContaining('sink unavailable (2)') },
    ]);
    // Batches 3000 and 4000 were generated on time while 2000 was retried, waited, and are the next two steps.
    await ssc.step(2);
    expect(clock.getTimeMillis()).toBe(4000);
    await ssc.step(1);
    expect(clock.getTimeMillis()).toBe(5000);
    expect(out).toEqual([
      [1000, [1]],
      [2000, [2]],
      [3000, [3]],
      [4000, [4]],
      [5000, []],
    ]);
    expect(runs.slice(4)).toEqual(['3000@4000', '4000@4000', '5000@5000']);
    expect(pendingTimes(ssc)).toEqual([]);
    await expect(ssc.awaitTerminationOrTimeout(0)).resolves.toBe(false);
  });

  test('with maxRetries 1 a job failing twice reaches awaitTermination as in Spark; the batch stays pending, later batches run', async () => {
    const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 1 } });
    const clock = manualClock(ssc);
    const input = new TestInputStream(ssc, [[1], [2], [3]]);
    const runs: string[] = [];
    const out: number[][] = [];
    input.foreachRDD(async (rdd, t) => {
      runs.push(`${t.milliseconds}@${clock.getTimeMillis()}`);
      if (t.milliseconds === 2000) throw new Error('This is a failed job');
      out.push(await rdd.collect());
    });
    const retries = recordRetries(ssc);
    const events = recordEvents(ssc);
    await ssc.start();
    await expect(ssc.step(2)).rejects.toThrow('This is a failed job');
    await expect(ssc.awaitTerminationOrTimeout(0)).rejects.toThrow('This is a failed job');
    // (Batch 3000, generated when the retry moved the clock, may already be running: it is the next step.)
    expect(runs.slice(0, 3)).toEqual(['1000@1000', '2000@2000', '2000@3000']);
    expect(retries.map((r) => [r.time, r.attempt])).toEqual([[2000, 1]]);
    expect(pendingTimes(ssc)).toContain(2000);
    await ssc.step(1);
    expect(runs).toEqual(['1000@1000', '2000@2000', '2000@3000', '3000@3000']);
    expect(out).toEqual([[1], [3]]);
    expect(pendingTimes(ssc)).toEqual([2000]);
    // One BatchCompleted for the failed batch, after its last attempt, carrying the failure reason.
    expect(events.filter((e) => e.startsWith('completed'))).toEqual(['completed 1000', 'completed 2000 with failures', 'completed 3000']);
  });

  test('maxRetries 0 (the default) is Spark: no retry, the error goes to awaitTermination at once', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1], [2]]);
    const runs: number[] = [];
    input.foreachRDD((_rdd, t) => {
      runs.push(t.milliseconds);
      if (t.milliseconds === 1000) throw new Error('This is a failed job');
    });
    const retries = recordRetries(ssc);
    await ssc.start();
    await expect(ssc.step(2)).rejects.toThrow('This is a failed job');
    await expect(ssc.awaitTerminationOrTimeout(0)).rejects.toThrow('This is a failed job');
    expect(runs).toEqual([1000, 2000]);
    expect(retries).toEqual([]);
    expect(pendingTimes(ssc)).toEqual([1000]);
  });

  test('retryBackoff is measured on the context clock: attempts at failure + backoff, no later batch generated meanwhile', async () => {
    const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 3, 'dstreams.batch.retryBackoff': '250ms' } });
    const clock = manualClock(ssc);
    const input = new TestInputStream(ssc, [[1], [2]]);
    const runs: string[] = [];
    let failuresLeft = 2;
    input.foreachRDD((_rdd, t) => {
      runs.push(`${t.milliseconds}@${clock.getTimeMillis()}`);
      if (t.milliseconds === 1000 && failuresLeft-- > 0) throw new Error('not yet');
    });
    await ssc.start();
    await ssc.step(1);
    expect(runs).toEqual(['1000@1000', '1000@1250', '1000@1500']);
    expect(clock.getTimeMillis()).toBe(1500);
    expect(ssc.scheduler.jobGenerator.nextBatchTime().milliseconds).toBe(2000);
    await ssc.step(1);
    expect(runs.slice(3)).toEqual(['2000@2000']);
  });

  test('a batch without jobs generated during a retry settles after the retried batch, so step() waits for the right one', async () => {
    const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 2 } });
    const clock = manualClock(ssc);
    // null: no RDD at 2000, so that batch has no jobs (Spark only logs "No jobs added for time 2000 ms").
    const input = new TestInputStream(ssc, [[1], null, [3]]);
    const out: Array<[number, number[]]> = [];
    let failuresLeft = 2;
    input.foreachRDD(async (rdd, t) => {
      const data = await rdd.collect();
      if (t.milliseconds === 1000 && failuresLeft-- > 0) throw new Error('sink down');
      out.push([t.milliseconds, data]);
    });
    await ssc.start();
    await ssc.step(1);
    expect(out[0]).toEqual([1000, [1]]);
    expect(clock.getTimeMillis()).toBe(3000);
    await ssc.step(2);
    expect(out).toEqual([
      [1000, [1]],
      [3000, [3]],
    ]);
    expect(clock.getTimeMillis()).toBe(3000);
    await ssc.step(1);
    expect(clock.getTimeMillis()).toBe(4000);
  });

  test('retryFrom failed re-runs the failed output operation and those after it; start re-runs them all', async () => {
    async function run(retryFrom: 'failed' | 'start'): Promise<string[]> {
      const ssc = createManualContext({
        conf: { 'dstreams.batch.maxRetries': 1, 'dstreams.batch.retryFrom': retryFrom, 'dstreams.batch.retryBackoff': '100ms' },
      });
      const input = new TestInputStream(ssc, [[1]]);
      const runs: string[] = [];
      let failOnce = true;
      // Backoff below one batch: no later batch runs in between.
      input.foreachRDD(() => void runs.push('op0'));
      input.foreachRDD(() => {
        runs.push('op1');
        if (failOnce) {
          failOnce = false;
          throw new Error('op1 fails once');
        }
      });
      input.foreachRDD(() => void runs.push('op2'));
      await ssc.start();
      await ssc.step(1);
      await expect(ssc.awaitTerminationOrTimeout(0)).resolves.toBe(false);
      await stopAllContexts();
      return runs;
    }
    // op2 did not run in the failed attempt: it runs once, in the retry.
    expect(await run('failed')).toEqual(['op0', 'op1', 'op1', 'op2']);
    expect(await run('start')).toEqual(['op0', 'op1', 'op0', 'op1', 'op2']);
  });

  test('listener events per attempt: output operations each time, one retry event, one BatchCompleted', async () => {
    // A backoff of half a batch, so the retry and the next batch's generation do not share a clock tick.
    const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 2, 'dstreams.batch.retryBackoff': '500ms' } });
    const input = new TestInputStream(ssc, [[1], [2]]);
    let failOnce = true;
    input.foreachRDD(() => undefined);
    input.foreachRDD((_rdd, t) => {
      if (t.milliseconds === 1000 && failOnce) {
        failOnce = false;
        throw new Error('boom');
      }
    });
    const events = recordEvents(ssc);
    const retries = recordRetries(ssc);
    await ssc.start();
    await ssc.step(2);
    expect(events).toEqual([
      'submitted 1000',
      'started 1000',
      'op 0 started 1000',
      'op 0 succeeded 1000',
      'op 1 started 1000',
      'op 1 failed 1000',
      'retry 1 1000',
      'op 1 started 1000',
      'op 1 succeeded 1000',
      'completed 1000',
      'submitted 2000',
      'started 2000',
      'op 0 started 2000',
      'op 0 succeeded 2000',
      'op 1 started 2000',
      'op 1 succeeded 2000',
      'completed 2000',
    ]);
    expect(retries).toEqual([{ time: 1000, attempt: 1, cause: expect.stringContaining('streaming job 1000 ms.1 failed: boom') }]);
  });

  test('with concurrentJobs 2, a retried batch still finishes before the next batch starts', async () => {
    const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 1, 'spark.streaming.concurrentJobs': 2 } });
    const input = new TestInputStream(ssc, [[1], [2], [3]]);
    const log: string[] = [];
    let failOnce = true;
    input.foreachRDD(async (_rdd, t) => {
      await new Promise((r) => setImmediate(r));
      log.push(`${t.milliseconds} op0`);
      if (t.milliseconds === 1000 && failOnce) {
        failOnce = false;
        throw new Error('op0 fails once');
      }
    });
    input.foreachRDD(async (_rdd, t) => {
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      log.push(`${t.milliseconds} op1`);
    });
    await ssc.start();
    await ssc.step(3);
    const batchOrder = log.map((l) => Number(l.split(' ')[0]));
    expect(batchOrder).toEqual([...batchOrder].sort((a, b) => a - b));
    // Both ops of 1000 ran concurrently in the failed attempt; from the failed op0 on, both ran again.
    expect(log.filter((l) => l.startsWith('1000')).sort()).toEqual(['1000 op0', '1000 op0', '1000 op1', '1000 op1']);
    expect(log.filter((l) => !l.startsWith('1000'))).toHaveLength(4);
  });

  test('a graceful stop runs a pending retry at once; an immediate stop drops it and the batch stays pending', async () => {
    for (const graceful of [true, false]) {
      const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 1, 'dstreams.batch.retryBackoff': '1h' } });
      const clock = manualClock(ssc);
      const input = new TestInputStream(ssc, [[1]]);
      const out: number[][] = [];
      let failOnce = true;
      input.foreachRDD(async (rdd) => {
        const data = await rdd.collect();
        if (failOnce) {
          failOnce = false;
          throw new Error('first attempt fails');
        }
        out.push(data);
      });
      await ssc.start();
      clock.setTime(1000);
      await until(() => ssc.scheduler.pendingRetryTime !== undefined, 'the retry to be scheduled');
      expect(ssc.scheduler.pendingRetryTime?.milliseconds).toBe(1000 + 3_600_000);
      // Waiting for its retry, the batch is pending: a checkpoint written now would re-run it after a restart.
      expect(pendingTimes(ssc)).toEqual([1000]);
      await ssc.stop(false, graceful);
      if (graceful) {
        expect(out).toEqual([[1], []]);
        expect(pendingTimes(ssc)).toEqual([]);
      } else {
        expect(out).toEqual([]);
        expect(pendingTimes(ssc)).toEqual([1000]);
      }
      expect(ssc.scheduler.pendingRetryTime).toBeUndefined();
      await stopAllContexts();
    }
  });
});

describe('the two retry layers', () => {
  test('a task failure inside a batch is absorbed by task retries (local[2,3]) without a batch retry', async () => {
    const ssc = createManualContext({ master: 'local[2,3]', conf: { 'dstreams.batch.maxRetries': 2 } });
    const input = new TestInputStream(ssc, [[1, 2, 3, 4], [5, 6]]);
    let failures = 0;
    const mapped = input.map((x) => {
      if (x === 3 && failures < 2) {
        failures++;
        throw new Error('flaky task');
      }
      return x * 10;
    });
    const output = collectOutput(mapped);
    const retries = recordRetries(ssc);
    expect(await runStreams(ssc, 2, output)).toEqual([
      [10, 20, 30, 40],
      [50, 60],
    ]);
    expect(failures).toBe(2);
    expect(retries).toEqual([]);
  });

  test('the same task failure with one task attempt (local[2]) fails the job and becomes batch retries', async () => {
    const ssc = createManualContext({ master: 'local[2]', conf: { 'dstreams.batch.maxRetries': 2, 'dstreams.batch.retryBackoff': '100ms' } });
    const input = new TestInputStream(ssc, [[1, 2, 3, 4], [5, 6]]);
    let failures = 0;
    const mapped = input.map((x) => {
      if (x === 3 && failures < 2) {
        failures++;
        throw new Error('flaky task');
      }
      return x * 10;
    });
    const output = collectOutput(mapped);
    const retries = recordRetries(ssc);
    expect(await runStreams(ssc, 2, output)).toEqual([
      [10, 20, 30, 40],
      [50, 60],
    ]);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries[0].cause).toContain('Job aborted due to stage failure');
    expect(retries[0].cause).toContain('flaky task');
  });
});

describe('the batch input and state are the same on every attempt', () => {
  test('every attempt gets the RDD generated once for the batch (a queueStream is not dequeued again)', async () => {
    const ssc = createManualContext({ conf: { 'dstreams.batch.maxRetries': 2 } });
    const sc = ssc.sparkContext;
    const queue: RDD<string>[] = [sc.makeRDD(['a1', 'a2']), sc.makeRDD(['b1'])];
    const stream = ssc.queueStream(queue);
    const seen: Array<[number, number, string[]]> = [];
    let failuresLeft = 2;
    stream.foreachRDD(async (rdd, t) => {
      seen.push([t.milliseconds, rdd.id, await rdd.collect()]);
      if (t.milliseconds === 1000 && failuresLeft-- > 0) throw new Error('sink down');
    });
    await ssc.start();
    await ssc.step(2);
    const first = seen.filter(([t]) => t === 1000);
    expect(first).toHaveLength(3);
    expect(new Set(first.map(([, id]) => id)).size).toBe(1);
    expect(first.map(([, , d]) => d)).toEqual([['a1', 'a2'], ['a1', 'a2'], ['a1', 'a2']]);
    expect(seen.filter(([t]) => t === 2000).map(([, , d]) => d)).toEqual([['b1']]);
  });

  test('updateStateByKey: a retried output re-reads the batch\'s memoized state RDD, counts not doubled', async () => {
    const ssc = createManualContext({ checkpointDir: true, conf: { 'dstreams.batch.maxRetries': 1 } });
    const input = new TestInputStream(ssc, [['a'], ['a', 'b'], ['a']]);
    let updates = 0;
    const state = input
      .map((w) => [w, 1] as KV)
      .updateStateByKey((values: number[], s: number | undefined) => {
        updates++;
        return values.reduce((x, y) => x + y, 0) + (s ?? 0);
      });
    const seen: Array<[number, number, KV[]]> = [];
    let failOnce = true;
    state.foreachRDD(async (rdd, t) => {
      const kvs = (await rdd.collect()).sort();
      seen.push([t.milliseconds, rdd.id, kvs]);
      // The state RDD for 2000 is computed, then the output fails: the retry must not apply batch 2000 again.
      if (t.milliseconds === 2000 && failOnce) {
        failOnce = false;
        throw new Error('output failed after the state was computed');
      }
    });
    await ssc.start();
    await ssc.step(3);
    await expect(ssc.awaitTerminationOrTimeout(0)).resolves.toBe(false);
    expect(seen.map(([t, , kvs]) => [t, kvs])).toEqual([
      [1000, [['a', 1]]],
      [2000, [['a', 2], ['b', 1]]],
      [2000, [['a', 2], ['b', 1]]],
      [3000, [['a', 3], ['b', 1]]],
    ]);
    const attempts = seen.filter(([t]) => t === 2000);
    expect(attempts[0][1]).toBe(attempts[1][1]);
    // 1 (batch 1) + 2 (batch 2, computed once) + 2 (batch 3): the retry read the memoized partitions.
    expect(updates).toBe(5);
  });

  test('updateStateByKey: a batch whose update failed half-way is recomputed from the previous state, not the partial new one', async () => {
    const ssc = createManualContext({ checkpointDir: true, conf: { 'dstreams.batch.maxRetries': 1 } });
    const input = new TestInputStream(ssc, [['a'], ['a', 'b'], ['a']]);
    let failOnce = true;
    // One state partition, so 'a' is updated in the same state map before 'b' throws.
    const state = input.map((w) => [w, 1] as KV).updateStateByKey(
      (time: Time, key: string, values: number[], s: number | undefined) => {
        if (time.milliseconds === 2000 && key === 'b' && failOnce) {
          failOnce = false;
          throw new Error('update of b failed');
        }
        return values.reduce((x, y) => x + y, 0) + (s ?? 0);
      },
      new HashPartitioner(1),
      true,
    );
    const output = collectOutput(state);
    const retries = recordRetries(ssc);
    const out = await runStreams(ssc, 3, output);
    expect(out.map((b) => [...b].sort())).toEqual([
      [['a', 1]],
      [['a', 2], ['b', 1]],
      [['a', 3], ['b', 1]],
    ]);
    expect(retries.map((r) => [r.time, r.attempt])).toEqual([[2000, 1]]);
    expect(retries[0].cause).toContain('update of b failed');
  });

  test('mapWithState: a batch retried after the mapping function failed keeps state and snapshots exact', async () => {
    const ssc = createManualContext({ checkpointDir: true, master: 'local', conf: { 'dstreams.batch.maxRetries': 1 } });
    const input = new TestInputStream(ssc, [['a'], ['a', 'b'], ['a', 'b', 'c']]);
    let failOnce = true;
    const spec = StateSpec.function((time: Time, key: string, value: number | undefined, st: State<number>): [string, number] => {
      if (time.milliseconds === 2000 && key === 'b' && failOnce) {
        failOnce = false;
        throw new Error('mapping of b failed');
      }
      const sum = (value ?? 0) + (st.getOption() ?? 0);
      st.update(sum);
      return [key, sum];
    }).numPartitions(1);
    const stream = input.map((x) => [x, 1] as KV).mapWithState(spec);
    const mapped = collectOutput(stream);
    const snapshots = collectOutput(stream.stateSnapshots());
    const retries = recordRetries(ssc);
    await runStreams(ssc, 3, mapped);
    const sorted = (bs: KV[][]): KV[][] => bs.map((b) => [...b].sort());
    expect(sorted(mapped.batches)).toEqual([[['a', 1]], [['a', 2], ['b', 1]], [['a', 3], ['b', 2], ['c', 1]]]);
    expect(sorted(snapshots.batches)).toEqual([[['a', 1]], [['a', 2], ['b', 1]], [['a', 3], ['b', 2], ['c', 1]]]);
    expect(retries.map((r) => [r.time, r.attempt])).toEqual([[2000, 1]]);
  });
});

describe('configuration', () => {
  test.each([
    ['dstreams.batch.maxRetries', '-1'],
    ['dstreams.batch.retryFrom', 'middle'],
    ['dstreams.batch.retryBackoff', 'soon'],
  ])('%s = %s is an error naming the key', (key, value) => {
    try {
      expect(() => createManualContext({ conf: { [key]: value } })).toThrow(key);
      let err: unknown;
      try {
        createManualContext({ conf: { [key]: value } });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigurationError);
    } finally {
      // The context failed in its constructor, after its SparkContext was made.
      SparkContext.getActive()?.stop();
    }
  });
});
