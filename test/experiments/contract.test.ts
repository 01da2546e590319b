/**
 * The experiment contract's pieces without child processes: output file names, reading a run's folder (and the
 * errors for malformed files), the record-by-record comparison, re-run batches, --fault parsing, the program kit's
 * environment errors, and the sinks' files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Time } from '../../lib';
import {
  compareOutput,
  DEFAULT_FAULT_HITS,
  EXPERIMENT_ENV,
  ExperimentContractError,
  ExperimentProgram,
  experimentRecords,
  FaultSpecError,
  parseFaults,
  parseOutputFile,
  readRunOutputs,
} from '../../lib/experiments';
import { rerunBatches } from '../../lib/experiments/ExperimentReport';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-exp-contract-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  [EXPERIMENT_ENV.SOURCE]: '127.0.0.1:9999',
  [EXPERIMENT_ENV.CHECKPOINT]: path.join(dir, 'cp'),
  [EXPERIMENT_ENV.OUT]: path.join(dir, 'out'),
  ...extra,
});

test('output file names: keyed per batch time, append log, others ignored', () => {
  expect(parseOutputFile('ids-1700000000200.jsonl')).toEqual({ kind: 'keyed', name: 'ids', batchMs: 1700000000200 });
  expect(parseOutputFile('word-counts-1000.jsonl')).toEqual({ kind: 'keyed', name: 'word-counts', batchMs: 1000 });
  expect(parseOutputFile('ids-appended.log.jsonl')).toEqual({ kind: 'append', name: 'ids-appended' });
  expect(parseOutputFile('_journal.jsonl')).toBeUndefined();
  expect(parseOutputFile('ids-1000.jsonl.tmp-123')).toBeUndefined();
});

test('the kit writes keyed files (a re-run replaces) and append logs (a re-run appends); the reader sees both', () => {
  const exp = ExperimentProgram.fromEnv(env());
  const t = new Time(1000);
  exp.writeBatch('ids', t, ['a', 'b']);
  exp.writeBatch('ids', t, ['a', 'b']);
  exp.writeBatch('ids', new Time(1200), ['c']);
  exp.appendBatch('log', t, ['a', 'b']);
  exp.appendBatch('log', t, ['a', 'b']);
  const out = readRunOutputs(exp.outDir);
  expect(out.outputs.get('ids')).toMatchObject({ kind: 'keyed', total: 3, batches: 2 });
  expect(out.outputs.get('log')).toMatchObject({ kind: 'append', total: 4, batches: 1 });
  expect(out.outputs.get('log')?.counts.get('"a"')).toBe(2);
  expect(out.journal.filter((e) => e.event === 'output')).toHaveLength(5);
  expect(fs.readdirSync(exp.outDir).sort()).toEqual(['_journal.jsonl', 'ids-1000.jsonl', 'ids-1200.jsonl', 'log.log.jsonl']);
});

test('record-by-record comparison: lost and duplicated count multiplicity, with samples', () => {
  const counts = (xs: string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(JSON.stringify(x), (m.get(JSON.stringify(x)) ?? 0) + 1);
    return m;
  };
  const ref = { name: 'o', kind: 'append' as const, counts: counts(['a', 'b', 'c', 'c']), total: 4, batches: 1 };
  const run = { name: 'o', kind: 'append' as const, counts: counts(['a', 'a', 'a', 'c']), total: 4, batches: 1 };
  const c = compareOutput('o', ref, run);
  expect(c).toMatchObject({ reference: 4, records: 4, lost: 2, duplicated: 2 });
  expect(c.lostSamples.sort()).toEqual(['"b"', '"c"']);
  expect(c.duplicatedSamples).toEqual(['"a"']);
  expect(compareOutput('o', ref, undefined)).toMatchObject({ lost: 4, duplicated: 0, records: 0 });
});

test('a batch output or completed by two processes is a re-run batch', () => {
  const journal = [
    { event: 'output' as const, pid: 1, name: 'ids', batch: 1000, records: 2, wall: 0 },
    { event: 'batch' as const, pid: 1, batch: 1000, records: 2, wall: 0 },
    { event: 'output' as const, pid: 1, name: 'ids', batch: 1200, records: 2, wall: 0 },
    { event: 'output' as const, pid: 2, name: 'ids', batch: 1200, records: 2, wall: 0 },
    { event: 'batch' as const, pid: 2, batch: 1400, records: 0, wall: 0 },
  ];
  expect(rerunBatches({ outputs: new Map(), journal })).toEqual([1200]);
});

test('malformed output files are errors naming the file and line', () => {
  fs.writeFileSync(path.join(dir, 'ids-1000.jsonl'), '"a"\nnot json\n');
  expect(() => readRunOutputs(dir)).toThrow(/ids-1000\.jsonl line 2: not JSON/);
  fs.rmSync(path.join(dir, 'ids-1000.jsonl'));
  fs.writeFileSync(path.join(dir, 'x.log.jsonl'), '{"value":1}\n');
  expect(() => readRunOutputs(dir)).toThrow(/x\.log\.jsonl line 1: an append output line is \{"batch":<ms>,"value":<json>\}/);
  fs.rmSync(path.join(dir, 'x.log.jsonl'));
  fs.writeFileSync(path.join(dir, 'y.log.jsonl'), '{"batch":1,"value":1}\n');
  fs.writeFileSync(path.join(dir, 'y-1000.jsonl'), '1\n');
  expect(() => readRunOutputs(dir)).toThrow(ExperimentContractError);
});

test('the kit names a missing or malformed environment variable, and a bad output name', () => {
  expect(() => ExperimentProgram.fromEnv({})).toThrow(/DSTREAMS_EXPERIMENT_SOURCE: not set/);
  expect(() => ExperimentProgram.fromEnv(env({ [EXPERIMENT_ENV.SOURCE]: 'nowhere' }))).toThrow(/'nowhere' is not host:port/);
  expect(() => ExperimentProgram.fromEnv(env({ [EXPERIMENT_ENV.SOURCE_KIND]: 'kafka' }))).toThrow(/DSTREAMS_EXPERIMENT_SOURCE_KIND: 'kafka' is not one of replayable, lines/);
  const exp = ExperimentProgram.fromEnv(env());
  expect(() => exp.writeBatch('../escape', new Time(1000), [])).toThrow(/output '\.\.\/escape'/);
  expect(() => exp.appendBatch('_journal', new Time(1000), [])).toThrow(ExperimentContractError);
});

test('--fault parsing: point, point:hit, lists, all; errors name the value', () => {
  expect(parseFaults('job.after-output:5')).toEqual([{ point: 'job.after-output', hit: 5 }]);
  expect(parseFaults('wal.after-append')).toEqual([{ point: 'wal.after-append', hit: DEFAULT_FAULT_HITS['wal.after-append'] }]);
  expect(parseFaults('all')).toHaveLength(Object.keys(DEFAULT_FAULT_HITS).length);
  expect(parseFaults('job.after-output:2,checkpoint.mid-write:3').map((f) => f.point)).toEqual(['job.after-output', 'checkpoint.mid-write']);
  expect(() => parseFaults('job.after-outptu')).toThrow(/--fault 'job.after-outptu': unknown fault point 'job.after-outptu'; known points: wal.after-append/);
  expect(() => parseFaults('job.after-output:0')).toThrow(FaultSpecError);
  expect(() => parseFaults('job.after-output:2:kill')).toThrow(/the action is --action/);
});

test('the seeded input: the same seed gives the same unique records', () => {
  const a = experimentRecords(7, 500);
  expect(experimentRecords(7, 500)).toEqual(a);
  expect(experimentRecords(8, 500)).not.toEqual(a);
  expect(new Set(a).size).toBe(500);
  expect(a[42]).toMatch(/^42 \S+/);
});
