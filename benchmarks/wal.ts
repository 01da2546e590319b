/**
 * WAL benchmark: FileBasedWriteAheadLog with group commit, records of 100 B / 4 KiB / 64 KiB written by 1 and 16
 * concurrent writers, beside a raw baseline measured in the same run: plain `fs.writeSync` + `fdatasync` of the
 * same frame bytes, appended to a fresh file, with the same sync cadence (the records per fdatasync the WAL
 * achieved). WAL and baseline alternate in short slices so that the disk's drift affects both alike; each figure is
 * the median over the slices.
 *
 *   npm run bench -- wal [--quick]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setLogLevel } from '../lib/core/logging';
import { FileBasedWriteAheadLog, type WalSyncPolicy } from '../wal/FileBasedWriteAheadLog';
import { FRAME_HEADER_SIZE } from '../wal/SegmentFormat';
import { promisify } from 'node:util';
import { writeResult } from './report';

const fdatasyncAsync = promisify(fs.fdatasync);

const quick = process.argv.includes('--quick');
const SLICE_MS = quick ? 200 : 300;
const REPS = quick ? 3 : 9;
// The baselines write the WAL's frame bytes: header and record.
const FRAME_OVERHEAD = FRAME_HEADER_SIZE;

interface Slice {
  records: number;
  seconds: number;
  latenciesMs: Float64Array;
  syncs: number;
}

interface Figures {
  recordsPerSec: number;
  mbPerSec: number;
  p50Ms: number;
  p99Ms: number;
  recordsPerSync: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function percentile(xs: Float64Array, p: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** `writers` closed-loop writers, each awaiting its write before the next, for SLICE_MS. */
async function walSlice(dir: string, size: number, writers: number, sync: WalSyncPolicy): Promise<Slice> {
  const wal = new FileBasedWriteAheadLog(dir, { rollingIntervalSecs: 3600, sync });
  const payloads = Array.from({ length: writers }, (_, w) => Buffer.alloc(size, w + 1));
  const lat = new Float64Array(1_000_000);
  let n = 0;
  const t0 = performance.now();
  const end = t0 + SLICE_MS;
  await Promise.all(
    payloads.map(async (p) => {
      while (performance.now() < end) {
        const s = performance.now();
        await wal.write(p, 1000);
        lat[n++] = performance.now() - s;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const syncs = wal.stats.syncs;
  await wal.close();
  return { records: n, seconds, latenciesMs: lat.subarray(0, n), syncs };
}

/** The same frame bytes, `perSync` records per write + fdatasync, synchronously, into a fresh file. */
function baselineSlice(file: string, size: number, perSync: number): Slice {
  const group = Buffer.alloc((FRAME_OVERHEAD + size) * perSync, 7);
  const fd = fs.openSync(file, 'a');
  const lat = new Float64Array(1_000_000);
  let groups = 0;
  const t0 = performance.now();
  const end = t0 + SLICE_MS;
  while (performance.now() < end) {
    const s = performance.now();
    fs.writeSync(fd, group);
    fs.fdatasyncSync(fd);
    // Every record of a group waits for the group's sync.
    const d = performance.now() - s;
    for (let i = 0; i < perSync; i++) lat[groups * perSync + i] = d;
    groups++;
  }
  const seconds = (performance.now() - t0) / 1000;
  fs.closeSync(fd);
  const records = groups * perSync;
  return { records, seconds, latenciesMs: lat.subarray(0, records), syncs: groups };
}

/** Control: the same bytes and cadence with the WAL's I/O pattern (writeSync, then fdatasync on the libuv pool). */
async function baselineAsyncSlice(file: string, size: number, perSync: number): Promise<Slice> {
  const group = Buffer.alloc((FRAME_OVERHEAD + size) * perSync, 7);
  const fd = fs.openSync(file, 'a');
  const lat = new Float64Array(1_000_000);
  let groups = 0;
  const t0 = performance.now();
  const end = t0 + SLICE_MS;
  while (performance.now() < end) {
    const s = performance.now();
    fs.writeSync(fd, group);
    await fdatasyncAsync(fd);
    const d = performance.now() - s;
    for (let i = 0; i < perSync; i++) lat[groups * perSync + i] = d;
    groups++;
  }
  const seconds = (performance.now() - t0) / 1000;
  fs.closeSync(fd);
  const records = groups * perSync;
  return { records, seconds, latenciesMs: lat.subarray(0, records), syncs: groups };
}

function figures(slices: Slice[], size: number): Figures {
  const rates = slices.map((s) => s.records / s.seconds);
  const all = new Float64Array(slices.reduce((a, s) => a + s.latenciesMs.length, 0));
  let o = 0;
  for (const s of slices) {
    all.set(s.latenciesMs, o);
    o += s.latenciesMs.length;
  }
  const recordsPerSec = median(rates);
  const records = slices.reduce((a, s) => a + s.records, 0);
  const syncs = slices.reduce((a, s) => a + s.syncs, 0);
  return {
    recordsPerSec: Math.round(recordsPerSec),
    mbPerSec: +((recordsPerSec * size) / (1024 * 1024)).toFixed(1),
    p50Ms: +percentile(all, 50).toFixed(3),
    p99Ms: +percentile(all, 99).toFixed(3),
    recordsPerSync: syncs > 0 ? +(records / syncs).toFixed(1) : Infinity,
  };
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wal-'));
  const loadBefore = os.loadavg();
  const cases: Array<{ size: number; writers: number; sync: WalSyncPolicy }> = [];
  for (const size of [100, 4096, 65536]) for (const writers of [1, 16]) cases.push({ size, writers, sync: 'group' });
  cases.push({ size: 4096, writers: 16, sync: 'record' });
  const results: Array<Record<string, unknown>> = [];
  try {
    // Warm-up: file system and JIT.
    await walSlice(path.join(root, 'warm'), 4096, 16, 'group');
    fs.rmSync(path.join(root, 'warm'), { recursive: true, force: true });
    for (const c of cases) {
      const wal: Slice[] = [];
      const base: Slice[] = [];
      const baseAsync: Slice[] = [];
      // The baselines replay the cadence the WAL achieved (records per fdatasync, rounded), measured first.
      const probe = await walSlice(path.join(root, 'probe'), c.size, c.writers, c.sync);
      const perSync = Math.max(1, Math.round(probe.records / Math.max(1, probe.syncs)));
      for (let r = 0; r < REPS; r++) {
        // Round-robin with a rotating start, so that the disk's drift (other processes' fsyncs) hits all three alike.
        for (let k = 0; k < 3; k++) {
          const which = (r + k) % 3;
          if (which === 0) wal.push(await walSlice(path.join(root, `wal-${r}`), c.size, c.writers, c.sync));
          else if (which === 1) base.push(baselineSlice(path.join(root, `base-${r}`), c.size, perSync));
          else baseAsync.push(await baselineAsyncSlice(path.join(root, `base-async-${r}`), c.size, perSync));
        }
      }
      for (const f of fs.readdirSync(root)) fs.rmSync(path.join(root, f), { recursive: true, force: true });
      const dirFd = fs.openSync(root, 'r');
      fs.fsyncSync(dirFd);
      fs.closeSync(dirFd);
      const wf = figures(wal, c.size);
      const bf = figures(base, c.size);
      const af = figures(baseAsync, c.size);
      const row = {
        recordBytes: c.size,
        writers: c.writers,
        sync: c.sync,
        wal: wf,
        baseline: bf,
        ratioToBaseline: +(wf.recordsPerSec / bf.recordsPerSec).toFixed(3),
        baselineAsyncSync: af,
        ratioToBaselineAsyncSync: +(wf.recordsPerSec / af.recordsPerSec).toFixed(3),
      };
      results.push(row);
      console.error(
        `${String(c.size).padStart(6)} B x ${String(c.writers).padStart(2)} ${c.sync.padEnd(6)} ` +
          `wal ${wf.recordsPerSec} rec/s ${wf.mbPerSec} MiB/s p50 ${wf.p50Ms} p99 ${wf.p99Ms} ms (${wf.recordsPerSync}/sync) | ` +
          `raw ${bf.recordsPerSec} rec/s p99 ${bf.p99Ms} ms | ratio ${row.ratioToBaseline} | raw+async-sync ${af.recordsPerSec} ratio ${row.ratioToBaselineAsyncSync}`,
      );
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const groupRows = results.filter((r) => r.sync === 'group');
  const aimRows = groupRows.filter((r) => (r.recordBytes as number) >= 4096);
  writeResult('wal', {
    description:
      'FileBasedWriteAheadLog (group commit) vs raw writeSync+fdatasync of the same frame bytes at the same records per sync; ' +
      'control baselineAsyncSync: the same with fdatasync on the libuv pool, as the WAL does; ' +
      `closed-loop writers; median of ${REPS} alternating slices of ${SLICE_MS} ms; latency percentiles over all slices`,
    directory: os.tmpdir(),
    // fsync-bound figures swing with other processes' disk and CPU use; the load average says how busy it was.
    loadAverage1m: { before: +loadBefore[0].toFixed(2), after: +os.loadavg()[0].toFixed(2) },
    results,
    aims: {
      ratioAtLeast80PercentFrom4KiB: aimRows.every((r) => (r.ratioToBaseline as number) >= 0.8),
      p99Under10ms: groupRows.every((r) => (r.wal as Figures).p99Ms < 10),
    },
  });
}

void main();
