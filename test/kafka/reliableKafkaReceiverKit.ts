/**
 * What the receiver-based Kafka fault suites share: the word-count program (fixtures/kafkaReceiverWordCount.ts) as a
 * real child process, the input lines and their expected word counts, producing them to a topic in small sends
 * (each send is one record batch, so the receiver's fetches take a few at a time), and reading the sink.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import type { Producer } from 'kafkajs';
import type { FaultPointName } from '../../lib';
import { createTopic, type KafkaTestClients, produce } from './kafkaStreamTestKit';
import { uniqueName } from './kafkaTestEnv';

const ROOT = path.resolve(__dirname, '../..');
const PROGRAM = path.join(__dirname, 'fixtures/kafkaReceiverWordCount.ts');
const WORDS = ['spark', 'stream', 'batch', 'window', 'state', 'kafka', 'wal', 'block'];

export const line = (i: number): string => `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length]} w${i % 13}`;

/** Word counts of lines [0, total), keys sorted. */
export function expectedCounts(total: number): Record<string, number> {
  const c: Record<string, number> = {};
  for (let i = 0; i < total; i++) for (const w of line(i).split(' ')) c[w] = (c[w] ?? 0) + 1;
  return sortKeys(c);
}

export function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Produces lines [from, to) alternately to partitions 0 and 1, `perSend` lines per send. */
export async function produceLines(producer: Producer, topic: string, from: number, to: number, perSend = 20): Promise<void> {
  for (let i = from; i < to; i += perSend) {
    const end = Math.min(to, i + perSend);
    const batch = Array.from({ length: end - i }, (_, j) => line(i + j));
    await produce(producer, topic, batch, (j) => (i + j) % 2);
  }
}

export interface Run {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ProgramArgs {
  bootstrap: string;
  topic: string;
  groupId: string;
  checkpointDir: string;
  outDir: string;
  mode: 'wal' | 'nowal';
  maxRate?: number;
}

const running = new Set<ChildProcess>();

/** Starts the program (`fault`: DSTREAMS_FAULT, e.g. `wal.after-append:8:kill`). */
export function startProgram(a: ProgramArgs, fault?: string, env: NodeJS.ProcessEnv = {}): Run {
  const args = [a.bootstrap, a.topic, a.groupId, a.checkpointDir, a.outDir, a.mode, ...(a.maxRate ? [String(a.maxRate)] : [])];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DSTREAMS_LOG_LEVEL: 'error', ...env };
  delete childEnv.DSTREAMS_FAULT;
  if (fault) childEnv.DSTREAMS_FAULT = fault;
  const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, stderr: () => err, exit };
}

/** SIGKILLs every program still running (afterEach). */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

function timesOf(out: string, prefix: string): number[] {
  const re = new RegExp(`^${prefix}-(\\d+)\\.json$`);
  return fs
    .readdirSync(out)
    .map((f) => re.exec(f)?.[1])
    .filter((t): t is string => t !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The sink's newest state (keys sorted), or undefined. */
export function latestState(out: string): Record<string, number> | undefined {
  const times = timesOf(out, 'state');
  if (times.length === 0) return undefined;
  return sortKeys(Object.fromEntries(JSON.parse(fs.readFileSync(path.join(out, `state-${times[times.length - 1]}.json`), 'utf8')) as [string, number][]));
}

/** Every batch's state is the state of a prefix of the input: no count goes down or past the total. */
export function checkBatches(out: string, expected: Record<string, number>): void {
  let prev: Record<string, number> = {};
  for (const t of timesOf(out, 'state')) {
    const s = Object.fromEntries(JSON.parse(fs.readFileSync(path.join(out, `state-${t}.json`), 'utf8')) as [string, number][]) as Record<string, number>;
    for (const [w, n] of Object.entries(s)) {
      if (n > expected[w]) throw new Error(`batch ${t}: '${w}' counted ${n} times, more than the ${expected[w]} in the input`);
      if (n < (prev[w] ?? 0)) throw new Error(`batch ${t}: '${w}' went down from ${prev[w]} to ${n}`);
    }
    prev = s;
  }
}

/** Sum of the per-batch record counts the program wrote. */
export function totalCounted(out: string): number {
  let n = 0;
  for (const t of timesOf(out, 'count')) n += JSON.parse(fs.readFileSync(path.join(out, `count-${t}.json`), 'utf8')) as number;
  return n;
}

/** Polls `cond` every 50 ms up to `ms` (the child runs on the system clock). */
export async function waitUntil(cond: () => boolean | Promise<boolean>, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const TOTAL = 1200;
/** Records per second: the input takes about 3 s to consume, so a kill lands mid-stream. */
export const MAX_RATE = 400;

const runDirs: string[] = [];

/** Removes the folders of the runs (afterAll). */
export function removeRunDirs(): void {
  for (const d of runDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * The exactly-once scenario: TOTAL lines in a fresh 2-partition topic; the program (receiver WAL on) is killed at
 * `point` (if any) on its `hit`-th passage, restarted, and run until its state is the topic's word counts; then the
 * group's offsets, the per-batch counts and every batch's state are checked. A kill between a block's store and its
 * commit must make the restarted receiver resume after the stored block (it says so in its log).
 */
export async function runExactlyOnce(clients: KafkaTestClients, bootstrap: string, point: FaultPointName | undefined, hit: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dstreams-kafka-receiver-${point ?? 'none'}-`));
  runDirs.push(dir);
  const topic = uniqueName('receiver-eo');
  const groupId = uniqueName('receiver-eo-group');
  await createTopic(clients.admin, topic, 2);
  await produceLines(clients.producer, topic, 0, TOTAL);
  const args = { bootstrap, topic, groupId, checkpointDir: path.join(dir, 'checkpoint'), outDir: path.join(dir, 'out'), mode: 'wal' as const, maxRate: MAX_RATE };
  const expected = expectedCounts(TOTAL);

  fs.mkdirSync(args.outDir);
  let run = startProgram(args, point ? `${point}:${hit}:kill` : undefined);
  if (point) {
    const r = await run.exit;
    expect({ signal: r.signal, said: run.stderr().includes(`fault point ${point} (hit ${hit}): SIGKILL`) }).toEqual({ signal: 'SIGKILL', said: true });
    run = startProgram(args, undefined, { DSTREAMS_LOG_LEVEL: 'info' });
  }
  await waitUntil(
    () => JSON.stringify(latestState(args.outDir)) === JSON.stringify(expected),
    45_000,
    () => `the final state (now ${JSON.stringify(latestState(args.outDir))}); stderr: ${run.stderr().slice(-2000)}`,
  );
  const offsets = await clients.admin.fetchOffsets({ groupId, topics: [topic] });
  expect(offsets[0].partitions.map((p) => [p.partition, Number(p.offset)]).sort()).toEqual([
    [0, TOTAL / 2],
    [1, TOTAL / 2],
  ]);
  run.child.kill('SIGTERM');
  const end = await run.exit;
  expect(end.code === 0 || end.signal === 'SIGTERM').toBe(true);
  expect(run.stderr()).not.toMatch(/failed:/);
  checkBatches(args.outDir, expected);
  expect(totalCounted(args.outDir)).toBe(TOTAL);
  if (point === 'block.after-store-before-ack') expect(run.stderr()).toContain('after the last block stored');
}
