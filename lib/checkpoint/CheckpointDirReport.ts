import * as fs from 'node:fs';
import * as path from 'node:path';
import { countSegmentRecords } from '../../wal/SegmentScanner';
import { sequenceBreaks } from '../../wal/SegmentSequence';
import { errorMessage } from '../core/errors';
import { type CheckpointRecord, validateCheckpoint } from './Checkpoint';
import { resolveCheckpointDir } from './CheckpointPath';
import { decodeCheckpoint, getCheckpointFiles } from './CheckpointFile';

/** The checkpoint folder given to a report does not exist. */
export class CheckpointDirNotFoundError extends Error {
  constructor(readonly dir: string) {
    super(`no such checkpoint folder: ${dir}`);
    this.name = 'CheckpointDirNotFoundError';
  }
}

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

function logFolder(folder: string, base: string, countRecords: boolean): LogFolderReport {
  // Segments missing from the middle, copied or renamed (found by their sequence numbers).
  const breaks = countRecords ? sequenceBreaks(folder) : new Map<string, string>();
  const segments = fs
    .readdirSync(folder)
    .filter((n) => /^log-[0-9]+-[0-9]+$/.test(n))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))
    .map((name) => {
      const file = path.join(folder, name);
      const bytes = fs.statSync(file).size;
      if (!countRecords) return { name, bytes };
      try {
        const r = countSegmentRecords(file);
        const error = [r.damage, breaks.get(name)].filter((e) => e !== undefined).join('; ');
        return { name, bytes, records: r.records, ...(error ? { error } : {}) };
      } catch (e) {
        return { name, bytes, error: errorMessage(e) };
      }
    });
  return { folder: path.relative(base, folder) || '.', segments };
}

/**
 * What a checkpoint folder holds (for `dstreams inspect` and the web UI): checkpoint files and their validity, the
 * checkpoint a restart would use, pending batches, what a restart now would re-run, the graph with each stream's
 * checkpoint data, and the write-ahead log segments (with their intact record counts when `countRecords`).
 */
export function inspectCheckpointDir(dir: string, nowMs = Date.now(), countRecords = true): InspectReport {
  const full = resolveCheckpointDir(dir);
  if (!fs.existsSync(full) || !fs.statSync(full).isDirectory()) throw new CheckpointDirNotFoundError(dir);
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
  if (fs.existsSync(meta)) logs.push(logFolder(meta, full, countRecords));
  const data = path.join(full, 'receivedData');
  if (fs.existsSync(data)) {
    for (const id of fs.readdirSync(data).sort((a, b) => Number(a) - Number(b))) logs.push(logFolder(path.join(data, id), full, countRecords));
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

