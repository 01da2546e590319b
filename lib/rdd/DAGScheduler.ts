import { performance } from 'node:perf_hooks';
import { getLogger } from '../core/logging';
import { JobFailedException } from './JobFailedException';
import type { RDD } from './RDD';
import type { Sink } from './Sink';
import { TaskContext } from './TaskContext';

/** What one task does with its partition: receive the elements, then produce the task's result. */
export interface TaskBody<T, U> {
  sink: Sink<T>;
  finish(): U | Promise<U>;
}

const log = getLogger('DAGScheduler');

/** Yield to the event loop at least this often, so sockets and timers are served during a long job. */
const YIELD_EVERY_MS = 5;

/**
 * Runs the tasks of a job: one task per partition, up to `threads` at once (they share one event loop, so only
 * tasks waiting on I/O overlap), each retried up to `maxTaskAttempts` times, as Spark's local scheduler with
 * `local[N,F]`. A task that fails every attempt fails the job with a {@link JobFailedException}.
 */
export class DAGScheduler {
  private nextStageId = 0;
  private lastYield = performance.now();

  constructor(
    private readonly threads: number,
    private readonly maxTaskAttempts: number,
  ) {}

  /**
   * Runs `makeTask` on each partition of `rdd` (all of them unless `partitions` is given) and returns the results
   * in partition order. `makeTask` is called again for every attempt, so a retried task starts from fresh state.
   */
  async runJob<T, U>(
    rdd: RDD<T>,
    makeTask: (context: TaskContext) => TaskBody<T, U>,
    description = 'result',
    partitions?: readonly number[],
  ): Promise<U[]> {
    const stageId = this.nextStageId++;
    const all = rdd.partitions;
    const ids = partitions ?? all.map((p) => p.index);
    const results = new Array<U>(ids.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      // Once a task has failed for good the job is lost: no new tasks start (Spark cancels the stage's tasks).
      while (!failed && next < ids.length) {
        const slot = next++;
        try {
          results[slot] = await this.runTask(rdd, stageId, ids[slot], makeTask, description);
        } catch (e) {
          failed = true;
          throw e;
        }
        if (performance.now() - this.lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          this.lastYield = performance.now();
        }
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < Math.min(this.threads, ids.length); i++) workers.push(worker());
    await Promise.all(workers);
    return results;
  }

  private async runTask<T, U>(
    rdd: RDD<T>,
    stageId: number,
    partitionIndex: number,
    makeTask: (context: TaskContext) => TaskBody<T, U>,
    description: string,
  ): Promise<U> {
    const split = rdd.partitions[partitionIndex];
    let lastError: unknown;
    for (let attempt = 0; attempt < this.maxTaskAttempts; attempt++) {
      const context = new TaskContext(stageId, partitionIndex, attempt);
      try {
        const task = makeTask(context);
        const r = rdd.iterator(split, context, task.sink);
        if (r instanceof Promise) await r;
        return await task.finish();
      } catch (e) {
        // A failed parent stage already carries its own context; it is not this task's failure to retry.
        if (e instanceof JobFailedException) throw e;
        lastError = e;
        log.warn({ stageId, partition: partitionIndex, attempt, rdd: String(rdd), err: e }, `Lost task ${partitionIndex}.${attempt} in stage ${stageId}.0 (${description})`);
      }
    }
    throw new JobFailedException(stageId, String(rdd), partitionIndex, this.maxTaskAttempts, lastError);
  }
}
