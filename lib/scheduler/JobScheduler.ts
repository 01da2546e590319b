import type { ManualClock } from '../core/clock/ManualClock';
import { Deferred } from '../core/Deferred';
import { errorMessage } from '../core/errors';
import { faultPoint } from '../core/FaultPoints';
import { getLogger } from '../core/logging';
import { StreamingConf } from '../core/StreamingConf';
import { Time } from '../core/Time';
import type { StreamingContext } from '../streaming/StreamingContext';
import { BatchRetryPolicy } from './BatchRetryPolicy';
import { InputInfoTracker } from './InputInfoTracker';
import type { Job } from './Job';
import { JobGenerator } from './JobGenerator';
import type { JobSet } from './JobSet';
import type { ReceiverTrackerApi } from './ReceiverTrackerApi';
import { StopSequence } from './StopSequence';
import { StreamingListenerBus } from './StreamingListenerBus';

const log = getLogger('JobScheduler');

/** A failed batch waiting for its next attempt. */
interface PendingRetry {
  readonly jobSet: JobSet;
  /** The context clock's time at which the retry starts. */
  readonly dueMs: number;
  readonly wait: AbortController;
}

/**
 * Runs each batch's JobSet: Spark's `JobScheduler`. Jobs go to a FIFO pool of `spark.streaming.concurrentJobs`
 * workers (default 1); listener events are posted as jobs start and complete. A failed job is reported to
 * `awaitTermination` and the context goes on; the failed batch stays pending, as in Spark.
 *
 * Batch retries (ours, `dstreams.batch.maxRetries` > 0, see {@link BatchRetryPolicy}): batches run one after
 * another (a batch's output operations still run `concurrentJobs` at a time), so a retried batch's output stays
 * before the next batch's. When a job fails and the batch has retries left, its jobs that have not started are
 * skipped; once the attempt's running jobs are done the batch is submitted again (`onBatchRetry`, a log line)
 * when the context's clock reaches the attempt's end plus `dstreams.batch.retryBackoff`, with the same Jobs, so
 * the same RDDs and input. Later batches are generated on time and wait. After the last retry the failure goes
 * where Spark sends it: each failed job to `awaitTermination`, and the batch stays pending.
 */
export class JobScheduler {
  readonly listenerBus = new StreamingListenerBus();
  readonly inputInfoTracker = new InputInfoTracker();
  readonly jobGenerator: JobGenerator;
  receiverTracker: ReceiverTrackerApi | undefined;
  private readonly jobSets = new Map<number, JobSet>();
  private readonly queue: Array<{ job: Job; jobSet: JobSet }> = [];
  private running = 0;
  private readonly concurrency: number;
  private started = false;
  private stopped = false;
  private idle: Array<() => void> = [];
  readonly retryPolicy: BatchRetryPolicy;
  /** With retries on: the batch whose jobs may run; later ones wait in `held`, in time order. */
  private head: JobSet | undefined;
  private readonly held: JobSet[] = [];
  private pendingRetry: PendingRetry | undefined;
  /** Resolved (and replaced) whenever a retry is scheduled, so `stepBatch` can move the manual clock to it. */
  private retryScheduled = new Deferred();
  private stopping: 'graceful' | 'immediate' | undefined;
  /** The stop in progress or done (its state and history), once `stop` was called. */
  stopSequence: StopSequence | undefined;
  /** `stepBatch`: the next batch to wait for when a retry moved the manual clock past later batch times. */
  private stepCursor: Time | undefined;

  constructor(readonly ssc: StreamingContext) {
    this.concurrency = Math.max(1, StreamingConf.CONCURRENT_JOBS.read(ssc.conf));
    this.retryPolicy = BatchRetryPolicy.fromConf(ssc.conf, ssc.graph.batchDuration!);
    this.jobGenerator = new JobGenerator(this);
  }

  /** The synchronous part of starting: builds the receiver tracker and validates the graph (see JobGenerator). */
  prepareStart(): void {
    if (this.ssc.graph.getReceiverInputStreams().length > 0 && !this.receiverTracker) {
      this.receiverTracker = this.ssc.createReceiverTracker();
    }
    this.jobGenerator.prepareStart();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.prepareStart();
    await this.receiverTracker?.start();
    await this.jobGenerator.start();
    log.info('Started JobScheduler');
  }

  /** Stops receivers, the generator (gracefully or not) and the job pool, then the listener bus. */
  async stop(processAllReceivedData: boolean): Promise<void> {
    if (!this.started || this.stopped) return;
    // A graceful stop runs a pending retry now (no backoff); an immediate one drops it (the batch stays pending).
    this.stopping = processAllReceivedData ? 'graceful' : 'immediate';
    this.pendingRetry?.wait.abort();
    const gen = this.jobGenerator;
    const tracker = this.receiverTracker;
    const timeout = StreamingConf.GRACEFUL_STOP_TIMEOUT.read(this.ssc.conf) ?? 10 * this.ssc.graph.batchDuration!.milliseconds;
    this.stopSequence = new StopSequence(
      {
        stopReceivers: async (graceful) => tracker?.stopReceivers(graceful),
        hasUnallocatedBlocks: () => tracker?.hasUnallocatedBlocks() ?? false,
        nudgeClock: () => gen.advanceManualClock(),
        stopTimer: (graceful) => gen.stopTimer(graceful),
        lastProcessedBatch: () => gen.lastProcessedBatchMs,
        jobsDone: () => this.allJobsDone(),
        dropQueuedJobs: () => {
          this.queue.length = 0;
          this.held.length = 0;
        },
        flushCheckpoints: () => gen.flush(),
        stopInputs: () => this.ssc.graph.stop(),
        closeLogs: async () => {
          await gen.close();
          await tracker?.close();
        },
      },
      timeout,
      this.ssc.clock,
    );
    await this.stopSequence.run(processAllReceivedData);
    this.stopped = true;
    await this.listenerBus.waitUntilEmpty();
    this.listenerBus.stop();
    log.info('Stopped JobScheduler');
  }

  /** Batch times whose JobSet was submitted and has not completed successfully. */
  getPendingTimes(): Time[] {
    return [...this.jobSets.values()].map((j) => j.time);
  }

  /**
   * Queues a batch's jobs; a JobSet without jobs is only logged (no events), as in Spark. Returns whether queued
   * (with retries on, an empty JobSet behind an unfinished batch is held too, so batches settle in order).
   */
  submitJobSet(jobSet: JobSet): boolean {
    const ordered = this.retryPolicy.enabled;
    if (jobSet.jobs.length === 0 && !(ordered && this.head !== undefined)) {
      log.info({ time: String(jobSet.time) }, `No jobs added for time ${jobSet.time}`);
      return false;
    }
    if (jobSet.jobs.length > 0) {
      this.listenerBus.post('onBatchSubmitted', { batchInfo: jobSet.toBatchInfo() });
      this.jobSets.set(jobSet.time.milliseconds, jobSet);
    }
    if (!ordered) {
      for (const job of jobSet.jobs) this.queue.push({ job, jobSet });
      this.pump();
    } else if (this.head === undefined) {
      this.admit(jobSet);
    } else {
      let i = this.held.length;
      while (i > 0 && jobSet.time.less(this.held[i - 1].time)) i--;
      this.held.splice(i, 0, jobSet);
    }
    return true;
  }

  /** Puts jobs of an existing JobSet back in the queue (batch retries). */
  resubmit(jobSet: JobSet, jobs: readonly Job[]): void {
    jobSet.resetJobs(jobs);
    for (const job of jobs) this.queue.push({ job, jobSet });
    this.pump();
  }

  /** The time a failed batch's next attempt waits for on the context's clock, if one is pending. */
  get pendingRetryTime(): Time | undefined {
    return this.pendingRetry === undefined ? undefined : new Time(this.pendingRetry.dueMs);
  }

  /**
   * One batch of `ssc.step()`: takes the manual clock to the next batch time and waits until that batch is done
   * (completed and cleaned up, or failed for good). While that batch or an earlier one waits for a retry, the
   * clock is moved to the retry's time (which may also pass later batch times: those batches are generated on
   * time, wait behind the retried one, and are the ones the following steps wait for, without moving the clock).
   * So `step(n)` always runs n batches, in order, however many retries they take.
   */
  async stepBatch(clock: ManualClock): Promise<void> {
    const next = this.jobGenerator.nextBatchTime();
    const cursor = this.stepCursor;
    this.stepCursor = undefined;
    const catchingUp = cursor !== undefined && cursor.less(next);
    const t = catchingUp ? cursor : next;
    if (clock.getTimeMillis() < t.milliseconds) clock.setTime(t.milliseconds);
    let settled = false;
    const done = this.jobGenerator.waitForBatch(t).then(() => (settled = true));
    let moved = false;
    while (!settled) {
      const scheduled = this.retryScheduled.promise;
      const r = this.pendingRetry;
      if (r !== undefined && clock.getTimeMillis() < r.dueMs) {
        clock.setTime(r.dueMs);
        moved = true;
      }
      await Promise.race([done, scheduled]);
    }
    const after = t.plus(this.ssc.graph.batchDuration!);
    if ((moved || catchingUp) && after.less(this.jobGenerator.nextBatchTime())) this.stepCursor = after;
  }

  reportError(message: string, e: unknown): void {
    log.error({ err: e }, `${message}: ${errorMessage(e)}`);
    this.ssc.waiter.notifyError(e);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0 && !this.stopped) {
      const next = this.queue.shift() as { job: Job; jobSet: JobSet };
      this.running++;
      void this.runJob(next.job, next.jobSet).finally(() => {
        this.running--;
        this.pump();
        if (this.isIdle) this.flushIdle();
      });
    }
  }

  private get isIdle(): boolean {
    return this.running === 0 && this.queue.length === 0 && this.pendingRetry === undefined && this.held.length === 0;
  }

  private allJobsDone(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private flushIdle(): void {
    const ws = this.idle;
    this.idle = [];
    for (const w of ws) w();
  }

  private async runJob(job: Job, jobSet: JobSet): Promise<void> {
    const first = !jobSet.hasStarted;
    jobSet.handleJobStart(job);
    if (first) this.listenerBus.post('onBatchStarted', { batchInfo: jobSet.toBatchInfo() });
    this.listenerBus.post('onOutputOperationStarted', { outputOperationInfo: job.toOutputOperationInfo() });
    await job.run();
    this.handleJobCompletion(job, jobSet);
  }

  private handleJobCompletion(job: Job, jobSet: JobSet): void {
    if (this.retryPolicy.enabled) this.handleJobCompletionWithRetries(job, jobSet);
    else this.handleJobCompletionAsSpark(job, jobSet);
  }

  /** Spark's completion handling, quirk included: only the job completing last decides the batch's fate. */
  private handleJobCompletionAsSpark(job: Job, jobSet: JobSet): void {
    jobSet.handleJobCompletion(job);
    this.listenerBus.post('onOutputOperationCompleted', { outputOperationInfo: job.toOutputOperationInfo() });
    if (!job.failed && !jobSet.hasCompleted) faultPoint('job.between-outputs');
    if (jobSet.hasCompleted) {
      if (!job.failed) faultPoint('job.after-output');
      this.listenerBus.post('onBatchCompleted', { batchInfo: jobSet.toBatchInfo() });
    }
    if (job.failed) {
      this.reportError(`Error running job ${job}`, job.error);
      if (jobSet.hasCompleted) this.jobGenerator.onBatchFailure(jobSet.time);
    } else if (jobSet.hasCompleted) {
      this.jobSets.delete(jobSet.time.milliseconds);
      this.jobGenerator.onBatchCompletion(jobSet.time);
      this.logTotalDelay(jobSet);
    }
  }

  /**
   * Completion with batch retries: a failure while retries are left skips the batch's jobs that have not started
   * and, once the attempt's running jobs are done, schedules the retry. In the last attempt every job runs and
   * each failure is reported, as in Spark; the batch fails (stays pending) if any of them failed.
   */
  private handleJobCompletionWithRetries(job: Job, jobSet: JobSet): void {
    jobSet.handleJobCompletion(job);
    this.listenerBus.post('onOutputOperationCompleted', { outputOperationInfo: job.toOutputOperationInfo() });
    const canRetry = this.retryPolicy.canRetry(jobSet.retries);
    if (job.failed && canRetry) jobSet.skipJobs(this.dequeue(jobSet));
    else if (job.failed) this.reportError(`Error running job ${job} (batch retries used: ${jobSet.retries})`, job.error);
    else if (!jobSet.hasCompleted) faultPoint('job.between-outputs');
    if (!jobSet.hasCompleted) return;
    const failed = jobSet.jobs.filter((j) => j.failed);
    if (failed.length > 0 && canRetry) {
      this.scheduleRetry(jobSet, failed);
      return;
    }
    if (failed.length === 0) faultPoint('job.after-output');
    this.listenerBus.post('onBatchCompleted', { batchInfo: jobSet.toBatchInfo() });
    if (failed.length > 0) {
      this.jobGenerator.onBatchFailure(jobSet.time);
    } else {
      this.jobSets.delete(jobSet.time.milliseconds);
      this.jobGenerator.onBatchCompletion(jobSet.time);
      this.logTotalDelay(jobSet);
    }
    this.advanceHead(jobSet);
  }

  /** Takes `jobSet`'s jobs that have not started out of the queue and returns them. */
  private dequeue(jobSet: JobSet): Job[] {
    const out: Job[] = [];
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].jobSet === jobSet) out.unshift(this.queue.splice(i, 1)[0].job);
    }
    return out;
  }

  private scheduleRetry(jobSet: JobSet, failed: readonly Job[]): void {
    jobSet.retries++;
    const attempt = jobSet.retries;
    const first = failed.reduce((a, b) => (b.outputOpId < a.outputOpId ? b : a));
    const cause = `${first} failed: ${errorMessage(first.error)}`;
    const now = this.ssc.clock.getTimeMillis();
    const dueMs = this.stopping === undefined ? now + this.retryPolicy.backoff.milliseconds : now;
    const time = jobSet.time;
    log.warn(
      { time: String(time), attempt, maxRetries: this.retryPolicy.maxRetries, retryAt: dueMs, err: first.error },
      `Batch ${time} failed (${cause}); retry ${attempt} of ${this.retryPolicy.maxRetries} at ${dueMs} ms (retryFrom ${this.retryPolicy.retryFrom})`,
    );
    this.listenerBus.post('onBatchRetry', { batchTime: time, attempt, cause });
    const wait = new AbortController();
    this.pendingRetry = { jobSet, dueMs, wait };
    const scheduled = this.retryScheduled;
    this.retryScheduled = new Deferred();
    scheduled.resolve();
    void this.ssc.clock.waitTillTime(dueMs, wait.signal).then(() => {
      if (this.pendingRetry?.wait !== wait) return;
      this.pendingRetry = undefined;
      if (this.stopping === 'immediate' || this.stopped) {
        log.warn({ time: String(time) }, `Batch ${time} not retried: the context stopped (the batch stays pending)`);
        return;
      }
      const jobs = this.retryPolicy.jobsToRetry(jobSet);
      log.info({ time: String(time), attempt, jobs: jobs.map(String) }, `Retrying batch ${time} (retry ${attempt})`);
      this.resubmit(jobSet, jobs);
    });
  }

  /** The batch at the head is done (completed or failed for good): the next held batch may run. */
  private advanceHead(jobSet: JobSet): void {
    if (this.head !== jobSet) return;
    this.head = undefined;
    while (this.head === undefined && this.held.length > 0) {
      const next = this.held.shift() as JobSet;
      if (next.jobs.length > 0) {
        this.admit(next);
      } else {
        log.info({ time: String(next.time) }, `No jobs added for time ${next.time}`);
        this.jobGenerator.onBatchFailure(next.time);
      }
    }
    if (this.isIdle) this.flushIdle();
  }

  private admit(jobSet: JobSet): void {
    this.head = jobSet;
    for (const job of jobSet.jobs) this.queue.push({ job, jobSet });
    this.pump();
  }

  private logTotalDelay(jobSet: JobSet): void {
    const b = jobSet.toBatchInfo();
    log.info(
      { time: String(jobSet.time) },
      `Total delay: ${((b.totalDelay ?? 0) / 1000).toFixed(3)} s for time ${jobSet.time} (execution: ${((b.processingDelay ?? 0) / 1000).toFixed(3)} s)`,
    );
  }
}
