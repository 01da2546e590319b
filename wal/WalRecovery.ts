import * as fs from 'node:fs';
import { getLogger } from '../lib/core/logging';
import type { LogInfo } from './LogInfo';
import { SegmentScanner, type WalDamage } from './SegmentScanner';
import { planSegments, readSegmentHeader, type SegmentEntry, type SegmentPlan } from './SegmentSequence';
import { WriteAheadLogSegmentError, WriteAheadLogSequenceError } from './WriteAheadLogErrors';

const log = getLogger('FileBasedWriteAheadLog');

/** What opening the log found and repaired, and the damage its reads found since. */
export interface WalRecoveryReport {
  readonly directory: string;
  /** Segments found on open. */
  readonly segments: number;
  /** The segment that was being written (the only one a crash can have left torn), whose frames were all checked. */
  readonly checkedSegment: string | undefined;
  /**
   * Every damage found, once each: on open (a cut torn tail is `truncated`; sequence breaks; damage in the checked
   * segment) and by `readAll` since (`error` when it threw, `skipped` with `skipCorruptRecords`).
   */
  readonly damage: readonly WalDamage[];
  /** The checked segment when it now ends with an intact frame (safe to append to). */
  readonly cleanEnded: string | undefined;
}

/** Collects damage once each (a damage is seen again by every read), logging it as it is first found. */
export class WalDamageRecord {
  readonly damage: WalDamage[] = [];
  private readonly seen = new Set<string>();

  note(d: WalDamage): void {
    const key = `${d.kind}\u0000${d.segment}\u0000${d.offset}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.damage.push(d);
    reportWalDamage(d);
  }
}

/** The error a read throws for a damage found before a segment (sequence breaks). */
export function damageError(d: WalDamage): Error {
  if (d.kind === 'missing-segment' || d.kind === 'duplicate-segment' || d.kind === 'misordered-segment') {
    return new WriteAheadLogSequenceError(d.segment, d.other ?? '', d.kind, d.reason);
  }
  return new WriteAheadLogSegmentError(d.segment, d.offset, d.reason);
}

/** The segments of a log with their headers, checked for sequence breaks (see {@link planSegments}). */
export function planLog(logs: readonly LogInfo[], skipCorruptRecords: boolean): SegmentPlan {
  return planSegments(
    logs.map((info) => ({ info, header: readSegmentHeader(info.path) })),
    skipCorruptRecords,
  );
}

/**
 * Opening a log: checks the segments' sequence, then every frame of the segment being written (the only one a crash
 * can have left torn) and cuts a torn tail, durably: only bytes after which no intact frame follows. Any other damage
 * is reported (`error`, or `skipped` with `skipCorruptRecords`), never cut. Returns the report, and the next
 * segment's sequence number and previous salt.
 */
export function recoverLog(
  directory: string,
  logs: readonly LogInfo[],
  skipCorruptRecords: boolean,
  record: WalDamageRecord,
): { report: WalRecoveryReport; nextSequence: number; lastSalt: number } {
  const entries: SegmentEntry[] = logs.map((info) => ({ info, header: readSegmentHeader(info.path) }));
  const plan = planSegments(entries, skipCorruptRecords);
  for (const d of plan.damage) record.note(d);
  const active = activeSegment(entries, plan);
  let cleanEnded: string | undefined;
  if (active !== undefined) {
    const scanner = new SegmentScanner(active.info.path, {
      onCorrupt: skipCorruptRecords ? 'skip' : 'stop',
      active: true,
      onDamage: (d) => {
        if (d.kind !== 'torn-tail') record.note(d);
      },
    });
    while (scanner.next() !== undefined) {
      /* validating every frame */
    }
    const stop = scanner.stoppedAt;
    if (stop?.kind === 'torn-tail') {
      truncateDurably(active.info.path, stop.offset);
      record.note({ ...stop, action: 'truncated' });
    }
    // Appendable: a format-2 segment (or one cut back to nothing) that now ends with an intact frame.
    const appendable = active.header?.kind === 'v2' || active.header?.kind === 'empty' || stop?.offset === 0;
    if ((stop === undefined || stop.kind === 'torn-tail') && appendable) cleanEnded = active.info.path;
  }
  const report = { directory, segments: logs.length, checkedSegment: active?.info.path, damage: record.damage, cleanEnded };
  return { report, nextSequence: plan.nextSequence, lastSalt: plan.lastSalt };
}

/**
 * The segment being written when the log was last used: the last by name (the writer never creates a segment that
 * sorts before another), unless it is out of place; in a log written before sequence numbers, the newest by mtime.
 */
function activeSegment(entries: readonly SegmentEntry[], plan: SegmentPlan): SegmentEntry | undefined {
  const present = entries.filter((e) => e.header !== undefined);
  if (present.length === 0) return undefined;
  if (present.every((e) => e.header?.kind === 'v1')) return newestByMtime(present);
  const last = present[present.length - 1];
  if (last.header?.kind === 'v1' || plan.misplaced.has(last.info.path)) return undefined;
  if (last.header?.kind === 'v2' && last.header.sequence !== plan.maxSequence) return undefined;
  return last;
}

function newestByMtime(entries: readonly SegmentEntry[]): SegmentEntry | undefined {
  let best: SegmentEntry | undefined;
  let bestMtime = -1;
  for (const e of entries) {
    let m: number;
    try {
      m = fs.statSync(e.info.path).mtimeMs;
    } catch {
      continue;
    }
    if (m >= bestMtime) {
      best = e;
      bestMtime = m;
    }
  }
  return best;
}

function truncateDurably(file: string, size: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.ftruncateSync(fd, size);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Logs a damage: a cut torn tail and skipped damage are warnings, damage that fails reads an error. */
export function reportWalDamage(d: WalDamage): void {
  const fields = { segment: d.segment, offset: d.offset, bytes: d.bytes, kind: d.kind, action: d.action, reason: d.reason, ...(d.other ? { other: d.other } : {}) };
  if (d.action === 'truncated') log.warn(fields, 'write-ahead log: cut a torn tail from the segment being written');
  else if (d.action === 'skipped') log.warn(fields, 'write-ahead log: skipped damaged data (dstreams.wal.skipCorruptRecords)');
  else if (d.action === 'ignored') log.info(fields, 'write-ahead log segment ends with a torn record');
  else log.error(fields, 'write-ahead log: damaged data');
}
