import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FaultAction, FaultPointName } from '../core/FaultPoints';
import { getLogger } from '../core/logging';
import { programNodeArgs } from '../cli/tsxLoader';
import { EXPERIMENT_ENV, type ExperimentSourceKind, JOURNAL_FILE, type JournalEntry } from './ExperimentContract';
import { ExperimentRunError } from './ExperimentErrors';
import { readRunOutputs, type RunOutputs } from './ExperimentOutputs';
import { createExperimentSource } from './ExperimentSource';
import { JournalTail } from './JournalTail';

const log = getLogger('ExperimentRunner');

/** A fault to inject: a point and the hit (the Nth time execution reaches it) that fires. */
export interface FaultSpec {
  readonly point: FaultPointName;
  readonly hit: number;
}

/** What one run needs (the experiment's settings, shared by the reference and the faulty runs). */
export interface RunSettings {
  /** The program (.ts through tsx, or .js), absolute. */
  readonly program: string;
  readonly programArgs: readonly string[];
  readonly records: readonly string[];
  readonly rate: number;
  readonly source: ExperimentSourceKind;
  readonly action: FaultAction;
  /** Folder under which each run gets its own `run-<label>` folder. */
  readonly workDir: string;
  /** Give up on a run after this long. */
  readonly timeoutMs: number;
  /** Processes per run at most (the first, plus restarts). */
  readonly maxAttempts: number;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Random-moment kills (no fault point): process `i` of the run (from 1) is SIGKILLed `killDelaysMs[i - 1]` ms after
   * it journals its start, and restarted; the run ends only after the last of them.
   */
  readonly killDelaysMs?: readonly number[];
}

/** One process of a run. */
export interface AttemptResult {
  readonly attempt: number;
  readonly pid: number;
  /** How it ended: `SIGKILL`, `SIGTERM`, `exit 1`, ... */
  readonly exit: string;
  /** Whether the injected fault fired in this process (its stderr says so). */
  readonly faulted: boolean;
  /** Whether the runner SIGKILLed it at a random moment (RunSettings.killDelaysMs). */
  readonly killed: boolean;
  readonly startedWall: number;
  readonly endedWall: number;
}

/** A finished run: its processes, what it wrote, and the wall times the report needs. */
export interface RunResult {
  readonly label: string;
  readonly fault: FaultSpec | undefined;
  readonly dir: string;
  readonly attempts: AttemptResult[];
  readonly outputs: RunOutputs;
  readonly startedWall: number;
  readonly consumedWall: number;
  readonly endedWall: number;
  readonly sourceSent: number;
  readonly sourceConnections: number;
}

const POLL_MS = 50;
/** Batches with a time after the input was consumed that must complete before a run is over. */
const SETTLE_BATCHES = 2;

/**
 * Runs a program once against a fresh deterministic source and fresh folders: the first process with the fault
 * armed (`DSTREAMS_FAULT`), then, each time a process dies before the input is consumed and processed, a new one
 * on the same checkpoint folder. Over when the source's input is consumed and the journal shows
 * {@link SETTLE_BATCHES} batches after that (lines sources also wait a block interval's worth); then SIGTERM.
 */
export async function runExperimentOnce(settings: RunSettings, label: string, fault: FaultSpec | undefined): Promise<RunResult> {
  const dir = path.join(settings.workDir, `run-${label}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const checkpoint = path.join(dir, 'checkpoint');
  const out = path.join(dir, 'out');
  fs.mkdirSync(out, { recursive: true });
  const source = createExperimentSource(settings.source, settings.records, settings.rate);
  const port = await source.listen();
  let consumedWall: number | undefined;
  void source.whenConsumed().then((w) => (consumedWall = w));
  const settleMs = settings.source === 'lines' ? 500 : 0;
  const journal = new JournalTail(path.join(out, JOURNAL_FILE));
  const attempts: AttemptResult[] = [];
  const startedWall = Date.now();
  const deadline = startedWall + settings.timeoutMs;
  try {
    for (let attempt = 1; ; attempt++) {
      if (attempt > settings.maxAttempts) {
        const last = attempts[attempts.length - 1];
        throw new ExperimentRunError(label, attempt - 1, `the program ended ${attempts.length} times (last: ${last?.exit}) before its input was processed`);
      }
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        // The programs' errors go to the captured stderr (shown when a run fails, and how a thrown fault is seen).
        DSTREAMS_LOG_LEVEL: process.env.DSTREAMS_EXPERIMENT_LOG_LEVEL ?? 'error',
        ...settings.env,
        [EXPERIMENT_ENV.SOURCE]: `127.0.0.1:${port}`,
        [EXPERIMENT_ENV.SOURCE_KIND]: settings.source,
        [EXPERIMENT_ENV.CHECKPOINT]: checkpoint,
        [EXPERIMENT_ENV.OUT]: out,
        [EXPERIMENT_ENV.RUN]: label,
        [EXPERIMENT_ENV.ATTEMPT]: String(attempt),
      };
      // Only the first process of a run carries the fault; restarts run clean (one crash per run).
      delete env.DSTREAMS_FAULT;
      if (fault !== undefined && attempt === 1) env.DSTREAMS_FAULT = `${fault.point}:${fault.hit}:${settings.action}`;
      const started = Date.now();
      const child = spawn(process.execPath, [...programNodeArgs(), settings.program, ...settings.programArgs], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString('utf8')).slice(-16_384);
      });
      let exitWall = 0;
      const exited = new Promise<string>((resolve) => {
        child.once('exit', (code, signal) => {
          // The kill's time for the recovery figure (the poll loop notices up to POLL_MS later).
          exitWall = Date.now();
          resolve(signal ?? `exit ${code}`);
        });
        child.once('error', (e) => {
          exitWall = Date.now();
          resolve(`spawn error: ${e.message}`);
        });
      });
      let exit: string | undefined;
      void exited.then((e) => (exit = e));
      const batchesAfter: number[] = [];
      let finished = false;
      const killDelay = settings.killDelaysMs?.[attempt - 1];
      let killTimer: NodeJS.Timeout | undefined;
      let killed = false;
      while (exit === undefined) {
        for (const e of journal.read()) {
          if (e.event === 'batch' && e.pid === child.pid) batchesAfter.push(e.batch);
          if (e.event === 'start' && e.pid === child.pid && killDelay !== undefined && killTimer === undefined) {
            killTimer = setTimeout(() => {
              killed = true;
              child.kill('SIGKILL');
            }, killDelay);
          }
        }
        if (consumedWall !== undefined && killDelay === undefined) {
          const after = batchesAfter.filter((t) => t > (consumedWall as number) + settleMs).length;
          if (after >= SETTLE_BATCHES) {
            finished = true;
            break;
          }
        }
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          await exited;
          throw new ExperimentRunError(
            label,
            attempt,
            consumedWall === undefined
              ? `timed out after ${settings.timeoutMs} ms: the input was not consumed (${source.sent} of ${settings.records.length} records sent, ${source.connections} connections); does the program read ${EXPERIMENT_ENV.SOURCE} with the receiver for --source ${settings.source}?`
              : `timed out after ${settings.timeoutMs} ms: the input was consumed but the journal shows no batch completing after it; does the program call ExperimentProgram.attach(ssc)?`,
            stderr,
          );
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      if (finished) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        exit = await exited;
        clearTimeout(timer);
      }
      clearTimeout(killTimer);
      const ended = exitWall || Date.now();
      const faulted = fault !== undefined && attempt === 1 && (stderr.includes(`fault point ${fault.point} (hit`) || stderr.includes(`Injected fault at ${fault.point}`));
      attempts.push({ attempt, pid: child.pid ?? -1, exit: exit ?? 'unknown', faulted, killed, startedWall: started, endedWall: ended });
      log.info({ label, attempt, exit, faulted, finished }, `Run ${label} attempt ${attempt} ended (${exit})`);
      if (finished) break;
      if (!faulted && !killed && stderr.trim() !== '') log.warn({ label, attempt, stderr: stderr.slice(-2000) }, 'The program ended without the fault');
    }
  } finally {
    await source.close();
  }
  return {
    label,
    fault,
    dir,
    attempts,
    outputs: readRunOutputs(out),
    startedWall,
    consumedWall: consumedWall ?? Date.now(),
    endedWall: Date.now(),
    sourceSent: source.sent,
    sourceConnections: source.connections,
  };
}

/** A fresh folder for an experiment's runs. */
export function makeWorkDir(parent = os.tmpdir()): string {
  return fs.mkdtempSync(path.join(parent, 'dstreams-experiment-'));
}

/** Journal entries of a given kind (a typed filter). */
export function entriesOf<K extends JournalEntry['event']>(journal: readonly JournalEntry[], event: K): Array<Extract<JournalEntry, { event: K }>> {
  return journal.filter((e): e is Extract<JournalEntry, { event: K }> => e.event === event);
}
