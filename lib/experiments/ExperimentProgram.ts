import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Time } from '../core/Time';
import type { StreamingListener } from '../scheduler/StreamingListener';
import type { StreamingContext } from '../streaming/StreamingContext';
import {
  appendOutputFile,
  EXPERIMENT_ENV,
  type ExperimentSourceKind,
  isValidOutputName,
  JOURNAL_FILE,
  type JournalEntry,
  keyedOutputFile,
  SOURCE_KINDS,
} from './ExperimentContract';
import { ExperimentContractError } from './ExperimentErrors';
import { RecoveryCounters } from './RecoveryCounters';

/**
 * The program side of a fault experiment (see ExperimentContract.ts): where the input is, which folders to use,
 * and the two kinds of output the lessons compare — {@link writeBatch} (idempotent, keyed by batch time: Spark's
 * `saveAsTextFiles` `prefix-<time>` pattern) and {@link appendBatch} (naive append: duplicates when a batch is run
 * again after recovery). {@link attach} journals batch completions and recovery reads for the runner's report.
 * Spark has no equivalent.
 */
export class ExperimentProgram {
  private readonly journalPath: string;

  constructor(
    readonly sourceHost: string,
    readonly sourcePort: number,
    readonly sourceKind: ExperimentSourceKind,
    readonly checkpointDir: string,
    readonly outDir: string,
    readonly run: string,
    readonly attempt: number,
  ) {
    fs.mkdirSync(outDir, { recursive: true });
    this.journalPath = path.join(outDir, JOURNAL_FILE);
  }

  /** Reads the contract's environment variables; a missing or malformed one is an error naming it. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): ExperimentProgram {
    const need = (key: string): string => {
      const v = env[key];
      if (v === undefined || v === '') {
        throw new ExperimentContractError(key, 'not set; run the program with `dstreams experiment <program> --fault <point>`');
      }
      return v;
    };
    const source = need(EXPERIMENT_ENV.SOURCE);
    const m = /^(.+):(\d+)$/.exec(source);
    if (!m) throw new ExperimentContractError(EXPERIMENT_ENV.SOURCE, `'${source}' is not host:port`);
    const kind = (env[EXPERIMENT_ENV.SOURCE_KIND] ?? 'replayable') as ExperimentSourceKind;
    if (!SOURCE_KINDS.includes(kind)) throw new ExperimentContractError(EXPERIMENT_ENV.SOURCE_KIND, `'${kind}' is not one of ${SOURCE_KINDS.join(', ')}`);
    const attempt = Number(env[EXPERIMENT_ENV.ATTEMPT] ?? '1');
    return new ExperimentProgram(m[1], Number(m[2]), kind, need(EXPERIMENT_ENV.CHECKPOINT), need(EXPERIMENT_ENV.OUT), env[EXPERIMENT_ENV.RUN] ?? 'manual', attempt);
  }

  /**
   * Journals this process's start (recovered or not), every completed batch (a listener) and every block read back
   * from the WAL or found missing. Call once, after `StreamingContext.getOrCreate`, before `start()`.
   */
  attach(ssc: StreamingContext): void {
    this.journal({ event: 'start', pid: process.pid, attempt: this.attempt, recovered: ssc.isCheckpointPresent, wall: Date.now() });
    RecoveryCounters.observe((e) => {
      if (e.kind === 'wal-read') this.journal({ event: 'wal-read', pid: process.pid, block: e.blockId, wall: Date.now() });
      else this.journal({ event: 'blocks-missing', pid: process.pid, batch: e.batchTime, stream: e.streamId, count: e.count, wall: Date.now() });
    });
    const listener: StreamingListener = {
      onBatchCompleted: ({ batchInfo }) =>
        this.journal({ event: 'batch', pid: process.pid, batch: batchInfo.batchTime.milliseconds, records: batchInfo.numRecords, wall: Date.now() }),
    };
    ssc.addStreamingListener(listener);
  }

  /**
   * The idempotent sink: replaces `<out>/<name>-<batchMs>.jsonl` with `records` (written to a temporary name, then
   * renamed, so a crash leaves the old file or the new one). Running the batch again leaves one copy.
   */
  writeBatch(name: string, time: Time, records: readonly unknown[]): void {
    this.checkName(name);
    const file = path.join(this.outDir, keyedOutputFile(name, time.milliseconds));
    const temp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(temp, jsonLines(records));
    fs.renameSync(temp, file);
    this.journal({ event: 'output', pid: process.pid, name, batch: time.milliseconds, records: records.length, wall: Date.now() });
  }

  /** The naive sink: appends `records` to `<out>/<name>.log.jsonl`. Running the batch again appends them again. */
  appendBatch(name: string, time: Time, records: readonly unknown[]): void {
    this.checkName(name);
    const batch = time.milliseconds;
    let text = '';
    for (let i = 0; i < records.length; i++) text += JSON.stringify({ batch, value: records[i] }) + '\n';
    // One write per batch: a kill between two writes would tear a batch, which is not the lesson.
    if (text.length > 0) fs.appendFileSync(path.join(this.outDir, appendOutputFile(name)), text);
    this.journal({ event: 'output', pid: process.pid, name, batch, records: records.length, wall: Date.now() });
  }

  private checkName(name: string): void {
    if (!isValidOutputName(name)) {
      throw new ExperimentContractError(`output '${name}'`, 'names are letters, digits, _ . - (not starting with _ or ending in .log)');
    }
  }

  private journal(entry: JournalEntry): void {
    fs.appendFileSync(this.journalPath, JSON.stringify(entry) + '\n');
  }
}

function jsonLines(records: readonly unknown[]): string {
  let s = '';
  for (let i = 0; i < records.length; i++) s += JSON.stringify(records[i]) + '\n';
  return s;
}
