/**
 * The classic lessons, measured by the experiment runner on the shipped programs (real child processes, SIGKILL at
 * `job.after-output`, restart from the checkpoint, seeded input): a receiver without the WAL loses records, with it
 * nothing is lost and the re-run batches read their blocks back from the WAL.
 */
import * as path from 'node:path';
import { runExperiment } from '../../lib/experiments';

const EXAMPLES = path.resolve(__dirname, '../../examples/experiments');
// Batch 5 of 200 ms falls about a second into a 2.5 s input: there are blocks in flight when the process dies.
const FAULT = { point: 'job.after-output' as const, hit: 5 };
const RECORDS = 2500;

function experiment(program: string) {
  return runExperiment({ program: path.join(EXAMPLES, program), faults: [FAULT], records: RECORDS, rate: 1000, seed: 7 });
}

test('(a) without the receiver WAL a crash loses records: blocks found nowhere after the restart', async () => {
  const report = await experiment('no-wal-loses-data.ts');
  expect(report.reference.outputs).toEqual([expect.objectContaining({ name: 'ids', kind: 'keyed', records: RECORDS })]);
  const [run] = report.runs;
  expect(run.triggered).toBe(true);
  expect(run.exits[0]).toBe('SIGKILL');
  expect(run.attempts).toBe(2);
  const ids = run.outputs.find((o) => o.name === 'ids');
  expect(ids?.lost).toBeGreaterThan(0);
  expect(ids?.duplicated).toBe(0);
  expect(run.recordsLost).toBe(ids?.lost);
  expect(run.blocksMissing).toBeGreaterThan(0);
  expect(run.walBlocksRecovered).toBe(0);
  expect(run.batchesRerun).toBeGreaterThanOrEqual(1);
  expect(run.recoveryMs).toBeGreaterThan(0);
}, 90_000);

test('(b) with a reliable receiver and the receiver WAL nothing is lost: re-run batches read the WAL', async () => {
  const report = await experiment('wal-no-loss.ts');
  expect(report.reference.outputs).toEqual([expect.objectContaining({ name: 'ids', records: RECORDS })]);
  const [run] = report.runs;
  expect(run.triggered).toBe(true);
  expect(run.exits[0]).toBe('SIGKILL');
  expect(run.outputs).toEqual([expect.objectContaining({ name: 'ids', reference: RECORDS, records: RECORDS, lost: 0, duplicated: 0 })]);
  expect(run.walBlocksRecovered).toBeGreaterThan(0);
  expect(run.blocksMissing).toBe(0);
  expect(run.batchesRerun).toBeGreaterThanOrEqual(1);
  expect(run.recoveryMs).toBeGreaterThan(0);
}, 90_000);

test('a fault thrown in the receiver\'s store path restarts the receiver in the same process; nothing is lost', async () => {
  const report = await runExperiment({
    program: path.join(EXAMPLES, 'wal-no-loss.ts'),
    faults: [{ point: 'block.after-store-before-ack', hit: 4 }],
    action: 'throw',
    records: RECORDS,
    rate: 1000,
    seed: 7,
  });
  const [run] = report.runs;
  expect(run).toMatchObject({ action: 'throw', triggered: true, attempts: 1, recordsLost: 0, recordsDuplicated: 0 });
  expect(run.recoveryMs).toBeUndefined();
}, 90_000);

test('--source lines: the unreliable socket receiver gets every record in the reference, and loses some on a crash', async () => {
  const report = await runExperiment({
    program: path.join(__dirname, 'fixtures/plainSocketIds.ts'),
    faults: [FAULT],
    source: 'lines',
    records: RECORDS,
    rate: 1000,
    seed: 7,
  });
  expect(report.source).toBe('lines');
  expect(report.reference.outputs).toEqual([expect.objectContaining({ name: 'ids', records: RECORDS })]);
  const [run] = report.runs;
  expect(run).toMatchObject({ triggered: true, attempts: 2, walBlocksRecovered: 0, recordsDuplicated: 0 });
  expect(run.recordsLost).toBeGreaterThan(0);
  expect(run.blocksMissing).toBeGreaterThan(0);
}, 90_000);
