import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareOutput, type OutputComparison, rerunBatches } from './ExperimentReport';
import type { OutputRecords } from './ExperimentOutputs';
import { entriesOf, makeWorkDir, runExperimentOnce } from './ExperimentRunner';
import { experimentRecords } from './ExperimentSource';
import { keyedOutputFile } from './ExperimentContract';

export interface RandomKillOptions {
  /** An experiment program (ExperimentContract.ts) with a reliable source and the receiver WAL, absolute path. */
  readonly program: string;
  readonly programArgs?: readonly string[];
  /** Seeds both the input records and the kill moments: the same seed gives the same schedule. */
  readonly seed: number;
  readonly kills: number;
  readonly records: number;
  /** Records per second from the source. */
  readonly rate: number;
  /** Each process is killed a uniformly random delay in [minKillDelayMs, maxKillDelayMs] after it starts. */
  readonly minKillDelayMs?: number;
  readonly maxKillDelayMs: number;
  /** The keyed output that holds each input record once (as written: the record's text). */
  readonly recordsOutput: string;
  /** A keyed output whose newest batch must equal `expected(records)` (e.g. a running word count), compared sorted. */
  readonly finalOutput?: { readonly name: string; readonly expected: (records: readonly string[]) => unknown[] };
  readonly timeoutMs?: number;
  readonly workDir?: string;
  readonly keep?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (message: string) => void;
}

export interface RandomKillReport {
  readonly program: string;
  readonly seed: number;
  readonly records: number;
  readonly rate: number;
  /** Processes SIGKILLed at a random moment, and the delays (after each process journalled its start) used. */
  readonly kills: number;
  readonly killDelaysMs: readonly number[];
  /** Processes that died otherwise before the last one (a crash: not one of the kills). */
  readonly crashes: string[];
  /** How the last process ended: `SIGTERM` or `exit 0` when it stopped gracefully on the runner's SIGTERM. */
  readonly lastExit: string;
  readonly processes: number;
  /** The records output against the input: records lost, duplicated (a record in two batches). */
  readonly recordsOutput: OutputComparison;
  readonly lost: number;
  readonly duplicated: number;
  /** Whether the final output's newest batch equals the reference (undefined without `finalOutput`). */
  readonly finalStateMatches: boolean | undefined;
  readonly finalStateBatchMs: number | undefined;
  readonly batchesRerun: number;
  readonly walBlocksRecovered: number;
  readonly blocksMissing: number;
  readonly durationMs: number;
  readonly dir: string | undefined;
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The random-moment kill loop: one run of `program` on a seeded replayable input, its processes SIGKILLed at
 * seeded random moments (not at the named fault points: while starting, recovering, receiving, running a batch,
 * writing a checkpoint, wherever the moment falls) and restarted on the same checkpoint folder, `kills` times; then
 * a last process runs until the input is processed. The records output is compared with the input record by record
 * (lost, duplicated) and the final output's newest batch with its reference. dstreams' own (Spark has no such tool).
 */
export async function runRandomKills(o: RandomKillOptions): Promise<RandomKillReport> {
  const random = seededRandom(o.seed);
  const min = o.minKillDelayMs ?? 0;
  const killDelaysMs = Array.from({ length: o.kills }, () => Math.round(min + random() * (o.maxKillDelayMs - min)));
  const records = experimentRecords(o.seed, o.records);
  const workDir = o.workDir ?? makeWorkDir();
  const kept = o.workDir !== undefined || o.keep === true;
  const progress = o.onProgress ?? (() => undefined);
  try {
    progress(`${o.kills} random kills of ${path.basename(o.program)} over ${o.records} records at ${o.rate}/s (seed ${o.seed})`);
    const run = await runExperimentOnce(
      {
        program: o.program,
        programArgs: o.programArgs ?? [],
        records,
        rate: o.rate,
        source: 'replayable',
        action: 'kill',
        workDir,
        timeoutMs: o.timeoutMs ?? 600_000,
        maxAttempts: o.kills + 10,
        env: o.env,
        killDelaysMs,
      },
      `kills-${o.seed}`,
      undefined,
    );
    const reference: OutputRecords = {
      name: o.recordsOutput,
      kind: 'keyed',
      counts: new Map(records.map((r) => [JSON.stringify(r), 1])),
      total: records.length,
      batches: 0,
    };
    const comparison = compareOutput(o.recordsOutput, reference, run.outputs.outputs.get(o.recordsOutput));
    let finalStateMatches: boolean | undefined;
    let finalStateBatchMs: number | undefined;
    if (o.finalOutput) {
      const out = path.join(run.dir, 'out');
      const batch = newestBatch(out, o.finalOutput.name);
      finalStateBatchMs = batch;
      const got = batch === undefined ? [] : readJsonLines(path.join(out, keyedOutputFile(o.finalOutput.name, batch)));
      finalStateMatches = sameRecords(got, o.finalOutput.expected(records));
    }
    const killed = run.attempts.filter((a) => a.killed).length;
    const last = run.attempts[run.attempts.length - 1];
    const crashes = run.attempts.filter((a) => !a.killed && a !== last).map((a) => `process ${a.attempt}: ${a.exit}`);
    let missing = 0;
    for (const e of entriesOf(run.outputs.journal, 'blocks-missing')) missing += e.count;
    const report: RandomKillReport = {
      program: o.program,
      seed: o.seed,
      records: o.records,
      rate: o.rate,
      kills: killed,
      killDelaysMs,
      crashes,
      // The runner SIGKILLs a last process that has not stopped 20 s after its SIGTERM.
      lastExit: last?.exit ?? 'none',
      processes: run.attempts.length,
      recordsOutput: comparison,
      lost: comparison.lost,
      duplicated: comparison.duplicated,
      finalStateMatches,
      finalStateBatchMs,
      batchesRerun: rerunBatches(run.outputs).length,
      walBlocksRecovered: entriesOf(run.outputs.journal, 'wal-read').length,
      blocksMissing: missing,
      durationMs: run.endedWall - run.startedWall,
      dir: kept ? run.dir : undefined,
    };
    progress(`${killed} kills, ${run.attempts.length} processes: lost ${report.lost}, duplicated ${report.duplicated}, final state ${finalStateMatches === false ? 'WRONG' : 'ok'}`);
    return report;
  } finally {
    if (!kept) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function newestBatch(outDir: string, name: string): number | undefined {
  let newest: number | undefined;
  const re = new RegExp(`^${name.replace(/[.]/g, '\\.')}-(\\d+)\\.jsonl$`);
  for (const f of fs.readdirSync(outDir)) {
    const m = re.exec(f);
    if (m && (newest === undefined || Number(m[1]) > newest)) newest = Number(m[1]);
  }
  return newest;
}

function readJsonLines(file: string): unknown[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

function sameRecords(a: readonly unknown[], b: readonly unknown[]): boolean {
  const key = (xs: readonly unknown[]): string => xs.map((x) => JSON.stringify(x)).sort().join('\n');
  return key(a) === key(b);
}
