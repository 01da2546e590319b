import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeCheckpoint, getCheckpointFiles } from '../checkpoint/CheckpointFile';
import { type CheckpointRecord, validateCheckpoint } from '../checkpoint/Checkpoint';
import { errorMessage } from '../core/errors';
import { CliError, ExitCode } from './exitCodes';

export interface CheckpointFileReport {
  name: string;
  timeMs: number;
  backup: boolean;
  bytes: number;
  valid: boolean;
  error?: string;
}

export interface LogFolderReport {
  folder: string;
  segments: Array<{ name: string; bytes: number; records?: number; error?: string }>;
}

export interface InspectReport {
  checkpointDir: string;
  checkpoints: CheckpointFileReport[];
  /** The checkpoint a restart would use. */
  recoverFrom?: { file: string; checkpointTimeMs: number; batchDurationMs: number; zeroTimeMs: number; appName: string };
  pendingBatchesMs: number[];
  /** Batch times a restart now would re-run (checkpoint time, pending, and those missed since), capped at 100. */
  restartWouldRunMs: number[];
  streams: Array<{ seq: number; className: string; site: string; checkpointData?: unknown }>;
  logs: LogFolderReport[];
  other: string[];
}

/** Counts the records of a WAL segment; the WAL module registers a real reader (framing, CRC) here. */
export type SegmentCounter = (file: string) => { records: number; error?: string };
let segmentCounter: SegmentCounter | undefined;
export function setSegmentCounter(c: SegmentCounter): void {
  segmentCounter = c;
}

function logFolder(folder: string, base: string): LogFolderReport {
  const segments = fs
    .readdirSync(folder)
    .filter((n) => /^log-[0-9]+-[0-9]+$/.test(n))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))
    .map((name) => {
      const file = path.join(folder, name);
      const bytes = fs.statSync(file).size;
      if (!segmentCounter) return { name, bytes };
      try {
        const r = segmentCounter(file);
        return { name, bytes, records: r.records, ...(r.error ? { error: r.error } : {}) };
      } catch (e) {
        return { name, bytes, error: errorMessage(e) };
      }
    });
  return { folder: path.relative(base, folder) || '.', segments };
}

/** Builds the report of `dstreams inspect <checkpointDir>`. */
export function inspectCheckpointDir(dir: string, nowMs = Date.now()): InspectReport {
  const full = path.resolve(dir);
  if (!fs.existsSync(full) || !fs.statSync(full).isDirectory()) {
    throw new CliError(`no such checkpoint folder: ${dir}`, 'give the folder passed to ssc.checkpoint(...)', ExitCode.NOT_FOUND);
  }
  const checkpoints: CheckpointFileReport[] = [];
  let best: { file: string; cp: CheckpointRecord } | undefined;
  for (const f of getCheckpointFiles(full).reverse()) {
    const bytes = fs.statSync(f.path).size;
    try {
      const cp = validateCheckpoint(f.path, decodeCheckpoint(f.path, fs.readFileSync(f.path)));
      checkpoints.push({ name: f.name, timeMs: f.timeMs, backup: f.isBackup, bytes, valid: true });
      best ??= { file: f.name, cp };
    } catch (e) {
      checkpoints.push({ name: f.name, timeMs: f.timeMs, backup: f.isBackup, bytes, valid: false, error: errorMessage(e) });
    }
  }
  const logs: LogFolderReport[] = [];
  const meta = path.join(full, 'receivedBlockMetadata');
  if (fs.existsSync(meta)) logs.push(logFolder(meta, full));
  const data = path.join(full, 'receivedData');
  if (fs.existsSync(data)) {
    for (const id of fs.readdirSync(data).sort((a, b) => Number(a) - Number(b))) logs.push(logFolder(path.join(data, id), full));
  }
  const known = new Set(['receivedBlockMetadata', 'receivedData', ...checkpoints.map((c) => c.name)]);
  const other = fs.readdirSync(full).filter((n) => !known.has(n));
  let restartWouldRunMs: number[] = [];
  if (best) {
    const { cp } = best;
    const b = cp.batchDurationMs;
    const restart = cp.zeroTimeMs + (Math.floor((nowMs - cp.zeroTimeMs) / b) + 1) * b;
    const times = new Set<number>(cp.pendingTimesMs.filter((t) => t < restart));
    for (let t = cp.checkpointTimeMs; t < restart && times.size < 100; t += b) times.add(t);
    restartWouldRunMs = [...times].sort((x, y) => x - y);
  }
  return {
    checkpointDir: full,
    checkpoints,
    recoverFrom: best && {
      file: best.file,
      checkpointTimeMs: best.cp.checkpointTimeMs,
      batchDurationMs: best.cp.batchDurationMs,
      zeroTimeMs: best.cp.zeroTimeMs,
      appName: best.cp.appName,
    },
    pendingBatchesMs: best ? [...best.cp.pendingTimesMs] : [],
    restartWouldRunMs,
    streams: best
      ? best.cp.graph.map((n) => ({ seq: n.seq, className: n.className, site: n.site, ...(best!.cp.streams[String(n.seq)] !== undefined ? { checkpointData: best!.cp.streams[String(n.seq)] } : {}) }))
      : [],
    logs,
    other,
  };
}

/** The report as text for a terminal. */
export function formatInspectReport(r: InspectReport): string {
  const lines: string[] = [`Checkpoint folder ${r.checkpointDir}`, ''];
  lines.push('Checkpoints (newest first):');
  if (r.checkpoints.length === 0) lines.push('  (none: a restart creates a new context)');
  for (const c of r.checkpoints) lines.push(`  ${c.name.padEnd(28)} ${String(c.bytes).padStart(9)} B  ${c.valid ? 'ok' : `INVALID: ${c.error}`}`);
  if (r.recoverFrom) {
    const rf = r.recoverFrom;
    lines.push('', `A restart recovers from ${rf.file} (app ${rf.appName}, batch ${rf.batchDurationMs} ms, checkpoint time ${rf.checkpointTimeMs} ms)`);
    lines.push(`Pending batches: ${r.pendingBatchesMs.length ? r.pendingBatchesMs.map((t) => `${t} ms`).join(', ') : 'none'}`);
    const shown = r.restartWouldRunMs.slice(0, 10).map((t) => `${t} ms`).join(', ');
    lines.push(`A restart now would re-run ${r.restartWouldRunMs.length}${r.restartWouldRunMs.length >= 100 ? '+' : ''} batch(es): ${shown}${r.restartWouldRunMs.length > 10 ? ', ...' : ''}`);
    lines.push('', 'DStream graph:');
    for (const s of r.streams) {
      const data = s.checkpointData === undefined ? '' : `  checkpoint data: ${JSON.stringify(s.checkpointData).slice(0, 100)}`;
      lines.push(`  [${s.seq}] ${s.className} (${s.site})${data}`);
    }
  }
  for (const l of r.logs) {
    const total = l.segments.reduce((a, s) => a + s.bytes, 0);
    lines.push('', `Write-ahead log ${l.folder}: ${l.segments.length} segment(s), ${total} B`);
    for (const s of l.segments) {
      lines.push(`  ${s.name.padEnd(32)} ${String(s.bytes).padStart(10)} B${s.records !== undefined ? `  ${s.records} records` : ''}${s.error ? `  ${s.error}` : ''}`);
    }
  }
  if (r.other.length) lines.push('', `Other entries: ${r.other.join(', ')}`);
  return lines.join('\n') + '\n';
}
