import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CheckpointFileReport, inspectCheckpointDir } from '../checkpoint/CheckpointDirReport';
import { errorMessage } from '../core/errors';
import { parseLogFileName } from '../../wal/LogInfo';
import { countSegmentRecords } from '../../wal/SegmentScanner';

/** One WAL segment file. */
export interface SegmentJson {
  name: string;
  startTime?: number;
  endTime?: number;
  bytes: number;
  /** Intact records (framing and CRCs checked). */
  records?: number;
  /** Why the count stopped early: a torn tail (normal for the segment being written) or damage. */
  damage?: string;
  error?: string;
}

/** One write-ahead log folder: the driver's block metadata log or one receiver stream's data log. */
export interface WalFolderJson {
  folder: string;
  kind: 'metadata' | 'receiver' | 'other';
  streamId?: number;
  bytes: number;
  segments: SegmentJson[];
}

/** Checkpoints, pending batches and write-ahead logs of the checkpoint folder (`/api/v1/streaming/storage`). */
export interface StorageJson {
  checkpointDir?: string;
  checkpoints: CheckpointFileReport[];
  recoverFrom?: { file: string; checkpointTimeMs: number; batchDurationMs: number; zeroTimeMs: number; appName: string };
  /** Batches that were pending when the newest checkpoint was written. */
  checkpointPendingBatches: number[];
  /** Batches a restart from the checkpoint would run now (capped at 100). */
  restartWouldRun: number[];
  /** Batches submitted and not yet completed in this process. */
  pendingBatches: number[];
  wal: WalFolderJson[];
  other: string[];
  error?: string;
}

interface Counted {
  size: number;
  mtimeMs: number;
  records: number;
  damage?: string;
}

/**
 * Builds the storage report from the checkpoint folder report (lib/checkpoint/CheckpointDirReport.ts, as
 * `dstreams inspect`) and counts each segment's records with the WAL's own scanner. Counts are cached by file size and mtime, so a closed segment is read once.
 */
export class StorageReport {
  private readonly counts = new Map<string, Counted>();

  build(checkpointDir: string | undefined, pendingBatches: readonly number[], nowMs: number): StorageJson {
    const base: StorageJson = { checkpoints: [], checkpointPendingBatches: [], restartWouldRun: [], pendingBatches: [...pendingBatches], wal: [], other: [] };
    if (checkpointDir === undefined) return base;
    base.checkpointDir = checkpointDir;
    let r: ReturnType<typeof inspectCheckpointDir>;
    try {
      r = inspectCheckpointDir(checkpointDir, nowMs, false);
    } catch (e) {
      return { ...base, error: errorMessage(e) };
    }
    const seen = new Set<string>();
    const wal = r.logs.map((l): WalFolderJson => {
      const dir = path.join(r.checkpointDir, l.folder);
      const segments = l.segments.map((s) => {
        const file = path.join(dir, s.name);
        seen.add(file);
        const info = parseLogFileName(dir, s.name);
        return { ...(info ? { startTime: info.startTime, endTime: info.endTime } : {}), ...this.count(file, s.name, s.bytes) };
      });
      const m = /^receivedData[\\/](\d+)$/.exec(l.folder);
      return {
        folder: l.folder,
        kind: l.folder === 'receivedBlockMetadata' ? 'metadata' : m ? 'receiver' : 'other',
        ...(m ? { streamId: Number(m[1]) } : {}),
        bytes: segments.reduce((a, s) => a + s.bytes, 0),
        segments,
      };
    });
    for (const k of this.counts.keys()) if (!seen.has(k)) this.counts.delete(k);
    return {
      ...base,
      checkpoints: r.checkpoints,
      recoverFrom: r.recoverFrom,
      checkpointPendingBatches: r.pendingBatchesMs,
      restartWouldRun: r.restartWouldRunMs,
      wal,
      other: r.other,
    };
  }

  private count(file: string, name: string, bytes: number): SegmentJson {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return { name, bytes }; // cleaned up since the listing
    }
    const have = this.counts.get(file);
    if (have && have.size === st.size && have.mtimeMs === st.mtimeMs) {
      return { name, bytes: st.size, records: have.records, ...(have.damage ? { damage: have.damage } : {}) };
    }
    try {
      const { records, damage } = countSegmentRecords(file);
      this.counts.set(file, { size: st.size, mtimeMs: st.mtimeMs, records, damage });
      return { name, bytes: st.size, records, ...(damage ? { damage } : {}) };
    } catch (e) {
      return { name, bytes: st.size, error: errorMessage(e) };
    }
  }
}
