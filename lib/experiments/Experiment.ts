import * as fs from 'node:fs';
import { FAULT_POINTS, type FaultAction, type FaultPointName } from '../core/FaultPoints';
import type { ExperimentSourceKind } from './ExperimentContract';
import { type ExperimentReport, referenceSummary, reportRun, type RunReport } from './ExperimentReport';
import { type FaultSpec, makeWorkDir, type RunSettings, runExperimentOnce } from './ExperimentRunner';
import { FaultSpecError } from './ExperimentErrors';
import { experimentRecords } from './ExperimentSource';

/**
 * The hit used when `--fault <point>` names no hit (and by `--fault all`): early enough to fall inside a few
 * seconds of input at the default rate, late enough that batches with records ran before it.
 */
export const DEFAULT_FAULT_HITS: Readonly<Record<FaultPointName, number>> = {
  'wal.after-append': 5,
  'block.after-store-before-ack': 4,
  'tracker.after-allocate': 6,
  'job.between-outputs': 6,
  'job.after-output': 6,
  'checkpoint.mid-write': 6,
  'checkpoint.after-write-before-clean': 4,
};

export interface ExperimentOptions {
  /** The program, absolute path. */
  readonly program: string;
  readonly programArgs?: readonly string[];
  readonly faults: readonly FaultSpec[];
  readonly action?: FaultAction;
  /** Faulty runs per fault (default 1). */
  readonly runs?: number;
  readonly seed?: number;
  readonly records?: number;
  readonly rate?: number;
  readonly source?: ExperimentSourceKind;
  /** Where the run folders go (default a fresh temporary folder, removed afterwards unless `keep`). */
  readonly workDir?: string;
  readonly keep?: boolean;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Called as runs start and end (the CLI prints these on stderr). */
  readonly onProgress?: (message: string) => void;
}

/**
 * A replay-based fault experiment: the program once without a fault (the reference), then `runs` times per fault
 * with it, each run on a fresh copy of the same seeded input and restarted from its checkpoint until the input is
 * processed; every run's outputs are compared with the reference's, record by record. dstreams' own (Spark has no
 * such tool).
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentReport> {
  const seed = options.seed ?? 42;
  const count = options.records ?? 3000;
  const rate = options.rate ?? 1000;
  const action = options.action ?? 'kill';
  const runs = options.runs ?? 1;
  const source = options.source ?? 'replayable';
  const workDir = options.workDir ?? makeWorkDir();
  const kept = options.workDir !== undefined || options.keep === true;
  fs.mkdirSync(workDir, { recursive: true });
  const progress = options.onProgress ?? (() => undefined);
  const settings: RunSettings = {
    program: options.program,
    programArgs: options.programArgs ?? [],
    records: experimentRecords(seed, count),
    rate,
    source,
    action,
    workDir,
    timeoutMs: options.timeoutMs ?? Math.max(60_000, (count / rate) * 1000 * 4 + 30_000),
    maxAttempts: 4,
    env: options.env,
  };
  try {
    progress('reference run (no fault)');
    const reference = await runExperimentOnce(settings, 'reference', undefined);
    const reports: RunReport[] = [];
    for (const fault of options.faults) {
      for (let i = 1; i <= runs; i++) {
        progress(`${fault.point}:${fault.hit}:${action} run ${i} of ${runs}`);
        const run = await runExperimentOnce(settings, `${fault.point}-${fault.hit}-${i}`, fault);
        reports.push(reportRun(i, reference, run, action));
      }
    }
    // The folders are removed below unless kept: a report must not point at them then.
    const ref = referenceSummary(reference);
    return {
      program: options.program,
      source,
      seed,
      records: count,
      rate,
      action,
      reference: kept ? ref : { ...ref, dir: undefined },
      runs: kept ? reports : reports.map((r) => ({ ...r, dir: undefined })),
    };
  } finally {
    if (!kept) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Parses `point[:hit]` or `all` (every point with its default hit). */
export function parseFaults(spec: string): FaultSpec[] {
  if (spec === 'all') return (Object.keys(FAULT_POINTS) as FaultPointName[]).map((point) => ({ point, hit: DEFAULT_FAULT_HITS[point] }));
  return spec.split(',').map((one) => {
    const [point, hit, extra] = one.trim().split(':');
    if (extra !== undefined) throw new FaultSpecError(one, 'expected <point>[:hit] (the action is --action)');
    if (!(point in FAULT_POINTS)) throw new FaultSpecError(one, `unknown fault point '${point}'; known points: ${Object.keys(FAULT_POINTS).join(', ')}, or all`);
    const p = point as FaultPointName;
    if (hit === undefined) return { point: p, hit: DEFAULT_FAULT_HITS[p] };
    const n = Number(hit);
    if (!Number.isInteger(n) || n < 1) throw new FaultSpecError(one, `hit '${hit}' must be a positive integer`);
    return { point: p, hit: n };
  });
}
