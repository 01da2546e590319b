import * as fs from 'node:fs';
import * as path from 'node:path';
import { IllegalArgumentException, IllegalStateException } from '../lib/core/errors';
import { faultPoint } from '../lib/core/FaultPoints';
import { getLogger } from '../lib/core/logging';
import type { SparkConf } from '../lib/core/SparkConf';
import {
  checkOptions,
  DEFAULT_WAL_OPTIONS,
  type FileBasedWriteAheadLogOptions,
  walOptionsFromConf,
} from './FileBasedWriteAheadLogOptions';
import { type FileBasedWriteAheadLogSegment, asFileSegment } from './FileBasedWriteAheadLogSegment';
import { FileBasedWriteAheadLogRandomReader } from './FileBasedWriteAheadLogRandomReader';
import { FileBasedWriteAheadLogWriter } from './FileBasedWriteAheadLogWriter';
import { fsyncDir, fsyncDirSync, unlinkAsync } from './FileSync';
import { listLogs, type LogInfo, logFileName } from './LogInfo';
import { crc32, FRAME_HEADER_SIZE, MAX_RECORD_SIZE, writeFrameHeader } from './SegmentFormat';
import { readSegmentRecords, type WalDamage } from './SegmentScanner';
import { readSegmentHeader } from './SegmentSequence';
import { damageError, planLog, recoverLog, WalDamageRecord, type WalRecoveryReport } from './WalRecovery';
import type { WriteAheadLog, WriteAheadLogRecordHandle } from './WriteAheadLog';
import { WriteAheadLogWriteError } from './WriteAheadLogErrors';

export { DEFAULT_WAL_OPTIONS, type FileBasedWriteAheadLogOptions, type WalSyncPolicy } from './FileBasedWriteAheadLogOptions';
export type { WalRecoveryReport } from './WalRecovery';

const log = getLogger('FileBasedWriteAheadLog');

/** Counters of the write path (for inspection, tests and benchmarks). */
export interface WalWriteStats {
  /** Records made durable. */
  records: number;
  /** Frame bytes made durable. */
  bytes: number;
  /** Group commits (one per batch of records taken from the queue). */
  commits: number;
  /** fdatasync calls on segments (a commit that rolls segments syncs each one). */
  syncs: number;
}

interface PendingRecord {
  /** CRC32 of the record (computed in the writer's turn; the frame header needs the segment and offset). */
  readonly crc: number;
  readonly record: Buffer;
  readonly time: number;
  readonly resolve: (h: FileBasedWriteAheadLogSegment) => void;
  readonly reject: (e: unknown) => void;
  handle: FileBasedWriteAheadLogSegment | undefined;
  durable: boolean;
}

/**
 * A write-ahead log in a directory of segment files `log-<startMs>-<endMs>`: Spark's `FileBasedWriteAheadLog`,
 * with framed, checksummed records (see `SegmentFormat`) and group commit.
 *
 * - Segments roll by record time as Spark: a record whose time is past the current segment's end starts a new one.
 *   A new segment never sorts before an existing one (its start time is raised past the last one's if need be), and
 *   carries the next sequence number, so name order is write order and a missing, copied or renamed segment shows.
 * - `write()` resolves once the record is durable. Records written while the log is idle are committed together at
 *   the end of the event-loop turn; records arriving during a commit form the next one: one write and one fdatasync
 *   per commit. New segment files and removals are followed by an fsync of the directory.
 * - Opening the log checks the segments' sequence and every frame of the segment being written: a torn tail (damage
 *   after which no intact frame follows) is cut and reported in {@link recoveryReport}. Any other damage is never
 *   cut: reads fail with an error naming the segment and the offset, or with `skipCorruptRecords` skip it and report
 *   it (a warning, in `recoveryReport.damage`).
 * - One writer per directory: two open logs writing to the same directory are not coordinated.
 */
export class FileBasedWriteAheadLog implements WriteAheadLog<FileBasedWriteAheadLogSegment> {
  readonly directory: string;
  readonly options: FileBasedWriteAheadLogOptions;
  readonly recoveryReport: WalRecoveryReport;
  readonly stats: WalWriteStats = { records: 0, bytes: 0, commits: 0, syncs: 0 };

  /** Closed segments, oldest first (Spark's `pastLogs`). */
  private pastLogs: LogInfo[];
  private current: FileBasedWriteAheadLogWriter | undefined;
  /** Sequence number of the next segment created, and the salt of the one before it (chained in its header). */
  private nextSequence: number;
  private lastSalt: number;
  private readonly damage = new WalDamageRecord();
  /** Segments known to end with an intact frame, which may be appended to when a new segment's name collides. */
  private readonly cleanEnded = new Set<string>();
  private directoryReady = false;

  private pending: PendingRecord[] = [];
  private pendingBytes = 0;
  private committing = false;
  private commitScheduled = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  private readonly cleanings = new Set<Promise<void>>();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(directory: string, options: Partial<FileBasedWriteAheadLogOptions> = {}) {
    this.directory = path.resolve(directory);
    this.options = checkOptions({ ...DEFAULT_WAL_OPTIONS, ...options });
    this.pastLogs = listLogs(this.directory);
    const { report, nextSequence, lastSalt } = recoverLog(this.directory, this.pastLogs, this.options.skipCorruptRecords, this.damage);
    this.recoveryReport = report;
    this.nextSequence = nextSequence;
    this.lastSalt = lastSalt;
    if (report.cleanEnded !== undefined) this.cleanEnded.add(report.cleanEnded);
  }

  /** The options a driver (`isDriver`) or receiver log takes from the configuration. */
  static optionsFromConf(conf: SparkConf, isDriver: boolean): FileBasedWriteAheadLogOptions {
    return walOptionsFromConf(conf, isDriver);
  }

  /** Reads one record by handle without an open log (the WAL-backed block RDD's path). */
  static readRecord(handle: WriteAheadLogRecordHandle): Promise<Buffer> {
    return FileBasedWriteAheadLogRandomReader.read(handle);
  }

  write(record: Buffer, timeMs: number): Promise<FileBasedWriteAheadLogSegment> {
    if (this.closed) {
      return Promise.reject(new IllegalStateException(`The write-ahead log in ${this.directory} is closed; cannot write the record with time ${timeMs}`));
    }
    if (!Buffer.isBuffer(record)) {
      const r: unknown = record;
      if (!(r instanceof Uint8Array)) {
        return Promise.reject(new IllegalArgumentException(`A write-ahead log record must be a Buffer, got ${describe(r)}`));
      }
      record = Buffer.from(r.buffer, r.byteOffset, r.byteLength);
    }
    if (!Number.isFinite(timeMs)) {
      return Promise.reject(new IllegalArgumentException(`A write-ahead log record time must be a finite number of ms, got ${timeMs}`));
    }
    if (record.length > MAX_RECORD_SIZE) {
      return Promise.reject(new IllegalArgumentException(`A write-ahead log record is at most ${MAX_RECORD_SIZE} bytes, got ${record.length}`));
    }
    const crc = crc32(record);
    return new Promise<FileBasedWriteAheadLogSegment>((resolve, reject) => {
      this.pending.push({ crc, record, time: timeMs, resolve, reject, handle: undefined, durable: false });
      this.pendingBytes += FRAME_HEADER_SIZE + record.length;
      this.scheduleCommit();
    });
  }

  read(handle: FileBasedWriteAheadLogSegment): Promise<Buffer> {
    return FileBasedWriteAheadLogRandomReader.read(asFileSegment(handle));
  }

  /**
   * Every intact record, segment by segment in sequence order. Damage (a bad frame, an unreadable header, a sequence
   * break) throws an error naming the segment and the offset once the records before it are returned, or with
   * `skipCorruptRecords` is skipped; either way it is logged and added to `recoveryReport.damage`.
   */
  readAll(): Iterable<Buffer> {
    const logs = this.current ? [...this.pastLogs, this.current.info] : [...this.pastLogs];
    // The open segment is read up to what is durable: a commit in flight is not a torn tail.
    const limits = new Map<string, number>(this.current ? [[this.current.path, this.current.durableSize]] : []);
    const skip = this.options.skipCorruptRecords;
    const record = this.damage;
    const onDamage = (d: WalDamage): void => record.note(d);
    return {
      *[Symbol.iterator]() {
        for (const step of planLog(logs, skip).steps) {
          for (const d of step.damageBefore) {
            record.note(d);
            if (!skip) throw damageError(d);
          }
          if (!step.read) continue;
          yield* readSegmentRecords(step.info.path, { limit: limits.get(step.info.path), onCorrupt: skip ? 'skip' : 'throw', onDamage });
        }
      },
    };
  }

  /**
   * Deletes the oldest segments that end before `threshTimeMs` (Spark's rule), oldest first and only a prefix of the
   * log: a segment stays while one before it is still needed, so cleaning never leaves a gap in the sequence.
   */
  async clean(threshTimeMs: number, waitForCompletion: boolean): Promise<void> {
    let n = 0;
    while (n < this.pastLogs.length && this.pastLogs[n].endTime < threshTimeMs) n++;
    if (n === 0) return;
    const old = this.pastLogs.slice(0, n);
    this.pastLogs = this.pastLogs.slice(n);
    log.info({ directory: this.directory, threshTimeMs, segments: old.length }, 'cleaning old write-ahead log segments');
    const job = this.deleteSegments(old);
    this.cleanings.add(job);
    void job.finally(() => this.cleanings.delete(job));
    if (waitForCompletion) await job;
  }

  close(): Promise<void> {
    if (!this.closing) this.closing = this.doClose();
    return this.closing;
  }

  /** Segment files of the log, oldest first (for inspection and tests). */
  segmentPaths(): string[] {
    const paths = this.pastLogs.map((l) => l.path);
    if (this.current) paths.push(this.current.path);
    return paths;
  }

  // ---- group commit

  private scheduleCommit(): void {
    if (this.committing || this.commitScheduled) return;
    const delay = this.options.groupCommitDelayMs;
    if (delay > 0 && this.pendingBytes < this.options.groupCommitBytes && !this.closed) {
      this.lingerTimer ??= setTimeout(() => this.startCommits(), delay);
      return;
    }
    this.commitScheduled = true;
    setImmediate(() => this.startCommits());
  }

  private startCommits(): void {
    this.commitScheduled = false;
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    if (this.committing || this.pending.length === 0) return;
    this.committing = true;
    this.idle = new Promise((r) => (this.markIdle = r));
    void this.commitLoop();
  }

  private async commitLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.takeGroup();
        try {
          await this.commitGroup(group);
        } catch (e) {
          // Not an I/O failure (commitGroup handles those): settle the group rather than leave it hanging.
          log.error({ directory: this.directory, err: (e as Error).message }, 'write-ahead log commit failed unexpectedly');
          for (const r of group) r.reject(e);
        }
      }
    } finally {
      this.committing = false;
      this.markIdle();
    }
  }

  /**
   * The next commit: pending records until their bytes reach `groupCommitBytes` (the record that crosses it is
   * included, so N equal writers are not split N-1 + 1); one record only with `sync: 'record'`.
   */
  private takeGroup(): PendingRecord[] {
    let n = 0;
    let bytes = 0;
    const max = this.options.sync === 'record' ? 1 : this.pending.length;
    while (n < max && bytes < this.options.groupCommitBytes) {
      bytes += FRAME_HEADER_SIZE + this.pending[n].record.length;
      n++;
    }
    this.pendingBytes -= bytes;
    return this.pending.splice(0, n);
  }

  /** Writes one group durably, retrying into a fresh segment up to `maxFailures`; settles every record's promise. */
  private async commitGroup(group: PendingRecord[]): Promise<void> {
    this.stats.commits++;
    let remaining = group;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      try {
        await this.writeDurably(remaining);
        remaining = [];
      } catch (e) {
        this.abandonCurrent(e);
        remaining = remaining.filter((r) => !r.durable);
        if (attempt >= this.options.maxFailures) {
          const err = new WriteAheadLogWriteError(this.directory, attempt, e);
          for (const r of remaining) r.reject(err);
          break;
        }
        log.warn({ directory: this.directory, attempt, err: (e as Error).message }, 'write-ahead log write failed; retrying in a new segment');
      }
    }
    for (const r of group) {
      if (!r.durable) continue;
      try {
        faultPoint('wal.after-append');
      } catch (e) {
        r.reject(e);
        continue;
      }
      r.resolve(r.handle as FileBasedWriteAheadLogSegment);
    }
  }

  /** Appends the records in order (rolling segments by time), then syncs; marks them durable. */
  private async writeDurably(records: PendingRecord[]): Promise<void> {
    // Frame headers name the segment (salt) and the offset, so they are made here, in one buffer per commit.
    const headers = Buffer.allocUnsafe(FRAME_HEADER_SIZE * records.length);
    let h = 0;
    let bufs: Buffer[] = [];
    let bytes = 0;
    let batch: PendingRecord[] = [];
    for (const r of records) {
      if (r.durable) continue;
      let seg = this.current;
      if (seg === undefined || r.time > seg.info.endTime) {
        if (seg !== undefined) {
          await this.flush(seg, bufs, bytes, batch);
          this.retireCurrent();
          bufs = [];
          bytes = 0;
          batch = [];
        }
        seg = this.openSegment(r.time);
      }
      const offset = seg.size + bytes;
      const header = headers.subarray(h, h + FRAME_HEADER_SIZE);
      h += FRAME_HEADER_SIZE;
      writeFrameHeader(header, 0, r.record.length, seg.salt, r.crc, offset);
      r.handle = { path: seg.path, offset, length: r.record.length };
      bufs.push(header, r.record);
      bytes += FRAME_HEADER_SIZE + r.record.length;
      batch.push(r);
      if (this.options.closeFileAfterWrite) {
        await this.flush(seg, bufs, bytes, batch);
        this.retireCurrent();
        bufs = [];
        bytes = 0;
        batch = [];
      }
    }
    if (batch.length > 0) await this.flush(this.current as FileBasedWriteAheadLogWriter, bufs, bytes, batch);
  }

  private async flush(seg: FileBasedWriteAheadLogWriter, bufs: Buffer[], bytes: number, batch: PendingRecord[]): Promise<void> {
    seg.append(bufs, bytes);
    if (this.options.sync !== 'none') {
      this.stats.syncs++;
      await seg.sync();
      if (seg.needsDirSync) {
        await fsyncDir(this.directory);
        seg.needsDirSync = false;
      }
    } else {
      seg.durableSize = seg.size;
    }
    for (const r of batch) r.durable = true;
    this.stats.records += batch.length;
    this.stats.bytes += bytes;
  }

  /**
   * Opens the segment for a record at `time`: `log-<time>-<time + rolling>`, as Spark names it, unless that would not
   * sort after the last segment: then the last one is appended to when it has that very name and is known to end
   * cleanly, else the start time is raised past the last one's (the records' times stay within the name's end).
   */
  private openSegment(time: number): FileBasedWriteAheadLogWriter {
    this.ensureDirectory();
    const endTime = time + this.options.rollingIntervalSecs * 1000;
    const infoAt = (start: number): LogInfo => {
      const end = Math.max(endTime, start);
      return { startTime: start, endTime: end, path: path.join(this.directory, logFileName(start, end)) };
    };
    const last = this.pastLogs.at(-1);
    let start = time;
    if (last !== undefined && start <= last.startTime) {
      const same = infoAt(last.startTime);
      if (same.path === last.path && this.cleanEnded.has(last.path) && fs.existsSync(last.path)) {
        this.pastLogs.pop();
        this.current = FileBasedWriteAheadLogWriter.reopen(last, readSegmentHeader(last.path), this.nextSequence, this.lastSalt);
        if (this.current.sequence === this.nextSequence) this.nextSequence++;
        this.lastSalt = this.current.salt;
        return this.current;
      }
      start = last.startTime + 1;
    }
    for (; ; start++) {
      try {
        this.current = FileBasedWriteAheadLogWriter.create(infoAt(start), this.nextSequence, this.lastSalt);
        this.nextSequence++;
        this.lastSalt = this.current.salt;
        return this.current;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }

  private ensureDirectory(): void {
    if (this.directoryReady) return;
    // Created on the first write only (Spark: "do not create directories or files unless write").
    if (!fs.existsSync(this.directory)) {
      fs.mkdirSync(this.directory, { recursive: true });
      fsyncDirSync(path.dirname(this.directory));
    }
    this.directoryReady = true;
  }

  /** Closes the current segment after a clean commit. */
  private retireCurrent(): void {
    const seg = this.current;
    if (seg === undefined) return;
    this.current = undefined;
    seg.close();
    this.cleanEnded.add(seg.path);
    this.pastLogs.push(seg.info);
  }

  /** Drops the current segment after a failed write: cut what was not durable and never append to it again. */
  private abandonCurrent(cause: unknown): void {
    const seg = this.current;
    if (seg === undefined) return;
    this.current = undefined;
    this.cleanEnded.delete(seg.path);
    try {
      seg.close();
    } catch {
      /* the fd is unusable anyway */
    }
    try {
      if (seg.durableSize === 0) {
        fs.unlinkSync(seg.path);
        // Gone: the next segment takes its number and previous salt, so the sequence has no gap.
        if (seg.sequence === this.nextSequence - 1) {
          this.nextSequence--;
          this.lastSalt = seg.previousSalt;
        }
      } else fs.truncateSync(seg.path, seg.durableSize);
    } catch (e) {
      log.warn({ segment: seg.path, err: (e as Error).message }, 'could not cut the unsynced tail of an abandoned segment');
    }
    if (seg.durableSize > 0) this.pastLogs.push(seg.info);
    log.warn({ segment: seg.path, err: (cause as Error)?.message }, 'abandoned write-ahead log segment after a failed write');
  }

  private async deleteSegments(old: LogInfo[]): Promise<void> {
    let removed = 0;
    for (const l of old) {
      try {
        await unlinkAsync(l.path);
        this.cleanEnded.delete(l.path);
        removed++;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ segment: l.path, err: (e as Error).message }, 'could not delete old segment');
      }
    }
    if (removed > 0) {
      try {
        await fsyncDir(this.directory);
      } catch (e) {
        log.warn({ directory: this.directory, err: (e as Error).message }, 'could not fsync the log directory after cleaning');
      }
    }
  }

  private async doClose(): Promise<void> {
    this.closed = true;
    if (this.pending.length > 0) this.startCommits();
    await this.idle;
    await Promise.all([...this.cleanings]);
    this.retireCurrent();
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
