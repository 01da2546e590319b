import * as fs from 'node:fs';
import { getLogger } from '../lib/core/logging';
import type { LogInfo } from './LogInfo';
import { SegmentScanner, type WalDamage } from './SegmentScanner';

const log = getLogger('FileBasedWriteAheadLog');

/** What opening the log found and repaired. */
export interface WalRecoveryReport {
  readonly directory: string;
  /** Segments found on open. */
  readonly segments: number;
  /** The newest segment, whose tail was checked. */
  readonly checkedSegment: string | undefined;
  /** Damage found in it (a torn tail is `truncated`). */
  readonly damage: readonly WalDamage[];
  /** The checked segment when it now ends with an intact frame (safe to append to). */
  readonly cleanEnded: string | undefined;
}

/**
 * Opening a log: checks every frame of the most recently written segment (the only one a crash can have left
 * torn) and cuts a torn tail, durably. Corruption followed by intact data is reported, never cut.
 */
export function recoverNewestSegment(directory: string, logs: readonly LogInfo[], skipCorruptRecords: boolean): WalRecoveryReport {
  const newest = newestByMtime(logs);
  const damage: WalDamage[] = [];
  let cleanEnded: string | undefined;
  if (newest !== undefined) {
    const scanner = new SegmentScanner(newest.path, {
      onCorrupt: skipCorruptRecords ? 'skip' : 'stop',
      onDamage: (d) => {
        if (d.kind !== 'torn-tail') damage.push(d);
      },
    });
    while (scanner.next() !== undefined) {
      /* validating every frame */
    }
    const stop = scanner.stoppedAt;
    if (stop?.kind === 'torn-tail') {
      truncateDurably(newest.path, stop.offset);
      damage.push({ ...stop, action: 'truncated' });
    }
    if (stop === undefined || stop.kind === 'torn-tail') cleanEnded = newest.path;
    for (const d of damage) reportWalDamage(d);
  }
  return { directory, segments: logs.length, checkedSegment: newest?.path, damage, cleanEnded };
}

/** The segment written last: the one a crash can have left torn. */
function newestByMtime(logs: readonly LogInfo[]): LogInfo | undefined {
  let best: LogInfo | undefined;
  let bestMtime = -1;
  for (const l of logs) {
    let m: number;
    try {
      m = fs.statSync(l.path).mtimeMs;
    } catch {
      continue;
    }
    if (m >= bestMtime) {
      best = l;
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

/** Logs damage found by a scan (a torn tail ignored by a read is routine: info). */
export function reportWalDamage(d: WalDamage): void {
  const fields = { segment: d.segment, offset: d.offset, bytes: d.bytes, kind: d.kind, action: d.action, reason: d.reason };
  if (d.kind === 'torn-tail' && d.action === 'ignored') log.info(fields, 'write-ahead log segment ends with a torn record');
  else if (d.action === 'truncated') log.warn(fields, 'write-ahead log: cut a torn tail from the newest segment');
  else log.error(fields, 'write-ahead log: damaged record');
}
