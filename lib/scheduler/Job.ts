import { errorString } from '../core/errors';
import type { Time } from '../core/Time';
import type { OutputOperationInfo } from './OutputOperationInfo';

/** One output operation's work for one batch: Spark's streaming `Job`. */
export class Job {
  outputOpId = -1;
  /** Short name of the output operation (`print`, `foreachRDD`, ...). */
  callSite = '';
  startTime: number | undefined;
  endTime: number | undefined;
  private outcome: { ok: true } | { ok: false; error: unknown } | undefined;

  constructor(
    readonly time: Time,
    private readonly func: () => void | Promise<void>,
  ) {}

  /** `streaming job 1000 ms.0`. */
  get id(): string {
    return `streaming job ${this.time}.${this.outputOpId}`;
  }

  async run(): Promise<void> {
    try {
      await this.func();
      this.outcome = { ok: true };
    } catch (error) {
      this.outcome = { ok: false, error };
    }
  }

  get hasRun(): boolean {
    return this.outcome !== undefined;
  }

  get succeeded(): boolean {
    return this.outcome !== undefined && this.outcome.ok;
  }

  get failed(): boolean {
    return this.outcome !== undefined && !this.outcome.ok;
  }

  get error(): unknown {
    return this.outcome && !this.outcome.ok ? this.outcome.error : undefined;
  }

  /** Forget the outcome so the job can run again (batch retries). */
  reset(): void {
    this.outcome = undefined;
    this.startTime = undefined;
    this.endTime = undefined;
  }

  toOutputOperationInfo(): OutputOperationInfo {
    return {
      batchTime: this.time,
      id: this.outputOpId,
      name: this.callSite,
      description: `${this.callSite} at batch ${this.time}`,
      startTime: this.startTime,
      endTime: this.endTime,
      failureReason: this.failed ? errorString(this.error) : undefined,
    };
  }

  toString(): string {
    return this.id;
  }
}
