/**
 * Scheduler pieces on their own: RecurringTimerSuite (reference §5.1), InputInfoTrackerSuite (§10.9), Job, JobSet and
 * BatchInfo (§1.6, §5.3).
 */
import {
  BatchInfo,
  IllegalArgumentException,
  IllegalStateException,
  InputInfoTracker,
  Job,
  JobSet,
  ManualClock,
  RecurringTimer,
  StreamId,
  Time,
  streamInputInfo,
} from '../../lib';

/** Lets queued promise callbacks and immediates run until `cond` holds (no wall-clock waiting). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

const sid = (n: number): StreamId => n as StreamId;

describe('RecurringTimer', () => {
  test('basic: start(0), advance 100, advance 200, stop(interrupt) returns the last time', async () => {
    const clock = new ManualClock();
    const results: number[] = [];
    const timer = new RecurringTimer(clock, 100, (t) => void results.push(t), 'RecurringTimerSuite-basic');
    expect(timer.start(0)).toBe(0);
    await until(() => results.length === 1, '[0]');
    expect(results).toEqual([0]);
    clock.advance(100);
    await until(() => results.length === 2, '[0, 100]');
    expect(results).toEqual([0, 100]);
    clock.advance(200);
    await until(() => results.length === 4, '[0, 100, 200, 300]');
    expect(results).toEqual([0, 100, 200, 300]);
    expect(await timer.stop(true)).toBe(300);
    clock.advance(1000);
    await new Promise((r) => setImmediate(r));
    expect(results).toEqual([0, 100, 200, 300]);
  });

  test('SPARK-10224: a non-interrupting stop fires once more, then returns that time', async () => {
    const clock = new ManualClock();
    const results: number[] = [];
    const timer = new RecurringTimer(clock, 100, (t) => void results.push(t), 'RecurringTimerSuite-SPARK-10224');
    timer.start(0);
    await until(() => results.length === 1, '[0]');
    clock.advance(100);
    await until(() => results.length === 2, '[0, 100]');
    // The timer now waits for 200; stop without interrupting, then let the clock reach it.
    const stopping = timer.stop(false);
    clock.advance(200);
    expect(await stopping).toBe(200);
    expect(results).toEqual([0, 100, 200]);
    expect(await timer.stop(false)).toBe(200);
  });

  test('start time is the next multiple of the period strictly after now; restart time stays on the original grid', () => {
    const clock = new ManualClock();
    const timer = new RecurringTimer(clock, 1000, () => undefined, 'grid');
    expect(timer.getStartTime()).toBe(1000);
    clock.setTime(1000);
    expect(timer.getStartTime()).toBe(2000);
    clock.setTime(1500);
    expect(timer.getStartTime()).toBe(2000);
    clock.setTime(3500);
    expect(timer.getRestartTime(500)).toBe(4500);
    clock.setTime(4500);
    expect(timer.getRestartTime(500)).toBe(5500);
  });

  test('a long run on the manual clock keeps one waiter; an interrupting stop removes it', async () => {
    const clock = new ManualClock();
    const results: number[] = [];
    const timer = new RecurringTimer(clock, 10, (t) => void results.push(t), 'many');
    timer.start(10);
    for (let i = 1; i <= 50; i++) {
      clock.advance(10);
      await until(() => results.length === i, `${i} ticks`);
    }
    expect(clock.waiterCount).toBe(1);
    await timer.stop(true);
    expect(clock.waiterCount).toBe(0);
  });
});

describe('InputInfoTracker', () => {
  test('report and get input infos of a batch', () => {
    const tracker = new InputInfoTracker();
    const time = new Time(0);
    const info1 = streamInputInfo(sid(0), 100);
    const info2 = streamInputInfo(sid(1), 300);
    tracker.reportInfo(time, info1);
    tracker.reportInfo(time, info2);
    const infos = tracker.getInfo(time);
    expect([...infos.keys()].sort()).toEqual([0, 1]);
    expect(infos.get(0)).toEqual(info1);
    expect(infos.get(1)).toEqual(info2);
    expect(tracker.getInfo(new Time(1000)).size).toBe(0);
  });

  test('cleanup forgets batches strictly older than the threshold', () => {
    const tracker = new InputInfoTracker();
    const info1 = streamInputInfo(sid(0), 100);
    const info2 = streamInputInfo(sid(0), 300);
    tracker.reportInfo(new Time(0), info1);
    tracker.reportInfo(new Time(1), info2);
    tracker.cleanup(new Time(0));
    expect(tracker.getInfo(new Time(0)).get(0)).toEqual(info1);
    expect(tracker.getInfo(new Time(1)).get(0)).toEqual(info2);
    tracker.cleanup(new Time(1));
    expect(tracker.getInfo(new Time(0)).get(0)).toBeUndefined();
    expect(tracker.getInfo(new Time(1)).get(0)).toEqual(info2);
  });

  test('reporting a stream twice for a batch is an error; negative record counts are refused', () => {
    const tracker = new InputInfoTracker();
    tracker.reportInfo(new Time(1000), streamInputInfo(sid(3), 1));
    expect(() => tracker.reportInfo(new Time(1000), streamInputInfo(sid(3), 2))).toThrow(
      new IllegalStateException('Input stream 3 for batch 1000 ms is already added into InputInfoTracker'),
    );
    expect(() => streamInputInfo(sid(3), -1)).toThrow(IllegalArgumentException);
    expect(() => streamInputInfo(sid(3), -1)).toThrow('requirement failed: numRecords must not be negative');
  });
});

describe('Job, JobSet and BatchInfo', () => {
  test('JobSet numbers its jobs; job ids read "streaming job <time>.<i>"', async () => {
    const t = new Time(1000);
    const jobs = [new Job(t, () => undefined), new Job(t, () => undefined)];
    const set = new JobSet(t, jobs, new Map([[0, streamInputInfo(sid(0), 5)]]));
    expect(jobs.map((j) => j.outputOpId)).toEqual([0, 1]);
    expect(jobs.map(String)).toEqual(['streaming job 1000 ms.0', 'streaming job 1000 ms.1']);
    expect(set.hasStarted).toBe(false);
    const submitted = set.toBatchInfo();
    expect(submitted.numRecords).toBe(5);
    expect(submitted.schedulingDelay).toBeUndefined();
    set.handleJobStart(jobs[0]);
    await jobs[0].run();
    set.handleJobCompletion(jobs[0]);
    expect(set.hasCompleted).toBe(false);
    set.handleJobStart(jobs[1]);
    await jobs[1].run();
    set.handleJobCompletion(jobs[1]);
    expect(set.hasCompleted).toBe(true);
    const done = set.toBatchInfo();
    expect(done.processingDelay).toBeGreaterThanOrEqual(0);
    expect(done.totalDelay).toBe((done.schedulingDelay as number) + (done.processingDelay as number));
  });

  test('a job that throws records the failure with its stack as the failure reason', async () => {
    const job = new Job(new Time(2000), () => {
      throw new Error('boom');
    });
    job.outputOpId = 0;
    job.callSite = 'foreachRDD';
    await job.run();
    expect(job.failed).toBe(true);
    const info = job.toOutputOperationInfo();
    expect(info.failureReason).toMatch(/^Error: boom\n\s+at /);
    expect(info.name).toBe('foreachRDD');
  });

  test('BatchInfo delays: scheduling = start - submission, processing = end - start, total = both', () => {
    const b = new BatchInfo(new Time(1000), new Map(), 100, 130, 180, new Map());
    expect(b.schedulingDelay).toBe(30);
    expect(b.processingDelay).toBe(50);
    expect(b.totalDelay).toBe(80);
    const pending = new BatchInfo(new Time(1000), new Map(), 100, undefined, undefined, new Map());
    expect([pending.schedulingDelay, pending.processingDelay, pending.totalDelay]).toEqual([undefined, undefined, undefined]);
  });
});
