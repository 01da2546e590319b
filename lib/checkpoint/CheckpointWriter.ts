import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../core/errors';
import { faultPoint } from '../core/FaultPoints';
import { getLogger } from '../core/logging';
import type { Time } from '../core/Time';
import type { CheckpointHook } from '../scheduler/CheckpointHook';
import type { StreamingContext } from '../streaming/StreamingContext';
import { buildCheckpoint, type CheckpointRecord } from './Checkpoint';
import { checkpointFileName, decodeCheckpoint, encodeCheckpoint, fsyncDir, getCheckpointFiles } from './CheckpointFile';
import { StateCheckpointer, type StateCheckpointTiming } from './StateCheckpointer';

const log = getLogger('CheckpointWriter');

/** Checkpoint files kept (mains and `.bk` copies together), as Spark. */
export const MAX_CHECKPOINT_FILES = 10;
const MAX_ATTEMPTS = 3;
/** Timings kept (the newest). */
const MAX_TIMINGS = 64;

/** One checkpoint write, timed (benchmarks, the UI): the state files first, then the metadata file. */
export interface CheckpointWriteTiming {
  readonly timeMs: number;
  /** Data checkpoints of the state streams due at this time (0 when none was due). */
  readonly stateMs: number;
  /** Building, encoding and durably writing the metadata file. */
  readonly metadataMs: number;
  readonly metadataBytes: number;
}

/**
 * Writes metadata checkpoints: Spark's `CheckpointWriter`, one write at a time. A file appears whole or not at
 * all: the bytes go to a temporary name, are fsynced, the previous `checkpoint-<t>` becomes `checkpoint-<t>.bk`,
 * the temporary file is renamed into place and the folder is fsynced. Each checkpoint is named by its own batch
 * time, so an older batch's checkpoint written late never replaces a newer one (SPARK-11740); the reader picks
 * the newest that validates.
 */
export class CheckpointWriter implements CheckpointHook {
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  readonly dir: string;
  /** Times of the checkpoints written, for tests and the UI. */
  readonly written: number[] = [];
  /** The newest checkpoint writes, timed. */
  readonly timings: CheckpointWriteTiming[] = [];
  private readonly state: StateCheckpointer;

  constructor(private readonly ssc: StreamingContext) {
    this.dir = ssc.checkpointDir!;
    this.state = new StateCheckpointer(ssc);
  }

  write(time: Time, _clearCheckpointDataLater: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const next = this.chain.then(async () => {
      // State first: the metadata checkpoint may only name state files that are already durable.
      const t0 = performance.now();
      await this.state.checkpointState(time);
      const t1 = performance.now();
      const bytes = encodeCheckpoint(buildCheckpoint(this.ssc, time));
      await this.writeFile(time.milliseconds, bytes);
      this.timings.push({ timeMs: time.milliseconds, stateMs: t1 - t0, metadataMs: performance.now() - t1, metadataBytes: bytes.length });
      if (this.timings.length > MAX_TIMINGS) this.timings.shift();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The newest data checkpoints of the state streams, timed. */
  get stateTimings(): readonly StateCheckpointTiming[] {
    return this.state.timings;
  }

  async stop(): Promise<void> {
    await this.chain;
    this.stopped = true;
  }

  private async writeFile(timeMs: number, bytes: Buffer): Promise<void> {
    const target = path.join(this.dir, checkpointFileName(timeMs));
    const backup = path.join(this.dir, checkpointFileName(timeMs, true));
    const temp = path.join(this.dir, `.${checkpointFileName(timeMs)}.tmp`);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        fs.mkdirSync(this.dir, { recursive: true });
        const fd = fs.openSync(temp, 'w');
        try {
          const half = bytes.length >> 1;
          fs.writeSync(fd, bytes, 0, half);
          faultPoint('checkpoint.mid-write');
          fs.writeSync(fd, bytes, half, bytes.length - half);
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        if (fs.existsSync(target)) {
          fs.rmSync(backup, { force: true });
          fs.renameSync(target, backup);
        }
        fs.renameSync(temp, target);
        fsyncDir(this.dir);
        this.written.push(timeMs);
        this.deleteOldFiles();
        log.debug({ file: target, bytes: bytes.length }, 'Checkpoint written');
        return;
      } catch (e) {
        if ((e as { name?: string }).name === 'InjectedFault') throw e;
        log.warn({ err: e, attempt, file: target }, `Error in attempt ${attempt} of writing checkpoint to ${target}`);
        if (attempt === MAX_ATTEMPTS) {
          log.warn(`Could not write checkpoint for time ${timeMs} ms to file ${target}: ${errorMessage(e)}`);
        }
      }
    }
  }

  private deleteOldFiles(): void {
    const files = getCheckpointFiles(this.dir);
    for (let i = 0; i < files.length - MAX_CHECKPOINT_FILES; i++) {
      fs.rmSync(files[i].path, { force: true });
      log.debug({ file: files[i].path }, 'Deleted old checkpoint file');
    }
    // State files are kept while any remaining checkpoint file refers to them.
    const referenced: unknown[] = [];
    for (const f of getCheckpointFiles(this.dir)) {
      try {
        const cp = decodeCheckpoint(f.path, fs.readFileSync(f.path)) as CheckpointRecord;
        referenced.push(...Object.values(cp.streams ?? {}));
      } catch {
        // A damaged file refers to nothing a restart could use.
      }
    }
    this.state.deleteUnreferenced(referenced);
  }
}
