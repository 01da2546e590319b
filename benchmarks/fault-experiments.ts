/**
 * Fault experiments, every fault point (SIGKILL) on examples/experiments/wal-no-loss.ts: per point, the recovery
 * time (kill → first batch completed by the restarted process, including its start-up), the WAL blocks read back
 * and the batches re-run, plus records lost / duplicated (0 expected); and the cost of the no-WAL lesson.
 * `npm run bench -- fault-experiments` (RUNS=3 by default).
 */
import * as path from 'node:path';
import { runExperiment } from '../lib/experiments';
import { parseFaults } from '../lib/experiments/Experiment';
import { writeResult } from './report';

const RUNS = Number(process.env.RUNS ?? 3);
const EXAMPLES = path.join(__dirname, '..', 'examples', 'experiments');

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const settings = { records: 3000, rate: 1000, seed: 42, runs: RUNS };
  const wal = await runExperiment({ ...settings, program: path.join(EXAMPLES, 'wal-no-loss.ts'), faults: parseFaults('all') });
  const points: Record<string, unknown> = {};
  for (const fault of new Set(wal.runs.map((r) => r.fault))) {
    const runs = wal.runs.filter((r) => r.fault === fault && r.triggered);
    points[fault] = {
      triggered: runs.length,
      recoveryMsMedian: median(runs.map((r) => r.recoveryMs).filter((x): x is number => x !== undefined)),
      walBlocksMedian: median(runs.map((r) => r.walBlocksRecovered)),
      batchesRerunMedian: median(runs.map((r) => r.batchesRerun)),
      recordsLost: runs.reduce((s, r) => s + r.recordsLost, 0),
      recordsDuplicated: runs.reduce((s, r) => s + r.recordsDuplicated, 0),
    };
  }
  const noWal = await runExperiment({ ...settings, program: path.join(EXAMPLES, 'no-wal-loses-data.ts'), faults: parseFaults('job.after-output:5') });
  const naive = await runExperiment({ ...settings, program: path.join(EXAMPLES, 'naive-sink-duplicates.ts'), faults: parseFaults('job.after-output:5') });
  writeResult('fault-experiments', {
    settings,
    referenceMs: wal.reference.durationMs,
    walNoLoss: points,
    noWalLosesData: noWal.runs.map((r) => ({ lost: r.recordsLost, lostBlocks: r.blocksMissing, recoveryMs: r.recoveryMs })),
    naiveSinkDuplicates: naive.runs.map((r) => ({
      keyedDuplicated: r.outputs.find((o) => o.name === 'ids')?.duplicated,
      appendDuplicated: r.outputs.find((o) => o.name === 'ids-appended')?.duplicated,
      recoveryMs: r.recoveryMs,
    })),
  });
}

void main();
