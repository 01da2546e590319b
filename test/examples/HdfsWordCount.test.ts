/**
 * The HdfsWordCount examples run as real child processes on the system clock: files are moved into the monitored
 * folder and the printed batches are read from stdout (polled until a bounded deadline; the children are
 * SIGKILLed at the end).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DEADLINE_MS = 30_000;

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
}

const children: ChildProcessWithoutNullStreams[] = [];
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-hdfswc-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

function run(example: string, args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'examples', example), ...args], {
    cwd: ROOT,
    env: { ...process.env, DSTREAMS_LOG_LEVEL: 'warn' },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

async function waitFor(what: string, r: Running, cond: () => boolean): Promise<void> {
  const end = Date.now() + DEADLINE_MS;
  while (!cond()) {
    if (r.child.exitCode !== null) throw new Error(`the example exited (${r.child.exitCode}) before ${what}\nstdout:\n${r.stdout()}\nstderr:\n${r.stderr()}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nstdout:\n${r.stdout()}\nstderr:\n${r.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The printed batches: for each `Time:` header, the sorted lines under it. */
function batches(stdout: string): Array<{ time: string; lines: string[] }> {
  const out: Array<{ time: string; lines: string[] }> = [];
  const parts = stdout.split('-------------------------------------------\nTime: ').slice(1);
  for (const p of parts) {
    const complete = p.endsWith('\n\n') || p.includes('\n\n');
    if (!complete) continue;
    const [header, , ...rest] = p.split('\n');
    out.push({ time: header, lines: rest.filter((l) => l !== '' && !l.startsWith('---')).sort() });
  }
  return out;
}

/** Writes a file beside the folder and renames it in, so that it appears whole (as the guide asks). */
function moveIn(dir: string, name: string, text: string): void {
  const tmp = path.join(root, `.${name}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, path.join(dir, name));
}

function hasBatch(r: Running, expected: string[]): boolean {
  return batches(r.stdout()).some((b) => JSON.stringify(b.lines) === JSON.stringify(expected));
}

test('HdfsWordCount: warns about the missing folder, then counts the words of each file moved in, once', async () => {
  const dir = path.join(root, 'words');
  const r = run('HdfsWordCount.ts', [dir]);
  await waitFor('the missing-folder warning', r, () => r.stderr().includes(`No directory to scan: ${dir}`));
  expect(r.stderr()).toContain('File stream [0]');
  fs.mkdirSync(dir);
  moveIn(dir, 'a.txt', 'hello world hello\n');
  await waitFor('the batch of a.txt', r, () => hasBatch(r, ['(hello,2)', '(world,1)']));
  moveIn(dir, 'b.txt', 'to be or not to be\n');
  await waitFor('the batch of b.txt', r, () => hasBatch(r, ['(be,2)', '(not,1)', '(or,1)', '(to,2)']));
  // Each file was counted in exactly one batch; batches are 2 s apart (Spark's Time: <ms> ms header).
  const all = batches(r.stdout());
  expect(all.filter((b) => b.lines.includes('(hello,2)'))).toHaveLength(1);
  expect(all.filter((b) => b.lines.includes('(to,2)'))).toHaveLength(1);
  const times = all.map((b) => Number(/^(\d+) ms$/.exec(b.time)?.[1]));
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(2000);
});

test('hdfs_wordcount (PySpark flavour): pprint output with the batch time as a datetime', async () => {
  const r = run('hdfs_wordcount.ts', [root]);
  await waitFor('the first batch', r, () => batches(r.stdout()).length > 0);
  moveIn(root, 'c.txt', 'a b a\n');
  await waitFor('the batch of c.txt', r, () => batches(r.stdout()).some((b) => b.lines.includes("('a', 2)")));
  const b = batches(r.stdout()).find((x) => x.lines.includes("('a', 2)"))!;
  expect(b.lines).toEqual(["('a', 2)", "('b', 1)"]);
  expect(b.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
});

test('HdfsWordCount without arguments prints the usage and exits with 1', async () => {
  const r = run('HdfsWordCount.ts', []);
  const code = await new Promise<number | null>((resolve) => r.child.on('exit', resolve));
  expect(code).toBe(1);
  expect(r.stderr()).toContain('Usage: HdfsWordCount <directory>');
});
