/**
 * The WAL damage fuzzer's long run (the suite runs a 500-trial slice): seeded trials of a real log damaged by bit
 * flips, zeroed ranges and headers, truncation, deleted / copied / swapped segments, appended garbage and frames, a
 * torn tail, with payloads that embed valid-looking frames; each read strictly and with skipCorruptRecords. Reports
 * the trial counts, what was applied, the records written / intact / returned / lost-and-reported, and every finding
 * (a wrong, duplicated or out-of-order record, an unexpected exception, an intact frame cut, an unreported loss).
 *
 *   npm run bench -- wal-fuzz [--trials 20000] [--seed 1]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setLogLevel } from '../lib/core/logging';
import { fuzz } from '../test/wal/fixtures/walDamageFuzzer';
import { arg, writeResult } from './report';

async function main(): Promise<void> {
  setLogLevel('silent');
  const trials = arg('trials', 20_000);
  const seed = arg('seed', 1);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wal-fuzz-'));
  const loadBefore = os.loadavg()[0];
  const t0 = performance.now();
  let summary;
  try {
    summary = await fuzz(seed, trials, root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const seconds = (performance.now() - t0) / 1000;
  const { findings, ...counts } = summary;
  writeResult('wal-fuzz', {
    description:
      'Seeded WAL damage trials (test/wal/fixtures/walDamageFuzzer.ts), each read strictly and with skipCorruptRecords; ' +
      'findings must be empty: no wrong / duplicated / out-of-order record, no unexpected exception, no intact frame cut, no unreported loss',
    seed,
    seconds: +seconds.toFixed(1),
    trialsPerSecond: +(trials / seconds).toFixed(1),
    loadAverage1m: { before: +loadBefore.toFixed(2), after: +os.loadavg()[0].toFixed(2) },
    ...counts,
    findingCount: findings.length,
    findings: findings.slice(0, 50),
  });
  if (findings.length > 0) process.exitCode = 1;
}

void main();
