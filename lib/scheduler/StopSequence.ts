import { ManualClock } from '../core/clock/ManualClock';
import { getLogger } from '../core/logging';

const log = getLogger('StopSequence');

/**
 * The states a stop goes through, in order. A graceful stop visits every state; an immediate stop skips the
 * waits (it goes from stopping the receivers straight to stopping the inputs).
 */
export const STOP_STATES = [
  'RUNNING',
  'STOPPING_RECEIVERS', // receivers stop; their block generators cut and push a last block
  'ALLOCATING_RECEIVED_DATA', // every received block is given to a batch
  'GENERATING_LAST_BATCH', // the timer fires once more and stops
  'PROCESSING_BATCHES', // every generated batch runs and completes
  'CHECKPOINTING', // the last checkpoint is on disk
  'STOPPING_INPUTS', // input streams stop (after the last batch was generated: SPARK-22955)
  'CLOSING_LOGS', // the metadata log and the checkpoint writer close
  'STOPPED',
] as const;

export type StopState = (typeof STOP_STATES)[number];

/** What the sequence drives: the scheduler's pieces, each step one call. */
export interface StopSteps {
  stopReceivers(graceful: boolean): Promise<void>;
  hasUnallocatedBlocks(): boolean;
  /** On a manual clock, moves it to the next batch time (nothing else would); no-op on the system clock. */
  nudgeClock(): void;
  /** Stops the timer: graceful lets it fire once more. Resolves with the last batch time generated (or -1). */
  stopTimer(graceful: boolean): Promise<number>;
  /** The last batch time fully processed (completed, checkpointed, cleaned). */
  lastProcessedBatch(): number;
  /** Resolves when no job is queued or running. */
  jobsDone(): Promise<void>;
  /** Drops queued jobs (immediate stop). */
  dropQueuedJobs(): void;
  flushCheckpoints(): Promise<void>;
  stopInputs(): Promise<void>;
  closeLogs(): Promise<void>;
}

/**
 * Spark's stop sequence (`JobScheduler.stop` / `JobGenerator.stop`, reference §5.6) as a small state machine:
 * stop receivers, turn all received data into batches, run every generated batch, write the last checkpoint, stop
 * the inputs, close the logs. Each wait of a graceful stop is bounded by `timeoutMs`
 * (`spark.streaming.gracefulStopTimeout`, default 10 batches); a wait that runs out is logged with the state it was
 * in and the stop goes on, so a stop always ends and leaves whole files on disk.
 */
export class StopSequence {
  private stateValue: StopState = 'RUNNING';
  /** Every state entered, in order, with the time spent in the previous one (tests, logs, the UI). */
  readonly history: Array<{ state: StopState; atMs: number }> = [];
  /** States whose wait ran out. */
  readonly timedOut: StopState[] = [];

  constructor(
    private readonly steps: StopSteps,
    private readonly timeoutMs: number,
    private readonly clock: unknown,
    private readonly onState: (s: StopState) => void = () => undefined,
  ) {}

  get state(): StopState {
    return this.stateValue;
  }

  async run(graceful: boolean): Promise<void> {
    const s = this.steps;
    this.enter('STOPPING_RECEIVERS');
    await s.stopReceivers(graceful);
    if (graceful) {
      this.enter('ALLOCATING_RECEIVED_DATA');
      await this.waitFor(() => !s.hasUnallocatedBlocks(), () => s.nudgeClock());
      this.enter('GENERATING_LAST_BATCH');
      const last = await s.stopTimer(true);
      this.enter('PROCESSING_BATCHES');
      if (last >= 0) await this.waitFor(() => s.lastProcessedBatch() >= last);
      await this.bounded(s.jobsDone());
      this.enter('CHECKPOINTING');
      await this.bounded(s.flushCheckpoints());
    } else {
      await s.stopTimer(false);
      s.dropQueuedJobs();
      // A job already running cannot be interrupted; let it end so no output is cut in the middle.
      await this.bounded(s.jobsDone());
    }
    this.enter('STOPPING_INPUTS');
    await s.stopInputs();
    this.enter('CLOSING_LOGS');
    if (!graceful) await this.bounded(s.flushCheckpoints());
    await s.closeLogs();
    this.enter('STOPPED');
  }

  private enter(state: StopState): void {
    const now = Date.now();
    const prev = this.history[this.history.length - 1];
    this.history.push({ state, atMs: now });
    log.info({ state, afterMs: prev ? now - prev.atMs : 0 }, `Stop: ${state}`);
    this.stateValue = state;
    this.onState(state);
  }

  /** Polls `cond` until true or the timeout (real time: the bound holds on a manual clock too). */
  private async waitFor(cond: () => boolean, nudge?: () => void): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    while (!cond()) {
      nudge?.();
      if (Date.now() >= deadline) {
        this.timeout();
        return;
      }
      await new Promise((r) => setTimeout(r, this.clock instanceof ManualClock ? 1 : 10));
    }
  }

  private async bounded(p: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.timeoutMs)));
    const r = await Promise.race([p.then(() => 'done' as const), expired]);
    clearTimeout(timer);
    if (r === 'timeout') this.timeout();
  }

  private timeout(): void {
    this.timedOut.push(this.stateValue);
    log.warn({ state: this.stateValue, timeoutMs: this.timeoutMs }, `Graceful stop timed out after ${this.timeoutMs} ms while ${this.stateValue}; going on with the stop`);
  }
}
