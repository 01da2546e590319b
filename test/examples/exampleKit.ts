/**
 * Running the examples end to end: each example is a real child process (`node --import tsx <file> args`), fed by
 * a real TCP server, folder or broker; its stdout is polled until the expected text appears (bounded deadline),
 * and every child still running at the end of a test is SIGKILLed.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineBroadcaster } from '../../lib/cli/LineBroadcaster';
import { programNodeArgs } from '../../lib/cli/tsxLoader';

export const ROOT = path.resolve(__dirname, '../..');
/**
 * tsx's loader as a file URL (so that a child whose cwd is a temporary folder still finds it) and the export
 * condition that makes the examples' `import ... from 'dstreams'` load the checkout's source: what `dstreams run` uses.
 */
export const NODE_ARGS = programNodeArgs();
export const DEADLINE_MS = 30_000;

export interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the child has exited. */
  exited(): Promise<number | string>;
}

const children: ChildProcessWithoutNullStreams[] = [];
const groups = new WeakSet<ChildProcessWithoutNullStreams>();
const closers: Array<() => Promise<void>> = [];
const tempDirs: string[] = [];

/** Kills what the test started (children SIGKILL, servers closed, temp folders removed). */
export async function cleanUp(): Promise<void> {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    // A detached child leads a process group (e.g. tsx and its node): end the whole group.
    if (groups.has(c)) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    } else c.kill('SIGKILL');
  }
  for (const close of closers.splice(0)) await close();
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `dstreams-${prefix}-`));
  tempDirs.push(d);
  return d;
}

export interface StartOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Node arguments before the file (after tsx's loader). */
  readonly nodeArgs?: readonly string[];
}

/** Starts `examples/<file>` (or any path) with `args`, 200 ms batches unless the env says otherwise. */
export function startProgram(file: string, args: readonly string[], opts: StartOptions = {}): Running {
  const full = path.isAbsolute(file) ? file : path.join(ROOT, 'examples', file);
  const child = spawn(process.execPath, [...NODE_ARGS, ...(opts.nodeArgs ?? []), full, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, DSTREAMS_LOG_LEVEL: 'warn', DSTREAMS_BATCH_MS: '200', ...opts.env },
  });
  return track(child);
}

/** Tracks an already spawned child like {@link startProgram}'s (`group`: it was spawned detached, as a group leader). */
export function track(child: ChildProcessWithoutNullStreams, group = false): Running {
  children.push(child);
  if (group) groups.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited: () => exit };
}

/** Polls `cond` every 50 ms until it holds; fails (with the child's output) on exit or after the deadline. */
export async function waitFor(r: Running, what: string, cond: () => boolean, ms = DEADLINE_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (r.child.exitCode !== null || r.child.signalCode !== null) {
      throw new Error(`the program exited (${r.child.exitCode ?? r.child.signalCode}) before ${what}\nstdout:\n${r.stdout().slice(-3000)}\nstderr:\n${r.stderr().slice(-3000)}`);
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nstdout:\n${r.stdout().slice(-3000)}\nstderr:\n${r.stderr().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Batch {
  /** The text after `Time: ` (`1000 ms`, or a datetime for pprint). */
  readonly time: string;
  /** The element lines, in printed order. */
  readonly lines: string[];
}

const DASHES = '-------------------------------------------';

/** The complete `print()` / `pprint()` blocks of `stdout`, in order (a block ends with its empty line). */
export function batches(stdout: string): Batch[] {
  const out: Batch[] = [];
  const lines = stdout.split('\n');
  for (let i = 0; i + 2 < lines.length; i++) {
    if (lines[i] !== DASHES || !lines[i + 1].startsWith('Time: ') || lines[i + 2] !== DASHES) continue;
    const body: string[] = [];
    let j = i + 3;
    while (j < lines.length && lines[j] !== '') body.push(lines[j++]);
    if (j >= lines.length - 1 && !stdout.endsWith('\n')) break;
    if (j >= lines.length) break;
    out.push({ time: lines[i + 1].slice('Time: '.length), lines: body });
    i = j;
  }
  return out;
}

/** Sorted copy (batches are compared as sets: partition order is not part of the contract). */
export const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** Whether some printed batch has exactly these lines (in any order). */
export function hasBatch(stdout: string, expected: readonly string[]): boolean {
  const want = JSON.stringify(sorted(expected));
  return batches(stdout).some((b) => JSON.stringify(sorted(b.lines)) === want);
}

/** The union of the element lines of every batch. */
export function unionOfBatches(stdout: string): Set<string> {
  return new Set(batches(stdout).flatMap((b) => b.lines));
}

/** A real TCP line server on 127.0.0.1 (the `nc -lk` the tutorials use): lines sent before a client connects wait for it. */
export async function lineServer(): Promise<{ port: number; send: (...lines: string[]) => void; server: LineBroadcaster }> {
  const server = new LineBroadcaster(() => undefined, true);
  const port = await server.listen(0, '127.0.0.1');
  closers.push(() => server.close());
  return { port, server, send: (...lines) => void server.send(lines.map((l) => l + '\n').join('')) };
}

/** Waits until the server has a client (the example's receiver connected). */
export async function waitForClient(r: Running, server: LineBroadcaster, count = 1): Promise<void> {
  await waitFor(r, `${count} receiver connection(s)`, () => server.clientCount >= count);
}
