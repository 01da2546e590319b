/**
 * `dstreams experiment` as a child process: lesson (c) (a naive append sink duplicates after recovery, a sink keyed
 * by batch time does not) through the command with `--json <file>`, the table on stdout, and the exit codes of bad
 * invocations.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExperimentReport } from '../../lib/experiments';
import { collect, dstreams, exitCode } from '../cli/cliHelpers';

test('(c) the append sink duplicates the re-run batch, the keyed sink does not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-exp-cli-'));
  const json = path.join(dir, 'report.json');
  try {
    const child = dstreams([
      'experiment',
      'examples/experiments/naive-sink-duplicates.ts',
      '--fault',
      'job.after-output:5',
      '--records',
      '2500',
      '--seed',
      '7',
      '--json',
      json,
    ]);
    const out = collect(child.stdout);
    const err = collect(child.stderr);
    expect(await exitCode(child)).toBe(0);
    expect(err.text()).toContain('dstreams experiment: reference run (no fault)');
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as ExperimentReport;
    const [run] = report.runs;
    expect(run).toMatchObject({ fault: 'job.after-output:5', action: 'kill', triggered: true, attempts: 2 });
    const ids = run.outputs.find((o) => o.name === 'ids');
    const appended = run.outputs.find((o) => o.name === 'ids-appended');
    expect(ids).toMatchObject({ kind: 'keyed', reference: 2500, records: 2500, lost: 0, duplicated: 0 });
    expect(appended).toMatchObject({ kind: 'append', reference: 2500, lost: 0 });
    expect(appended?.duplicated).toBeGreaterThan(0);
    expect(appended?.records).toBe(2500 + (appended?.duplicated ?? 0));
    expect(run.batchesRerun).toBeGreaterThanOrEqual(1);
    expect(run.walBlocksRecovered).toBeGreaterThan(0);
    // The table: one row per output, the duplicated figure in the append sink's row.
    const table = out.text();
    expect(table).toMatch(/fault\s+run\s+output\s+kind\s+reference\s+got\s+lost\s+duplicated\s+WAL blocks\s+lost blocks\s+re-run batches\s+recovery/);
    expect(table).toMatch(new RegExp(`ids-appended\\s+append\\s+2500\\s+${appended?.records}\\s+0\\s+${appended?.duplicated}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);

test('bad invocations: unknown fault point (2), missing program (3), a program outside the contract (1)', async () => {
  const bad = dstreams(['experiment', 'examples/experiments/wal-no-loss.ts', '--fault', 'job.after-ouput']);
  const badErr = collect(bad.stderr);
  expect(await exitCode(bad)).toBe(2);
  expect(badErr.text()).toMatch(/--fault 'job.after-ouput': unknown fault point/);

  const missing = dstreams(['experiment', 'examples/experiments/nope.ts', '--fault', 'all']);
  const missingErr = collect(missing.stderr);
  expect(await exitCode(missing)).toBe(3);
  expect(missingErr.text()).toContain('no such file: examples/experiments/nope.ts');

  // A program that ignores the contract (never reads the source) times out with a message saying so.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-exp-cli-'));
  try {
    const idle = path.join(dir, 'idle.js');
    fs.writeFileSync(idle, 'setTimeout(() => undefined, 60000);\n');
    const child = dstreams(['experiment', idle, '--fault', 'job.after-output:1', '--records', '10', '--timeout', '1.5']);
    const err = collect(child.stderr);
    expect(await exitCode(child)).toBe(1);
    expect(err.text()).toMatch(/Experiment run reference, attempt 1: timed out after 1500 ms: the input was not consumed \(0 of 10 records sent, 0 connections\); does the program read DSTREAMS_EXPERIMENT_SOURCE/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
