/**
 * Recovery from an older checkpoint file when the newer ones are unreadable (a deep fallback), SIGKILLed for real.
 * The metadata log is newer than such a checkpoint: it has cleaned the allocations of batches the checkpoint's state
 * still needs (the state is as of an older data checkpoint, and the batches after it are re-computed). Recovery must
 * then refuse, naming the checkpoint and the batch, rather than treat those batches as empty; a fallback whose
 * batches are all still in the log recovers with the right counts. Scenario: fixtures/deepFallbackWordCount.ts.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getCheckpointFiles } from '../../lib';
import { BLOCK, BLOCKS, record } from './fixtures/deepFallbackInput';

const ROOT = path.resolve(__dirname, '../..');
const PROGRAM = path.join(__dirname, 'fixtures/deepFallbackWordCount.ts');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the program; with `killOn`, SIGKILLs it once it prints that line. */
function runProgram(cp: string, out: string, mode: 'first' | 'recover', killOn?: string): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM, cp, out, mode], {
    cwd: ROOT,
    env: { ...process.env, DSTREAMS_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (killOn && stdout.includes(killOn)) child.kill('SIGKILL');
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

function expectedCounts(): Array<[string, number]> {
  const c = new Map<string, number>();
  for (let i = 0; i < BLOCKS * BLOCK; i++) c.set(record(i), (c.get(record(i)) ?? 0) + 1);
  return [...c].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function latestState(out: string): { time: number; state: Array<[string, number]> } | undefined {
  const times = fs
    .readdirSync(out)
    .map((f) => /^state-(\d+)\.json$/.exec(f)?.[1])
    .filter((t): t is string => t !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  if (times.length === 0) return undefined;
  const time = times[times.length - 1];
  return { time, state: JSON.parse(fs.readFileSync(path.join(out, `state-${time}.json`), 'utf8')) };
}

/** Makes a checkpoint file unreadable: one byte of its body changed (a CRC mismatch). */
function corrupt(file: string): void {
  const b = fs.readFileSync(file);
  b[b.length - 2] ^= 0x20;
  fs.writeFileSync(file, b);
}

describe('deep checkpoint fallback after a SIGKILL', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** The scripted first run, SIGKILLed; then every checkpoint file newer than `keep` made unreadable. */
  async function crashAndDamage(keep: string): Promise<{ cp: string; out: string; corrupted: string[] }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-deep-fallback-'));
    dirs.push(dir);
    const cp = path.join(dir, 'checkpoint');
    const first = await runProgram(cp, path.join(dir, 'out-first'), 'first', 'READY');
    expect({ signal: first.signal, stderr: first.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    const files = getCheckpointFiles(cp);
    // The 10 files kept: the generation-time (.bk) and completion-time copies of batches 10000..14000.
    expect(files.map((f) => f.name)).toEqual([10000, 11000, 12000, 13000, 14000].flatMap((t) => [`checkpoint-${t}.bk`, `checkpoint-${t}`]));
    const at = files.findIndex((f) => f.name === keep);
    const corrupted = files.slice(at + 1).map((f) => f.path);
    for (const f of corrupted) corrupt(f);
    return { cp, out: path.join(dir, 'out-recover'), corrupted };
  }

  test('9 of the 10 files unreadable, the one left needs a batch the log has cleaned: recovery refuses, naming the checkpoint and the batch', async () => {
    const { cp, out, corrupted } = await crashAndDamage('checkpoint-10000.bk');
    expect(corrupted).toHaveLength(9);
    const r = await runProgram(cp, out, 'recover');
    // checkpoint-10000.bk holds the state of batch 6000; batch 7000 completed before it was written, and the log
    // cleaned its allocation when batch 14000 completed. Counting it as empty would lose its 10 records.
    const [from, outcome] = r.stdout.split('\n');
    if (outcome === 'DONE') expect(latestState(out)?.state).toEqual(expectedCounts());
    expect(from).toBe(`FROM ${path.join(cp, 'checkpoint-10000.bk')}`);
    expect(outcome).toMatch(/^REFUSED /);
    const refusal = JSON.parse(outcome.slice('REFUSED '.length)) as { name: string; message: string; checkpointFile: string; batchTimeMs: number[] };
    expect(refusal.name).toBe('MetadataLogIncompleteException');
    expect(refusal.checkpointFile).toBe(path.join(cp, 'checkpoint-10000.bk'));
    expect(refusal.batchTimeMs).toEqual([7000]);
    expect(refusal.message).toContain(`checkpoint ${path.join(cp, 'checkpoint-10000.bk')}`);
    expect(refusal.message).toContain('batch 7000 ms');
    expect(refusal.message).toContain('cleaned');
    expect(r.code).toBe(3);
    // Nothing was output: no batch ran.
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  }, 90_000);

  test('6 of the 10 files unreadable, the newest readable one has every batch it needs in the log: recovers from it with the right counts', async () => {
    // checkpoint-11000 holds the state of batch 9000; batches 10000 and later are all in the log.
    const { cp, out, corrupted } = await crashAndDamage('checkpoint-11000');
    expect(corrupted).toHaveLength(6);
    const r = await runProgram(cp, out, 'recover');
    expect({ code: r.code, stderr: r.stderr, state: latestState(out)?.state }).toEqual({ code: 0, stderr: '', state: expectedCounts() });
    expect(r.stdout).toBe(`FROM ${path.join(cp, 'checkpoint-11000')}\nDONE\n`);
  }, 90_000);

  test('the newest readable file needs a batch the log has cleaned, an older one does not: recovers from the older one with the right counts', async () => {
    // checkpoint-11000.bk (written when batch 11000 was generated) holds the state of 6000 and needs batch 7000;
    // the older checkpoint-10000 (written when batch 10000 completed) holds the state of 9000.
    const { cp, out, corrupted } = await crashAndDamage('checkpoint-11000.bk');
    expect(corrupted).toHaveLength(7);
    const r = await runProgram(cp, out, 'recover');
    expect({ code: r.code, stderr: r.stderr, state: latestState(out)?.state }).toEqual({ code: 0, stderr: '', state: expectedCounts() });
    expect(r.stdout).toBe(`FROM ${path.join(cp, 'checkpoint-10000')}\nDONE\n`);
  }, 90_000);
});
