/**
 * StreamingContext lifecycle and error messages (reference §1.1, §10.9 StreamingContextSuite), on the ManualClock.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Duration,
  IllegalArgumentException,
  IllegalStateException,
  type RDD,
  Seconds,
  SparkConf,
  SparkContext,
  SparkException,
  StreamingContext,
  StreamingContextState,
  Time,
  rddToFileName,
} from '../../lib';
import { collectOutput, createManualContext, stopAllContexts, stopContext, TestInputStream } from './harness';

afterEach(stopAllContexts);

function manualConf(): SparkConf {
  return new SparkConf(false).setMaster('local[2]').setAppName('ssc-test').set('spark.streaming.clock', 'manual');
}

describe('construction', () => {
  test('from a conf, from master and app name, from a SparkContext', async () => {
    const conf = manualConf().set('spark.dummyKey', 'dummyValue');
    const a = new StreamingContext(conf, Seconds(1));
    expect(a.sparkContext.conf.get('spark.dummyKey')).toBe('dummyValue');
    expect(a.graph.batchDuration?.milliseconds).toBe(1000);
    expect(a.getState()).toBe(StreamingContextState.INITIALIZED);
    await a.stop();
    expect(a.sparkContext.isStopped()).toBe(true);

    const b = new StreamingContext('local[2]', 'app-b', Seconds(2));
    expect(b.sparkContext.master).toBe('local[2]');
    expect(b.sparkContext.appName).toBe('app-b');
    await b.stop();

    const sc = new SparkContext('local[2]', 'app-c');
    const c = new StreamingContext(sc, Seconds(1));
    expect(c.sparkContext).toBe(sc);
    await c.stop();
    expect(sc.isStopped()).toBe(true);
  });

  test('a missing batch duration is Spark\'s requirement error', () => {
    expect(() => new StreamingContext(manualConf(), undefined as unknown as Duration)).toThrow(
      new IllegalArgumentException('requirement failed: Batch duration for StreamingContext cannot be null'),
    );
  });

  test('a construction that fails after making its SparkContext stops it again', () => {
    const conf = manualConf().set('dstreams.fault.point', 'no.such.point');
    expect(() => new StreamingContext(conf, Seconds(1))).toThrow(/Unknown fault point 'no.such.point'/);
    expect(SparkContext.getActive()).toBeUndefined();
  });

  test('spark.streaming.checkpoint.directory sets the checkpoint directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssc-cp-'));
    const ssc = new StreamingContext(manualConf().set('spark.streaming.checkpoint.directory', dir), Seconds(1));
    expect(ssc.checkpointDir).toBe(dir);
    await ssc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('remember may be set once', async () => {
    const ssc = createManualContext();
    ssc.remember(Seconds(3));
    expect(() => ssc.remember(Seconds(4))).toThrow('Remember duration already set as 3000 ms. Cannot set it again.');
  });

  test('rddToFileName: prefix-<ms>.suffix, empty parts omitted', () => {
    expect(rddToFileName('out', 'txt', new Time(1000))).toBe('out-1000.txt');
    expect(rddToFileName('out', '', new Time(1000))).toBe('out-1000');
    expect(rddToFileName(undefined, 'txt', new Time(1000))).toBe('1000.txt');
    expect(rddToFileName('', undefined, new Time(2000))).toBe('2000');
  });
});

describe('state transitions', () => {
  test('INITIALIZED -> ACTIVE -> STOPPED; the SparkContext stops by default', async () => {
    const ssc = createManualContext();
    collectOutput(new TestInputStream(ssc, [[1]]));
    expect(ssc.getState()).toBe('INITIALIZED');
    await ssc.start();
    expect(ssc.getState()).toBe('ACTIVE');
    expect(StreamingContext.getActive()).toBe(ssc);
    await ssc.stop();
    expect(ssc.getState()).toBe('STOPPED');
    expect(ssc.sparkContext.isStopped()).toBe(true);
    expect(StreamingContext.getActive()).toBeUndefined();
  });

  test('start with no output operation fails with Spark\'s message and leaves the context STOPPED', () => {
    const ssc = createManualContext();
    new TestInputStream(ssc, [[1]]);
    expect(() => ssc.start()).toThrow(new IllegalArgumentException('requirement failed: No output operations registered, so nothing to execute'));
    expect(ssc.getState()).toBe('STOPPED');
    expect(StreamingContext.getActive()).toBeUndefined();
  });

  test('start twice is a no-op; stop twice and stop before start are fine; start after stop fails', async () => {
    const ssc = createManualContext();
    collectOutput(new TestInputStream(ssc, [[1]]));
    await ssc.start();
    await ssc.start();
    expect(ssc.getState()).toBe('ACTIVE');
    await ssc.stop(false);
    await ssc.stop(false);
    expect(ssc.getState()).toBe('STOPPED');
    expect(() => ssc.start()).toThrow(new IllegalStateException('StreamingContext has already been stopped'));

    const never = new StreamingContext(ssc.sparkContext, Seconds(1));
    await never.stop(false);
    expect(never.getState()).toBe('STOPPED');
    expect(() => never.start()).toThrow('StreamingContext has already been stopped');
    await stopContext(ssc);
  });

  test('stop(stopSparkContext = false) keeps the SparkContext; a later stop(true) stops it', async () => {
    const ssc = createManualContext();
    collectOutput(new TestInputStream(ssc, [[1]]));
    await ssc.start();
    await ssc.stop(false);
    expect(ssc.sparkContext.isStopped()).toBe(false);
    expect(await ssc.sparkContext.makeRDD([1, 2, 3], 2).count()).toBe(3);
    await ssc.stop(true);
    expect(ssc.sparkContext.isStopped()).toBe(true);
  });

  test('adding streams after start or after stop fails with Spark\'s messages', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1]]);
    input.foreachRDD(() => undefined);
    await ssc.start();
    const active = 'Adding new inputs, transformations, and output operations after starting a context is not supported';
    expect(() => input.map((x) => x)).toThrow(new IllegalStateException(active));
    expect(() => input.foreachRDD(() => undefined)).toThrow(active);
    expect(() => new TestInputStream(ssc, [[1]])).toThrow(active);
    expect(() => ssc.queueStream<number>([])).toThrow(active);
    await ssc.stop(false);
    const stopped = 'Adding new inputs, transformations, and output operations after stopping a context is not supported';
    expect(() => input.map((x) => x)).toThrow(new IllegalStateException(stopped));
    expect(() => ssc.queueStream<number>([])).toThrow(stopped);
    await stopContext(ssc);
  });

  test('persist and checkpoint(interval) after start are refused', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1]]);
    const mapped = input.map((x) => x);
    mapped.foreachRDD(() => undefined);
    await ssc.start();
    expect(() => mapped.cache()).toThrow('Cannot change storage level of a DStream after streaming context has started');
    expect(() => mapped.checkpoint(Seconds(10))).toThrow('Cannot change checkpoint interval of a DStream after streaming context has started');
  });

  test('only one context may be active; the second start names where the first started', async () => {
    const ssc = createManualContext();
    collectOutput(new TestInputStream(ssc, [[1]]));
    await ssc.start();
    const another = new StreamingContext(ssc.sparkContext, Seconds(10));
    collectOutput(new TestInputStream(another, [[1]]));
    let err: unknown;
    try {
      another.start();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IllegalStateException);
    expect((err as Error).message).toMatch(/^Only one StreamingContext may be started in this JVM\. Currently running StreamingContext was started at\n/);
    expect((err as Error).message).toContain('StreamingContext.test.ts');
    expect(another.getState()).toBe('INITIALIZED');
    expect(StreamingContext.getActive()).toBe(ssc);
    await ssc.stop(false);
    // Once the first is stopped, the second may start.
    await another.start();
    expect(StreamingContext.getActive()).toBe(another);
    await another.stop(true);
  });

  test('an unused input stream does not break the context', async () => {
    const ssc = createManualContext();
    new TestInputStream(ssc, [[1]]);
    const used = new TestInputStream(ssc, [[2], [3]]);
    const out = collectOutput(used);
    await ssc.start();
    await ssc.step(2);
    expect(out.batches).toEqual([[2], [3]]);
  });
});

describe('awaitTermination', () => {
  test('awaitTerminationOrTimeout: false while running, true once stopped; awaitTermination resolves on stop', async () => {
    const ssc = createManualContext();
    collectOutput(new TestInputStream(ssc, [[1]]));
    await ssc.start();
    expect(await ssc.awaitTerminationOrTimeout(20)).toBe(false);
    const waiting = ssc.awaitTermination();
    const waitingWithTimeout = ssc.awaitTerminationOrTimeout(60_000);
    await ssc.step(1);
    await ssc.stop(false);
    await expect(waiting).resolves.toBeUndefined();
    await expect(waitingWithTimeout).resolves.toBe(true);
    expect(await ssc.awaitTerminationOrTimeout(0)).toBe(true);
  });

  test('an error in a task rejects awaitTermination; the context goes on', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1], [2], [3]]);
    const out: number[][] = [];
    input
      .map((x) => {
        if (x === 2) throw new Error('This is a failed map task');
        return x;
      })
      .foreachRDD(async (rdd) => void out.push(await rdd.collect()));
    await ssc.start();
    const waiting = ssc.awaitTermination();
    await ssc.step(1);
    await expect(ssc.step(1)).rejects.toThrow('This is a failed map task');
    await expect(waiting).rejects.toThrow('This is a failed map task');
    await expect(ssc.awaitTerminationOrTimeout(10)).rejects.toThrow('This is a failed map task');
    // Not stopped: the next batch runs, the failed one stays pending (no batch retry).
    expect(ssc.getState()).toBe('ACTIVE');
    await ssc.step(1);
    expect(out).toEqual([[1], [3]]);
    expect(ssc.scheduler.getPendingTimes().map((t) => t.milliseconds)).toEqual([2000]);
  });

  test('an error in job generation rejects awaitTermination with that error; no JobSet for that time', async () => {
    class TestException extends Error {}
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1], [2], [3]]);
    const out = collectOutput(
      input.transform((rdd: RDD<number>, t: Time) => {
        if (t.milliseconds === 2000) throw new TestException('error in transform');
        return rdd;
      }),
    );
    await ssc.start();
    await expect(ssc.step(3)).rejects.toBeInstanceOf(TestException);
    const err = await ssc.awaitTermination().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestException);
    expect(out.times.map((t) => t.milliseconds)).toEqual([1000, 3000]);
    expect(ssc.scheduler.getPendingTimes()).toEqual([]);
  });
});

describe('failure semantics (reference §5.4)', () => {
  test('only the job completing last decides: an earlier failure with a later success clears the batch (Spark\'s quirk)', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1], [2]]);
    input.foreachRDD((_rdd, t) => {
      if (t.milliseconds === 1000) throw new Error('first output fails');
    });
    const out = collectOutput(input);
    await ssc.start();
    await expect(ssc.step(1)).rejects.toThrow('first output fails');
    expect(ssc.scheduler.getPendingTimes()).toEqual([]);
    await expect(ssc.awaitTerminationOrTimeout(0)).rejects.toThrow('first output fails');
    await ssc.step(1);
    expect(out.batches).toEqual([[1], [2]]);
  });

  test('a failed batch keeps its RDDs (no clearMetadata for it) while later batches are cleaned', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1], [2], [3]]);
    const mapped = input.map((x) => x);
    mapped.foreachRDD((_rdd, t) => {
      if (t.milliseconds === 2000) throw new Error('batch 2 fails');
    });
    await ssc.start();
    await expect(ssc.step(2)).rejects.toThrow('batch 2 fails');
    // Batch 2 failed: nothing cleared for it, so batch 1's RDD (older than the 1 s remember) is still there.
    expect([...mapped.generatedRDDs.keys()]).toEqual([1000, 2000]);
    await ssc.step(1);
    expect([...mapped.generatedRDDs.keys()]).toEqual([3000]);
    expect(ssc.scheduler.getPendingTimes().map((t) => t.milliseconds)).toEqual([2000]);
  });
});

describe('spark.streaming.concurrentJobs', () => {
  test('with 2, the output operations of a batch run at the same time', async () => {
    const ssc = createManualContext({ conf: { 'spark.streaming.concurrentJobs': 2 } });
    const input = new TestInputStream(ssc, [[1]]);
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    // The first operation waits for the second: it finishes only if both run concurrently.
    input.foreachRDD(async () => {
      order.push('op0 start');
      await released;
      order.push('op0 end');
    });
    input.foreachRDD(() => {
      order.push('op1');
      release();
    });
    await ssc.start();
    await ssc.step(1);
    expect(order).toEqual(['op0 start', 'op1', 'op0 end']);
  });

  test('with 1 (the default), they run one after another in registration order', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1]]);
    const order: string[] = [];
    input.foreachRDD(async () => {
      order.push('op0 start');
      await new Promise((r) => setImmediate(r));
      order.push('op0 end');
    });
    input.foreachRDD(() => void order.push('op1'));
    await ssc.start();
    await ssc.step(1);
    expect(order).toEqual(['op0 start', 'op0 end', 'op1']);
  });
});

describe('stop', () => {
  test('graceful stop on the manual clock runs the pending batch before stopping', async () => {
    const ssc = createManualContext();
    const out = collectOutput(new TestInputStream(ssc, [[1], [2], [3]]));
    await ssc.start();
    await ssc.step(1);
    await ssc.stop(false, true);
    expect(out.batches).toEqual([[1], [2]]);
    await stopContext(ssc);
  });

  test('no batches run after stop', async () => {
    const ssc = createManualContext();
    const out = collectOutput(new TestInputStream(ssc, [[1], [2], [3]]));
    await ssc.start();
    await ssc.step(1);
    await ssc.stop(false);
    (ssc.clock as unknown as { advance(ms: number): void }).advance(5000);
    await new Promise((r) => setImmediate(r));
    expect(out.batches).toEqual([[1]]);
    await stopContext(ssc);
  });
});

describe('step', () => {
  test('step on the system clock is a clear error', async () => {
    const ssc = new StreamingContext(new SparkConf(false).setMaster('local[2]').setAppName('system-clock'), Seconds(1));
    collectOutput(new TestInputStream(ssc, [[1]]));
    await expect(ssc.step()).rejects.toThrow(
      'step() needs the manual clock, but this context runs on the system clock (spark.streaming.clock = org.apache.spark.util.SystemClock): set spark.streaming.clock to manual (or org.apache.spark.util.ManualClock)',
    );
    await ssc.stop();
  });

  test('step before start is a clear error', async () => {
    const ssc = createManualContext();
    collectOutput(new TestInputStream(ssc, [[1]]));
    await expect(ssc.step()).rejects.toThrow('step() needs an active context: this one is INITIALIZED (call start() first)');
  });

  test('batch times are zeroTime + k * batch, zeroTime = first tick - batch (clock at 0 => 1000, 2000, ...)', async () => {
    const ssc = createManualContext({ batchDuration: Seconds(2) });
    const out = collectOutput(new TestInputStream(ssc, [[1], [2], [3]]));
    await ssc.start();
    expect(ssc.graph.zeroTime?.milliseconds).toBe(0);
    await ssc.step(3);
    expect(out.times.map((t) => t.milliseconds)).toEqual([2000, 4000, 6000]);
    expect(ssc.clock.getTimeMillis()).toBe(6000);
  });

  test('a clock that starts mid-batch starts at the next batch boundary', async () => {
    const ssc = createManualContext();
    (ssc.clock as unknown as { setTime(ms: number): void }).setTime(1500);
    const out = collectOutput(new TestInputStream(ssc, [[1], [2]]));
    await ssc.start();
    expect(ssc.graph.zeroTime?.milliseconds).toBe(1000);
    await ssc.step(2);
    expect(out.times.map((t) => t.milliseconds)).toEqual([2000, 3000]);
    expect(out.batches).toEqual([[1], [2]]);
  });
});

describe('errors are SparkExceptions where Spark throws one', () => {
  test('slice on a stream of a context that never started', () => {
    const ssc = createManualContext();
    const s = new TestInputStream(ssc, [[1]]);
    expect(() => s.slice(new Time(0), new Time(1000))).toThrow(SparkException);
  });
});
