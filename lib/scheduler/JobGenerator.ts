import { ManualClock } from '../core/clock/ManualClock';
import { Deferred } from '../core/Deferred';
import { EventLoop } from '../core/EventLoop';
import { getLogger } from '../core/logging';
import { StreamingConf } from '../core/StreamingConf';
import { Time } from '../core/Time';
import { faultPoint } from '../core/FaultPoints';
import type { StreamingContext } from '../streaming/StreamingContext';
import { JobSet } from './JobSet';
import type { JobScheduler } from './JobScheduler';
import { RecurringTimer } from './RecurringTimer';

const log = getLogger('JobGenerator');

type JobGeneratorEvent =
  | { kind: 'GenerateJobs'; time: Time }
  | { kind: 'ClearMetadata'; time: Time }
  | { kind: 'DoCheckpoint'; time: Time; clearCheckpointDataLater: boolean }
  | { kind: 'ClearCheckpointData'; time: Time }
  | { kind: 'BatchSettled'; time: Time };

/**
 * Generates a JobSet every batch and cleans up after it: Spark's `JobGenerator`. A RecurringTimer on the context's
 * clock posts `GenerateJobs(t)` to a one-at-a-time event loop; completion posts `ClearMetadata(t)`, then the
 * checkpoint for `t` is written and old metadata cleared.
 */
export class JobGenerator {
  readonly timer: RecurringTimer;
  private readonly eventLoop: EventLoop<JobGeneratorEvent>;
  private lastProcessedBatch: Time | undefined;
  private lastSettled = -Infinity;
  private readonly settleWaiters = new Map<number, Deferred>();
  private started = false;
  private firstBatchTime: Time | undefined;
  /** Timer ticks kept while job generation is held (`pause()`). */
  private heldTicks: Time[] | undefined;

  constructor(private readonly jobScheduler: JobScheduler) {
    const ssc = jobScheduler.ssc;
    this.timer = new RecurringTimer(ssc.clock, ssc.graph.batchDuration!.milliseconds, (t) => this.onTick(new Time(t)), 'JobGenerator');
    this.eventLoop = new EventLoop('JobGenerator', (e) => this.processEvent(e), (e) => jobScheduler.reportError('Error in job generator', e));
  }

  private get ssc(): StreamingContext {
    return this.jobScheduler.ssc;
  }

  private get shouldCheckpoint(): boolean {
    return this.ssc.checkpointDuration !== undefined && this.ssc.checkpointDir !== undefined;
  }

  /**
   * The synchronous part of starting: picks the first batch time and initializes and validates the graph (or, after
   * a recovery, checks the restored graph), so that `ssc.start()` reports Spark's validation errors by throwing.
   */
  prepareStart(): void {
    if (this.ssc.isCheckpointPresent) {
      this.restartPlan ??= this.planRestart();
      return;
    }
    if (this.firstBatchTime !== undefined) return;
    const startTime = new Time(this.timer.getStartTime());
    this.ssc.graph.initialize(startTime.minus(this.ssc.graph.batchDuration!));
    this.firstBatchTime = startTime;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.ssc.isCheckpointPresent) await this.restart();
    else await this.startFirstTime();
  }

  private async startFirstTime(): Promise<void> {
    this.prepareStart();
    const startTime = this.firstBatchTime!;
    await this.ssc.graph.startInputStreams();
    this.timer.start(startTime.milliseconds);
    log.info({ startTime: String(startTime) }, 'Started JobGenerator');
  }

  /**
   * After a recovery, the batch times the restart re-runs (Spark's "Batches to reschedule": the pending batches and
   * those of the down time, before the restart time), in order; known once `ssc.start()` has returned (it is fixed in
   * start's synchronous part, so a program can say what it re-runs before any of it runs). Undefined otherwise.
   */
  get rescheduledBatchTimes(): readonly Time[] | undefined {
    return this.restartPlan?.times;
  }

  private restartPlan: { restartTime: Time; times: Time[] } | undefined;

  /** Spark's `JobGenerator.restart` arithmetic: the restart time and the batches to reschedule. */
  private planRestart(): { restartTime: Time; times: Time[] } {
    const restore = this.ssc.restoredCheckpoint;
    if (!restore) throw new Error('restart() without a restored checkpoint');
    const clock = this.ssc.clock;
    const jump = StreamingConf.MANUAL_CLOCK_JUMP.read(this.ssc.conf);
    if ('setTime' in clock && typeof clock.setTime === 'function') clock.setTime(restore.checkpointTime.milliseconds + jump);
    const batch = this.ssc.graph.batchDuration!;
    const zero = this.ssc.graph.zeroTime!;
    const restartTime = new Time(this.timer.getRestartTime(zero.milliseconds));
    const downTimes = restore.checkpointTime.until(restartTime, batch);
    const times = new Map<number, Time>();
    for (const t of [...restore.pendingTimes, ...downTimes]) if (t.less(restartTime)) times.set(t.milliseconds, t);
    log.info({ pending: restore.pendingTimes.map(String), down: downTimes.map(String), restartTime: String(restartTime) }, 'Batches to reschedule');
    return { restartTime, times: [...times.values()].sort(Time.ordering) };
  }

  /** Restart from a checkpoint: re-run the checkpointed, pending and missed batches, then resume the timer. */
  private async restart(): Promise<void> {
    this.restartPlan ??= this.planRestart();
    const { restartTime, times: toReschedule } = this.restartPlan;
    this.ssc.graph.restart(restartTime);
    await Promise.all(this.ssc.graph.inputStreams.map((s) => s.start()));
    for (const t of toReschedule) {
      await this.jobScheduler.receiverTracker?.allocateBlocksToBatch(t);
      await this.ssc.graph.prepareForBatch(t);
      const jobs = this.ssc.graph.generateJobs(t);
      if (!this.jobScheduler.submitJobSet(new JobSet(t, jobs))) this.settle(t);
    }
    this.timer.start(restartTime.milliseconds);
  }

  /**
   * Stops generating. Graceful: wait until received blocks are allocated, let the timer fire once more, wait until
   * that last batch is processed (each wait bounded by `spark.streaming.gracefulStopTimeout`), then stop inputs.
   */
  /**
   * Stops the timer (a step of the stop sequence). Graceful: the timer fires once more, so the data received until
   * now becomes a last batch; on a manual clock nobody else moves time, so the clock is taken to that tick. Resolves
   * with the last batch time generated (-1 if none).
   */
  async stopTimer(graceful: boolean): Promise<number> {
    if (!this.started) return -1;
    // A stop while paused generates the held batches (a graceful stop waits for them).
    this.resume();
    if (!graceful) return this.timer.stop(true);
    const clock = this.ssc.clock;
    if (clock instanceof ManualClock && this.timer.pendingTime > clock.getTimeMillis()) {
      const stopping = this.timer.stop(false);
      clock.setTime(this.timer.pendingTime);
      return stopping;
    }
    return this.timer.stop(false);
  }

  private onTick(time: Time): void {
    if (this.heldTicks) this.heldTicks.push(time);
    else this.eventLoop.post({ kind: 'GenerateJobs', time });
  }

  /**
   * Holds job generation (the UI's "pause"; Spark has none): the timer goes on ticking and its times are kept, and
   * `resume()` generates their batches in order, so no batch time is skipped (the wait shows as scheduling delay).
   */
  pause(): void {
    this.heldTicks ??= [];
  }

  resume(): void {
    const held = this.heldTicks;
    this.heldTicks = undefined;
    for (const time of held ?? []) this.eventLoop.post({ kind: 'GenerateJobs', time });
  }

  get isPaused(): boolean {
    return this.heldTicks !== undefined;
  }

  /** Batch times the timer reached while generation was held. */
  get heldBatchTimes(): readonly Time[] {
    return this.heldTicks ?? [];
  }

  /** On a manual clock, moves it to the timer's next tick (a graceful stop's allocation wait needs batches). */
  advanceManualClock(): void {
    const clock = this.ssc.clock;
    if (this.started && clock instanceof ManualClock && this.timer.pendingTime > clock.getTimeMillis()) clock.setTime(this.timer.pendingTime);
  }

  /** The last batch fully processed (completed, checkpointed and cleaned), in ms, or -1. */
  get lastProcessedBatchMs(): number {
    return this.lastProcessedBatch?.milliseconds ?? -1;
  }

  /** Waits until the event loop is idle (every posted checkpoint written). */
  async flush(): Promise<void> {
    await this.eventLoop.drained();
  }

  /** Ends the generator: the event loop and the checkpoint writer stop; waiters of `step()` are released. */
  async close(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.eventLoop.drained();
    this.eventLoop.stop();
    await this.ssc.checkpointHook?.stop();
    for (const d of this.settleWaiters.values()) d.resolve();
    this.settleWaiters.clear();
  }

  /** The next batch time the timer will fire for. */
  nextBatchTime(): Time {
    return new Time(this.timer.pendingTime);
  }

  /** Resolves when batch `time` is done: completed and cleaned up, failed, or without jobs. */
  waitForBatch(time: Time): Promise<void> {
    if (time.milliseconds <= this.lastSettled) return Promise.resolve();
    let d = this.settleWaiters.get(time.milliseconds);
    if (!d) this.settleWaiters.set(time.milliseconds, (d = new Deferred()));
    return d.promise;
  }

  /** Batch `time` completed: clear its metadata (and checkpoint) next. */
  onBatchCompletion(time: Time): void {
    this.eventLoop.post({ kind: 'ClearMetadata', time });
  }

  /** Batch `time` failed for good: nothing more happens for it (it stays pending, as in Spark). */
  onBatchFailure(time: Time): void {
    this.eventLoop.post({ kind: 'BatchSettled', time });
  }

  get lastProcessedBatchTime(): Time | undefined {
    return this.lastProcessedBatch;
  }

  private async processEvent(e: JobGeneratorEvent): Promise<void> {
    switch (e.kind) {
      case 'GenerateJobs':
        return this.generateJobs(e.time);
      case 'ClearMetadata':
        return this.clearMetadata(e.time);
      case 'DoCheckpoint':
        return this.doCheckpoint(e.time, e.clearCheckpointDataLater);
      case 'ClearCheckpointData':
        return this.clearCheckpointData(e.time);
      case 'BatchSettled':
        this.settle(e.time);
        return;
    }
  }

  private async generateJobs(time: Time): Promise<void> {
    let submitted = false;
    try {
      const tracker = this.jobScheduler.receiverTracker;
      if (tracker) {
        await tracker.allocateBlocksToBatch(time);
        faultPoint('tracker.after-allocate');
      }
      await this.ssc.graph.prepareForBatch(time);
      const jobs = this.ssc.graph.generateJobs(time);
      const infos = this.jobScheduler.inputInfoTracker.getInfo(time);
      submitted = this.jobScheduler.submitJobSet(new JobSet(time, jobs, infos));
    } catch (err) {
      this.jobScheduler.reportError(`Error generating jobs for time ${time}`, err);
    }
    this.eventLoop.post({ kind: 'DoCheckpoint', time, clearCheckpointDataLater: false });
    if (!submitted) this.eventLoop.post({ kind: 'BatchSettled', time });
  }

  private async clearMetadata(time: Time): Promise<void> {
    this.ssc.graph.clearMetadata(time);
    if (this.shouldCheckpoint) {
      this.eventLoop.post({ kind: 'DoCheckpoint', time, clearCheckpointDataLater: true });
    } else {
      await this.cleanupOldInputs(time);
      this.markProcessed(time);
    }
  }

  private async doCheckpoint(time: Time, clearCheckpointDataLater: boolean): Promise<void> {
    const zero = this.ssc.graph.zeroTime!;
    if (this.shouldCheckpoint && time.minus(zero).isMultipleOf(this.ssc.checkpointDuration!)) {
      this.ssc.graph.updateCheckpointData(time);
      await this.ssc.checkpointHook?.write(time, clearCheckpointDataLater);
      if (clearCheckpointDataLater) this.eventLoop.post({ kind: 'ClearCheckpointData', time });
    } else if (clearCheckpointDataLater) {
      this.markProcessed(time);
    }
  }

  private async clearCheckpointData(time: Time): Promise<void> {
    this.ssc.graph.clearCheckpointData(time);
    faultPoint('checkpoint.after-write-before-clean');
    await this.cleanupOldInputs(time);
    this.markProcessed(time);
  }

  /** Received-block metadata, WAL segments and input infos older than what any input stream still needs. */
  private async cleanupOldInputs(time: Time): Promise<void> {
    const remember = this.ssc.graph.getMaxInputStreamRememberDuration();
    const thresh = remember === undefined ? time : time.minus(remember);
    await this.jobScheduler.receiverTracker?.cleanupOldBlocksAndBatches(thresh);
    this.jobScheduler.inputInfoTracker.cleanup(thresh);
  }

  private markProcessed(time: Time): void {
    this.lastProcessedBatch = time;
    this.settle(time);
  }

  private settle(time: Time): void {
    if (time.milliseconds > this.lastSettled) this.lastSettled = time.milliseconds;
    for (const [t, d] of [...this.settleWaiters]) {
      if (t <= time.milliseconds) {
        d.resolve();
        this.settleWaiters.delete(t);
      }
    }
  }
}
