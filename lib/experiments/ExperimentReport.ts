import * as path from 'node:path';
import type { FaultAction } from '../core/FaultPoints';
import type { ExperimentSourceKind } from './ExperimentContract';
import type { OutputKind, OutputRecords, RunOutputs } from './ExperimentOutputs';
import { entriesOf, type RunResult } from './ExperimentRunner';

/** One output of a faulty run compared with the same output of the reference run, record by record. */
export interface OutputComparison {
  readonly name: string;
  readonly kind: OutputKind;
  /** Records in the reference's output. */
  readonly reference: number;
  /** Records in this run's output. */
  readonly records: number;
  /** Reference records missing here (counting multiplicity). */
  readonly lost: number;
  /** Records here beyond the reference's count of them. */
  readonly duplicated: number;
  /** A few of the lost / duplicated records (JSON text), to look at. */
  readonly lostSamples: string[];
  readonly duplicatedSamples: string[];
}

/** One faulty run. */
export interface RunReport {
  readonly run: number;
  /** `point:hit`. */
  readonly fault: string;
  readonly action: FaultAction;
  /** Whether the fault fired (a hit past the end of the input never does). */
  readonly triggered: boolean;
  /** Processes the run took, and how each ended. */
  readonly attempts: number;
  readonly exits: string[];
  readonly outputs: OutputComparison[];
  /** Sums over the outputs. */
  readonly recordsLost: number;
  readonly recordsDuplicated: number;
  /** Blocks read back from the receiver WAL (after a restart), and blocks found nowhere (lost). */
  readonly walBlocksRecovered: number;
  readonly blocksMissing: number;
  /** Batch times whose outputs or completion were seen in more than one process. */
  readonly batchesRerun: number;
  readonly rerunBatchTimes: number[];
  /** Kill (the faulted process's exit) to the first batch completed by the restarted process, ms. */
  readonly recoveryMs: number | undefined;
  readonly durationMs: number;
  /** The run's checkpoint and output folders (when kept: `--work-dir` or `--keep`). */
  readonly dir: string | undefined;
}

export interface ExperimentReport {
  readonly program: string;
  readonly source: ExperimentSourceKind;
  readonly seed: number;
  readonly records: number;
  readonly rate: number;
  readonly action: FaultAction;
  readonly reference: {
    readonly durationMs: number;
    readonly batches: number;
    readonly outputs: Array<{ name: string; kind: OutputKind; records: number; batches: number }>;
    readonly dir: string | undefined;
  };
  readonly runs: RunReport[];
}

const SAMPLES = 5;

/** Compares one output with the reference's: multiset difference both ways. */
export function compareOutput(name: string, reference: OutputRecords | undefined, run: OutputRecords | undefined): OutputComparison {
  const ref = reference?.counts ?? new Map<string, number>();
  const got = run?.counts ?? new Map<string, number>();
  let lost = 0;
  let duplicated = 0;
  const lostSamples: string[] = [];
  const duplicatedSamples: string[] = [];
  for (const [k, n] of ref) {
    const d = n - (got.get(k) ?? 0);
    if (d > 0) {
      lost += d;
      if (lostSamples.length < SAMPLES) lostSamples.push(k);
    }
  }
  for (const [k, n] of got) {
    const d = n - (ref.get(k) ?? 0);
    if (d > 0) {
      duplicated += d;
      if (duplicatedSamples.length < SAMPLES) duplicatedSamples.push(k);
    }
  }
  return {
    name,
    kind: run?.kind ?? reference?.kind ?? 'keyed',
    reference: reference?.total ?? 0,
    records: run?.total ?? 0,
    lost,
    duplicated,
    lostSamples,
    duplicatedSamples,
  };
}

/** Batch times that more than one process output or completed: re-run after a restart. */
export function rerunBatches(outputs: RunOutputs): number[] {
  const pids = new Map<number, Set<number>>();
  for (const e of outputs.journal) {
    if (e.event !== 'output' && e.event !== 'batch') continue;
    let s = pids.get(e.batch);
    if (s === undefined) pids.set(e.batch, (s = new Set()));
    s.add(e.pid);
  }
  return [...pids].filter(([, s]) => s.size > 1).map(([t]) => t).sort((a, b) => a - b);
}

/** Builds the report of one faulty run against the reference run. */
export function reportRun(index: number, reference: RunResult, run: RunResult, action: FaultAction): RunReport {
  const names = new Set([...reference.outputs.outputs.keys(), ...run.outputs.outputs.keys()]);
  const outputs = [...names].sort().map((n) => compareOutput(n, reference.outputs.outputs.get(n), run.outputs.outputs.get(n)));
  const journal = run.outputs.journal;
  const rerun = rerunBatches(run.outputs);
  let recoveryMs: number | undefined;
  const killed = run.attempts.findIndex((a) => a.faulted || a.exit !== 'SIGTERM');
  if (killed >= 0 && killed + 1 < run.attempts.length) {
    const next = run.attempts[killed + 1];
    const first = entriesOf(journal, 'batch').find((e) => e.pid === next.pid);
    if (first !== undefined) recoveryMs = first.wall - run.attempts[killed].endedWall;
  }
  let missing = 0;
  for (const e of entriesOf(journal, 'blocks-missing')) missing += e.count;
  return {
    run: index,
    fault: run.fault === undefined ? 'none' : `${run.fault.point}:${run.fault.hit}`,
    action,
    triggered: run.attempts.some((a) => a.faulted),
    attempts: run.attempts.length,
    exits: run.attempts.map((a) => a.exit),
    outputs,
    recordsLost: outputs.reduce((s, o) => s + o.lost, 0),
    recordsDuplicated: outputs.reduce((s, o) => s + o.duplicated, 0),
    walBlocksRecovered: entriesOf(journal, 'wal-read').length,
    blocksMissing: missing,
    batchesRerun: rerun.length,
    rerunBatchTimes: rerun,
    recoveryMs,
    durationMs: run.endedWall - run.startedWall,
    dir: run.dir,
  };
}

/** The reference run's summary for the report. */
export function referenceSummary(reference: RunResult): ExperimentReport['reference'] {
  return {
    durationMs: reference.endedWall - reference.startedWall,
    batches: new Set(entriesOf(reference.outputs.journal, 'batch').map((e) => e.batch)).size,
    outputs: [...reference.outputs.outputs.values()].map((o) => ({ name: o.name, kind: o.kind, records: o.total, batches: o.batches })),
    dir: reference.dir,
  };
}

/** The report as a table for people (the JSON form is the report object itself). */
export function formatReport(r: ExperimentReport): string {
  const lines: string[] = [];
  const rel = path.relative(process.cwd(), r.program);
  lines.push(`dstreams experiment ${rel.startsWith('..') ? r.program : rel}`);
  lines.push(`input: ${r.records} records at ${r.rate}/s (seed ${r.seed}) from a ${r.source} source; fault action: ${r.action}`);
  lines.push(
    `reference (no fault): ${r.reference.batches} batches in ${(r.reference.durationMs / 1000).toFixed(1)} s; ` +
      (r.reference.outputs.map((o) => `${o.name} (${o.kind}) ${o.records} records`).join(', ') || 'no outputs'),
  );
  lines.push('');
  const header = ['fault', 'run', 'output', 'kind', 'reference', 'got', 'lost', 'duplicated', 'WAL blocks', 'lost blocks', 're-run batches', 'recovery'];
  const rows: string[][] = [];
  for (const run of r.runs) {
    run.outputs.forEach((o, i) => {
      const first = i === 0;
      rows.push([
        first ? run.fault + (run.triggered ? '' : ' (not reached)') : '',
        first ? String(run.run) : '',
        o.name,
        o.kind,
        String(o.reference),
        String(o.records),
        String(o.lost),
        String(o.duplicated),
        first ? String(run.walBlocksRecovered) : '',
        first ? String(run.blocksMissing) : '',
        first ? String(run.batchesRerun) : '',
        first ? (run.recoveryMs === undefined ? '-' : `${run.recoveryMs} ms`) : '',
      ]);
    });
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const fmt = (row: string[]): string =>
    row
      .map((cell, c) => (c >= 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) lines.push(fmt(row));
  const examples: string[] = [];
  for (const run of r.runs) {
    for (const o of run.outputs) {
      if (o.lostSamples.length > 0) examples.push(`run ${run.run} ${o.name}: lost e.g. ${o.lostSamples.slice(0, 3).join(', ')}`);
      if (o.duplicatedSamples.length > 0) examples.push(`run ${run.run} ${o.name}: duplicated e.g. ${o.duplicatedSamples.slice(0, 3).join(', ')}`);
    }
  }
  if (examples.length > 0) lines.push('', ...examples);
  return lines.join('\n') + '\n';
}
