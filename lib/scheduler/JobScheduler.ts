import { errorMessage } from '../core/errors';
import { faultPoint } from '../core/FaultPoints';
import { getLogger } from '../core/logging';
import { StreamingConf } from '../core/StreamingConf';
import type { Time } from '../core/Time';
import type { StreamingContext } from '../streaming/StreamingContext';
import { InputInfoTracker } from './InputInfoTracker';
import type { Job } from './Job';
import { JobGenerator } from './JobGenerator';
import type { JobSet } from './JobSet';
import type { ReceiverTrackerApi } from './ReceiverTrackerApi';
import { StreamingListenerBus } from './StreamingListenerBus';

const log = getLogger('JobScheduler');

/**
 * Runs each batch's JobSet: Spark's `JobScheduler`. Jobs go to a FIFO pool of `spark.streaming.concurrentJobs`
 * workers (default 1); listener events are posted as jobs start and complete. A failed job is reported to
 * `awaitTermination` and the context goes on; the failed batch stays pending, as in Spark.
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

  constructor(readonly ssc: StreamingContext) {
    this.concurrency = Math.max(1, StreamingConf.CONCURRENT_JOBS.read(ssc.conf));
    this.jobGenerator = new JobGenerator(this);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.ssc.graph.getReceiverInputStreams().length > 0) {
      this.receiverTracker = this.ssc.createReceiverTracker();
      await this.receiverTracker.start();
    }
    await this.jobGenerator.start();
    log.info('Started JobScheduler');
  }

  /** Stops receivers, the generator (gracefully or not) and the job pool, then the listener bus. */
  async stop(processAllReceivedData: boolean): Promise<void> {
    if (!this.started || this.stopped) return;
    await this.receiverTracker?.stop(processAllReceivedData);
    await this.jobGenerator.stop(processAllReceivedData);
    if (processAllReceivedData) await this.allJobsDone();
    else this.queue.length = 0;
    this.stopped = true;
    await this.listenerBus.waitUntilEmpty();
    this.listenerBus.stop();
    log.info('Stopped JobScheduler');
  }

  /** Batch times whose JobSet was submitted and has not completed successfully. */
  getPendingTimes(): Time[] {
    return [...this.jobSets.values()].map((j) => j.time);
  }

  /** Queues a batch's jobs; a JobSet without jobs is only logged (no events), as in Spark. Returns whether queued. */
  submitJobSet(jobSet: JobSet): boolean {
    if (jobSet.jobs.length === 0) {
      log.info({ time: String(jobSet.time) }, `No jobs added for time ${jobSet.time}`);
      return false;
    }
    this.listenerBus.post('onBatchSubmitted', { batchInfo: jobSet.toBatchInfo() });
    this.jobSets.set(jobSet.time.milliseconds, jobSet);
    for (const job of jobSet.jobs) this.queue.push({ job, jobSet });
    this.pump();
    return true;
  }

  /** Puts jobs of an existing JobSet back in the queue (batch retries). */
  resubmit(jobSet: JobSet, jobs: readonly Job[]): void {
    jobSet.resetJobs(jobs);
    for (const job of jobs) this.queue.push({ job, jobSet });
    this.pump();
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
        if (this.running === 0 && this.queue.length === 0) this.flushIdle();
      });
    }
  }

  private allJobsDone(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
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
      const b = jobSet.toBatchInfo();
      log.info(
        { time: String(jobSet.time) },
        `Total delay: ${((b.totalDelay ?? 0) / 1000).toFixed(3)} s for time ${jobSet.time} (execution: ${((b.processingDelay ?? 0) / 1000).toFixed(3)} s)`,
      );
    }
  }
}
