/**
 * recovery: a program killed (SIGKILL) with ~1 GB of received but unprocessed data in the receiver WAL and a state of
 * 1M keys in a data checkpoint, restarted from its checkpoint folder. Reports, in one run:
 *
 * - the disk's sequential read rate: the WAL segment files read in 8 MiB chunks after dropping the page cache
 *   (`sync; echo 3 > /proc/sys/vm/drop_caches`; the JSON says whether the drop worked: a warm-cache figure is not
 *   the disk's rate), the fastest of `--reps` cold reads (the conservative figure to compare the replay with);
 * - time to the first recovered batch: spawn → the batch holding the WAL'd data completed (and recovery only:
 *   getOrCreate → that batch), plus the re-run of the checkpointed batch before it;
 * - WAL replay MB/s: the WAL bytes of that batch (frames) over the time of a `count()` of its
 *   WriteAheadLogBackedBlockRDD, which reads, checks and decodes every record (timed apart from the stateful count,
 *   which is the second output), and its ratio to the disk's sequential read rate (aim: ≥ 0.5);
 * - checkpoint write time per batch: metadata file, and the state's data checkpoint with 1M keys, full and delta;
 * - state restore time (reading the data checkpoint chain back).
 *
 *   npm run bench -- recovery [--quick] [--mb 1024] [--keys 1000000] [--churn 10000] [--reps 5] [--keep]
 *                             [--node-flags "<flags for the recovering child>"]
 *
 * `--quick`: 100 MB and 100K keys. The child program is benchmarks/recovery/child.ts; it runs on the manual clock so
 * no batch runs while the data arrives: it steps 2 batches (full, then delta state checkpoint), then the parent
 * serves ~1 GB of ~100-byte lines through a ReplayableLineSource and kills the child once every record is
 * acknowledged (stored in the WAL and the metadata log). The page cache is dropped again before the restart, so the
 * replay reads the disk too.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ReplayableLineSource } from '../receivers';
import { arg, writeResult } from './report';

const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const QUICK = flag('quick');
const MB = arg('mb', QUICK ? 100 : 1024);
const KEYS = arg('keys', QUICK ? 100_000 : 1_000_000);
const CHURN = arg('churn', QUICK ? 1_000 : 10_000);
const REPS = arg('reps', 5);
const KEEP = flag('keep');
/** Extra node flags for the recovering child, e.g. `--node-flags "--cpu-prof --cpu-prof-dir /tmp/prof"` or `--trace-gc`. */
const NODE_FLAGS = (process.argv.includes('--node-flags') ? process.argv[process.argv.indexOf('--node-flags') + 1] : '').split(' ').filter((x) => x !== '');
const LINE_BYTES = 100; // with the newline
const RECORDS = Math.ceil((MB * 1e6) / LINE_BYTES);

const ROOT = path.resolve(__dirname, '..');
const CHILD = path.join(__dirname, 'recovery', 'child.ts');
const now = (): number => performance.timeOrigin + performance.now();
const MiB = 2 ** 20;

// ---- the input: record i is `<key> <payload>`, 99 characters; keys spread over the key space (multiplicative hash)

const PAYLOAD = 'event-payload-'.padEnd(90, 'abcdefghijklmnopqrstuvwxyz0123456789');
const keyName = (n: number): string => `u${String(n).padStart(7, '0')}`;
const keyIndex = (i: number): number => (Math.imul(i, 0x9e3779b1) >>> 0) % KEYS;
function lineAt(i: number): string {
  const p = i % 90;
  return `${keyName(keyIndex(i))} ${PAYLOAD.slice(p)}${PAYLOAD.slice(0, p)}`;
}

// ---- child processes

interface ChildRun {
  child: ChildProcess;
  spawnedAt: number;
  events: Array<Record<string, unknown> & { event: string; at: number }>;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (event: string, timeoutMs: number) => Promise<Record<string, unknown> & { event: string; at: number }>;
}

function startChild(mode: 'ingest' | 'recover', port: number, cp: string): ChildRun {
  const spawnedAt = now();
  const child = spawn(process.execPath, [...(mode === 'recover' ? NODE_FLAGS : []), '--import', 'tsx', CHILD, mode, String(port), cp, String(KEYS), String(CHURN)], {
    cwd: ROOT,
    env: { ...process.env, DSTREAMS_LOG_LEVEL: process.env.DSTREAMS_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ChildRun['events'] = [];
  const waiters: Array<() => void> = [];
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        events.push(JSON.parse(line));
      } catch {
        process.stdout.write(`[child] ${line}\n`);
      }
      for (const w of waiters.splice(0)) w();
    }
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 1e6) err = err.slice(-5e5);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters.splice(0)) w();
    }),
  );
  let exited = false;
  void exit.then(() => (exited = true));
  const waitFor: ChildRun['waitFor'] = async (event, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = events.find((x) => x.event === event);
      if (e) return e;
      if (exited) throw new Error(`child (${mode}) exited before '${event}':\n${err.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for '${event}' from the child (${mode}):\n${err.slice(-4000)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return { child, spawnedAt, events, stderr: () => err, exit, waitFor };
}

// ---- the disk

/** Flushes dirty pages and drops the page cache; false when not permitted (then reads may be served from memory). */
function dropCaches(): boolean {
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

function syncAll(): void {
  try {
    // sync(2) for every file system: the WAL and checkpoint writes are fsynced already; this flushes everything else.
    execFileSync('sync');
  } catch {
    /* best effort */
  }
}

/** Reads `files` sequentially in 8 MiB chunks; MiB/s. */
function sequentialRead(files: readonly string[]): { bytes: number; ms: number; mibPerSec: number } {
  const buf = Buffer.allocUnsafe(8 * MiB);
  let bytes = 0;
  const t0 = performance.now();
  for (const f of files) {
    const fd = fs.openSync(f, 'r');
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        bytes += n;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  const ms = performance.now() - t0;
  return { bytes, ms: round(ms), mibPerSec: round(bytes / MiB / (ms / 1000)) };
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

const sizeOf = (files: readonly string[]): number => files.reduce((s, f) => s + fs.statSync(f).size, 0);
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// ---- the run

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-bench-recovery-'));
  const cp = path.join(dir, 'checkpoint');
  const load: Record<string, number[]> = { atStart: os.loadavg().map((x) => round(x, 2)) };
  const source = new ReplayableLineSource(lineAt, RECORDS, { chunkRecords: 4096 });
  const port = await freePort();
  console.log(`recovery benchmark: ${MB} MB (${RECORDS} lines of ${LINE_BYTES} B), ${KEYS} keys, churn ${CHURN}; folder ${dir}`);
  try {
    // Phase 1: state checkpointed, then ~1 GB received into the WAL and nothing processed; SIGKILL.
    const first = startChild('ingest', port, cp);
    const ready = await first.waitFor('ready', 300_000);
    console.log(`ingest child ready after ${round(ready.at - first.spawnedAt)} ms (2 batches, state checkpointed)`);
    const tIngest = now();
    // Listening only now: until then the receiver's connection attempts fail and it retries, so no record
    // arrives before the state is checkpointed.
    await source.listen(port);
    while (source.acknowledged < RECORDS) {
      if (first.child.exitCode !== null) throw new Error(`the ingest child exited early:\n${first.stderr().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const ingestMs = now() - tIngest;
    first.child.kill('SIGKILL');
    const killed = await first.exit;
    if (killed.signal !== 'SIGKILL') throw new Error(`the ingest child ended with ${JSON.stringify(killed)} instead of SIGKILL`);
    load.afterIngest = os.loadavg().map((x) => round(x, 2));
    const walFiles = listFiles(path.join(cp, 'receivedData'));
    const walBytes = sizeOf(walFiles);
    const metadataLogBytes = sizeOf(listFiles(path.join(cp, 'receivedBlockMetadata')));
    const stateBytes = sizeOf(listFiles(path.join(cp, 'state')));
    console.log(`killed with ${round(walBytes / 1e6)} MB in ${walFiles.length} WAL segment(s) after ${round(ingestMs)} ms of ingest`);

    // The disk's sequential read rate, on the WAL segments themselves, cold.
    syncAll();
    const reads: Array<{ bytes: number; ms: number; mibPerSec: number; cacheDropped: boolean }> = [];
    for (let r = 0; r < REPS; r++) {
      const dropped = dropCaches();
      reads.push({ ...sequentialRead(walFiles), cacheDropped: dropped });
    }
    const warm = sequentialRead(walFiles);
    const cacheDropped = reads.every((r) => r.cacheDropped);
    // The ratio is taken against the fastest cold read (the conservative choice: reads vary from rep to rep in a VM).
    const diskMiBps = Math.max(...reads.map((r) => r.mibPerSec));
    const diskMedianMiBps = median(reads.map((r) => r.mibPerSec));
    console.log(`disk sequential read: best ${diskMiBps}, median ${diskMedianMiBps} MiB/s (cache dropped: ${cacheDropped}; warm ${warm.mibPerSec} MiB/s)`);

    // Phase 2: restart from the checkpoint, with a cold cache.
    const droppedBeforeRestart = dropCaches();
    load.beforeRestart = os.loadavg().map((x) => round(x, 2));
    const second = startChild('recover', port, cp);
    const recovered = await second.waitFor('recovered', 300_000);
    const rerun = await second.waitFor('rerun-done', 300_000);
    const batchDone = await second.waitFor('recovered-batch-done', 1_800_000);
    const done = await second.waitFor('done', 300_000);
    const end = await second.exit;
    load.atEnd = os.loadavg().map((x) => round(x, 2));
    if (end.code !== 0) throw new Error(`the recovering child ended with ${JSON.stringify(end)}:\n${second.stderr().slice(-4000)}`);

    const replays = second.events.filter((e) => e.event === 'replay');
    const replay = replays.find((e) => e.time === batchDone.time) as Record<string, number> | undefined;
    if (!replay) throw new Error('no replay event for the recovered batch');
    const states = second.events.filter((e) => e.event === 'state') as Array<Record<string, number>>;
    const recoveredState = states.find((e) => e.time === batchDone.time);
    const lastState = states[states.length - 1];
    // The state counts every record once: the initial keys at 0, plus the churn keys once per batch.
    const batchesSinceZero = (t: number): number => t / 1000;
    const expectedTotal = (t: number): number => RECORDS + CHURN * batchesSinceZero(t);
    const correct =
      replay.records === RECORDS &&
      recoveredState !== undefined &&
      recoveredState.total === expectedTotal(recoveredState.time) &&
      recoveredState.keys === KEYS &&
      lastState.total === expectedTotal(lastState.time);

    const firstCp = ready.checkpoints as { writes: Array<Record<string, number>>; state: Array<Record<string, unknown>> };
    const secondCp = done.checkpoints as { writes: Array<Record<string, number>>; state: Array<Record<string, unknown>> };
    const allWrites = [...firstCp.writes, ...secondCp.writes];
    const allState = [...firstCp.state, ...secondCp.state] as Array<{ full: boolean; ms: number; entries: number; bytes: number; timeMs: number }>;
    const replayMiBps = round(replay.walBytes / MiB / (replay.ms / 1000));
    const result = {
      params: { mb: MB, records: RECORDS, lineBytes: LINE_BYTES, keys: KEYS, churnKeysPerBatch: CHURN, batchMs: 1000, partitions: 2, quick: QUICK },
      correct,
      killedWith: {
        walBytes,
        walSegments: walFiles.length,
        metadataLogBytes,
        stateCheckpointBytes: stateBytes,
        ingestMs: round(ingestMs),
        ingestMiBps: round(walBytes / MiB / (ingestMs / 1000)),
      },
      disk: {
        sequentialReadMiBps: diskMiBps,
        sequentialReadMedianMiBps: diskMedianMiBps,
        reps: reads,
        cacheDropped,
        method: 'the WAL segment files read in 8 MiB chunks (fs.readSync) after sync; echo 3 > /proc/sys/vm/drop_caches',
        warmCacheMiBps: warm.mibPerSec,
        note:
          'In a VM the guest drop_caches does not empty the host\'s cache: the first rep after the kill can be much slower than the next ones (the host reading its disk, or still writing back). The ratio is taken against the fastest cold rep (sequentialReadMiBps); the restarted program replays after these reps.',
      },
      restart: {
        cacheDroppedBeforeRestart: droppedBeforeRestart,
        timeToFirstRecoveredBatchMs: round(batchDone.at - second.spawnedAt),
        recoveryOnlyMs: round(batchDone.at - recovered.at + (recovered.getOrCreateMs as number)),
        getOrCreateMs: round(recovered.getOrCreateMs as number),
        rerunOfCheckpointBatchMs: round(rerun.at - second.spawnedAt),
        spawnToRecoveredMs: round(recovered.at - second.spawnedAt),
        recoveredBatchTime: batchDone.time,
        rerunBatchTime: rerun.time,
      },
      walReplay: {
        records: replay.records,
        blocks: replay.walBlocks,
        blocksFromWal: replay.blocksFromWal,
        walBytes: replay.walBytes,
        ms: round(replay.ms),
        mibPerSec: replayMiBps,
        recordsPerSec: Math.round(replay.records / (replay.ms / 1000)),
        ratioToDiskSequentialRead: round(replayMiBps / diskMiBps, 3),
        ratioToDiskMedian: round(replayMiBps / diskMedianMiBps, 3),
        aim: 0.5,
        metAim: replayMiBps / diskMiBps >= 0.5,
      },
      recoveredBatch: { statefulCountMs: recoveredState ? round(recoveredState.ms) : undefined, keys: recoveredState?.keys, total: recoveredState?.total },
      checkpointWrites: {
        metadataMs: stats(allWrites.map((w) => w.metadataMs)),
        metadataBytes: allWrites.length ? allWrites[allWrites.length - 1].metadataBytes : undefined,
        stateFull: allState.filter((s) => s.full).map((s) => ({ timeMs: s.timeMs, entries: s.entries, bytes: s.bytes, ms: s.ms })),
        stateDelta: allState.filter((s) => !s.full).map((s) => ({ timeMs: s.timeMs, entries: s.entries, bytes: s.bytes, ms: s.ms })),
        perWrite: allWrites.map((w) => ({ timeMs: w.timeMs, stateMs: round(w.stateMs), metadataMs: round(w.metadataMs) })),
        note: 'A metadata checkpoint is written twice per batch (jobs generated, batch completed), as Spark; the state is written once per batch (its checkpoint interval is the batch), before the metadata file that names it.',
      },
      stateRestore: recovered.stateRestore,
      load,
      notes:
        'Child on the manual clock (spark.streaming.clock=manual), local[2], 1 s batches; ReplayableSocketReceiver storing 10,000-line blocks with the receiver WAL on. ' +
        'The replay figure is a count() over the recovered WriteAheadLogBackedBlockRDD (every block read from its WAL record: open, read, CRC, decode each line to a string), the first output of the batch, with a cold page cache when cacheDroppedBeforeRestart; ' +
        'the stateful count (second output) reads the same blocks again, warm. timeToFirstRecoveredBatchMs runs from spawn to the end of the batch holding the WAL data (completed, checkpointed), after the re-run of the checkpointed batch.',
    };
    writeResult('recovery', result);
    if (!correct) {
      console.error('WRONG RESULT: the recovered state does not count every record exactly once');
      process.exitCode = 1;
    }
  } finally {
    await source.close();
    if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function stats(xs: number[]): { median: number; min: number; max: number; n: number } | undefined {
  if (xs.length === 0) return undefined;
  return { median: round(median(xs), 2), min: round(Math.min(...xs), 2), max: round(Math.max(...xs), 2), n: xs.length };
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
