import type { Time } from '../core/Time';
import { BatchInfo } from './BatchInfo';
import type { Job } from './Job';
import type { StreamInputInfo } from './StreamInputInfo';

/** The jobs of one batch: Spark's `JobSet`. Output op ids are assigned in order. */
export class JobSet {
  readonly submissionTime = Date.now();
  processingStartTime: number | undefined;
  processingEndTime: number | undefined;
  /** How many times this batch was submitted again after a failed attempt (`dstreams.batch.maxRetries`). */
  retries = 0;
  private readonly incomplete: Set<Job>;

  constructor(
    readonly time: Time,
    readonly jobs: readonly Job[],
    readonly streamIdToInputInfo: ReadonlyMap<number, StreamInputInfo> = new Map(),
  ) {
    jobs.forEach((j, i) => (j.outputOpId = i));
    this.incomplete = new Set(jobs);
  }

  handleJobStart(job: Job): void {
    job.startTime = Date.now();
    if (this.processingStartTime === undefined) this.processingStartTime = job.startTime;
  }

  handleJobCompletion(job: Job): void {
    job.endTime = Date.now();
    this.incomplete.delete(job);
    if (this.incomplete.size === 0) this.processingEndTime = job.endTime;
  }

  /**
   * Takes jobs that have not started out of the current attempt (a batch retry will run them): the attempt is
   * complete once the jobs that did start have completed.
   */
  skipJobs(jobs: readonly Job[]): void {
    for (const j of jobs) this.incomplete.delete(j);
  }

  /** Makes the given jobs pending again (batch retries). */
  resetJobs(jobs: readonly Job[]): void {
    for (const j of jobs) {
      j.reset();
      this.incomplete.add(j);
    }
    this.processingEndTime = undefined;
  }

  get hasStarted(): boolean {
    return this.processingStartTime !== undefined;
  }

  get hasCompleted(): boolean {
    return this.incomplete.size === 0;
  }

  toBatchInfo(): BatchInfo {
    return new BatchInfo(
      this.time,
      this.streamIdToInputInfo,
      this.submissionTime,
      this.processingStartTime,
      this.processingEndTime,
      new Map(this.jobs.map((j) => [j.outputOpId, j.toOutputOperationInfo()])),
    );
  }
}
