/**
 * The QueueStream examples run as real child processes on the system clock (shortened with QUEUE_STREAM_RDDS):
 * each pushed RDD's batch prints (0,100)..(9,100) in Spark's print() layout (PySpark's pprint() layout for
 * queue_stream.ts), and the process exits by itself with status 0.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '../..');
const DASHES = '-'.repeat(43);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an example with tsx; SIGKILLs it if it has not exited after `timeoutMs`. */
function runExample(file: string, env: Record<string, string>, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'examples', file)], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Splits print()/pprint() output into batches: [header time text, element lines]. */
function blocks(stdout: string): Array<[string, string[]]> {
  const parts = stdout.split(`${DASHES}\nTime: `).slice(1);
  return parts.map((p) => {
    const [time, rest] = p.split(`\n${DASHES}\n`);
    const lines = rest.split('\n');
    // Each block ends with its blank line (and the split leaves one empty string after it).
    return [time, lines.filter((l) => l !== '')];
  });
}

test('QueueStream.ts and queue_stream.ts print every pushed RDD\'s batch and exit cleanly', async () => {
  const [scala, python] = await Promise.all([
    runExample('QueueStream.ts', { QUEUE_STREAM_RDDS: '3' }, 40_000),
    runExample('queue_stream.ts', { QUEUE_STREAM_RDDS: '2' }, 40_000),
  ]);

  expect(scala.stderr).not.toMatch(/Error/);
  expect(scala.code).toBe(0);
  const scalaBlocks = blocks(scala.stdout);
  for (const [time] of scalaBlocks) expect(time).toMatch(/^\d+000 ms$/);
  const full = scalaBlocks.filter(([, lines]) => lines.length > 0);
  expect(full).toHaveLength(3);
  const expected = Array.from({ length: 10 }, (_, k) => `(${k},100)`).sort();
  for (const [, lines] of full) expect([...lines].sort()).toEqual(expected);
  // The batch times are consecutive seconds.
  const times = scalaBlocks.map(([t]) => Number(t.replace(' ms', '')));
  times.forEach((t, i) => i > 0 && expect(t - times[i - 1]).toBe(1000));

  expect(python.code).toBe(0);
  const pyBlocks = blocks(python.stdout);
  for (const [time] of pyBlocks) expect(time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const pyFull = pyBlocks.filter(([, lines]) => lines.length > 0);
  expect(pyFull).toHaveLength(2);
  const pyExpected = Array.from({ length: 10 }, (_, k) => `(${k}, 100)`).sort();
  for (const [, lines] of pyFull) expect([...lines].sort()).toEqual(pyExpected);
});
