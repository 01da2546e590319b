/**
 * Every fault point, killed for real (SIGKILL, child process) in a stateful word count over a reliable receiver
 * with the WAL on: restarted from the checkpoint folder until the input is done, the final state equals the word
 * counts of the input, every acknowledged record counted exactly once, and every batch written by the idempotent
 * sink is a consistent state (counts never go down).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAULT_POINTS, type FaultPointName } from '../../lib';
import { ReplayableLineSource } from '../../receivers';

const ROOT = path.resolve(__dirname, '../..');
const PROGRAM = path.join(__dirname, 'fixtures/reliableWordCount.ts');
const WORDS = ['spark', 'stream', 'batch', 'window', 'state', 'kafka', 'wal', 'block'];
const TOTAL = 1500;
const line = (i: number): string => `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length]} w${i % 13}`;

function expectedCounts(): Record<string, number> {
  const c: Record<string, number> = {};
  for (let i = 0; i < TOTAL; i++) for (const w of line(i).split(' ')) c[w] = (c[w] ?? 0) + 1;
  return c;
}

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(port: number, cp: string, out: string, fault?: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM, String(port), cp, out], {
    cwd: ROOT,
    env: { ...process.env, DSTREAMS_LOG_LEVEL: 'error', ...(fault ? { DSTREAMS_FAULT: fault } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, exit };
}

function latestState(out: string): { time: number; state: Record<string, number> } | undefined {
  const files = fs.readdirSync(out).filter((f) => /^state-\d+\.json$/.test(f)).sort((a, b) => Number(a.slice(6, -5)) - Number(b.slice(6, -5)));
  if (files.length === 0) return undefined;
  const f = files[files.length - 1];
  return { time: Number(f.slice(6, -5)), state: Object.fromEntries(JSON.parse(fs.readFileSync(path.join(out, f), 'utf8'))) };
}

/** Polls `cond` every 50 ms up to `ms` (the child runs on the system clock). */
async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runWithFault(point: FaultPointName | undefined, hit: number): Promise<{ runs: number; killed: boolean; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dstreams-fault-${point ?? 'none'}-`));
  const cp = path.join(dir, 'checkpoint');
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const source = new ReplayableLineSource(line, TOTAL, { ratePerSec: 2500, chunkRecords: 50 });
  const port = await source.listen();
  const expected = expectedCounts();
  let runs = 0;
  let killed = false;
  try {
    let run = start(port, cp, out, point ? `${point}:${hit}:kill` : undefined);
    runs++;
    if (point) {
      const r = await run.exit;
      expect(r.signal).toBe('SIGKILL');
      expect(run.stderr()).toContain(`fault point ${point} (hit ${hit}): SIGKILL`);
      killed = true;
      run = start(port, cp, out);
      runs++;
    }
    await waitUntil(() => source.acknowledged >= TOTAL, 60_000, `all ${TOTAL} records acknowledged (${source.acknowledged} so far)`);
    await waitUntil(() => JSON.stringify(latestState(out)?.state) === JSON.stringify(sortKeys(expected)), 30_000, 'the final state');
    run.child.kill('SIGTERM');
    // The shutdown hook stops the context gracefully, then ends the process by the signal (as the JVM's hook).
    const end = await run.exit;
    expect(end.code === 0 || end.signal === 'SIGTERM').toBe(true);
    expect(run.stderr()).not.toMatch(/failed:/);
  } finally {
    await source.close();
  }
  return { runs, killed, out };
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every batch's state is the state of a prefix of the input: no count ever goes down, none passes the total. */
function checkBatches(out: string): void {
  const expected = expectedCounts();
  const files = fs.readdirSync(out).filter((f) => /^state-\d+\.json$/.test(f)).sort((a, b) => Number(a.slice(6, -5)) - Number(b.slice(6, -5)));
  let prev: Record<string, number> = {};
  for (const f of files) {
    const s: Record<string, number> = Object.fromEntries(JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')));
    for (const [w, n] of Object.entries(s)) {
      expect(n).toBeLessThanOrEqual(expected[w]);
      expect(n).toBeGreaterThanOrEqual(prev[w] ?? 0);
    }
    prev = s;
  }
}

describe('fault points (SIGKILL, restart from the checkpoint)', () => {
  test('without a fault the state equals the input\'s word counts', async () => {
    const { out } = await runWithFault(undefined, 0);
    checkBatches(out);
  }, 120_000);

  const hits: Record<FaultPointName, number> = {
    'wal.after-append': 5,
    'block.after-store-before-ack': 4,
    'tracker.after-allocate': 6,
    'job.between-outputs': 6,
    'job.after-output': 6,
    'checkpoint.mid-write': 6,
    'checkpoint.after-write-before-clean': 4,
  };

  test.each(Object.keys(FAULT_POINTS) as FaultPointName[])('%s: nothing acknowledged is lost, nothing is counted twice', async (point) => {
    const { runs, killed, out } = await runWithFault(point, hits[point]);
    expect(killed).toBe(true);
    expect(runs).toBe(2);
    checkBatches(out);
  }, 120_000);
});
