import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogInfo } from './LogInfo';
import { HEADER_PROBE_SIZE, parseSegmentHeader, type SegmentHeader } from './SegmentFormat';
import type { WalDamage } from './SegmentScanner';

/** A listed segment and its header (undefined: the file is gone, e.g. deleted by a clean since it was listed). */
export interface SegmentEntry {
  readonly info: LogInfo;
  readonly header: SegmentHeader | undefined;
}

/** One segment in read order, with the damage to report (or throw) before it. */
export interface SegmentPlanStep {
  readonly info: LogInfo;
  /** False for a copy that is skipped. */
  readonly read: boolean;
  readonly damageBefore: readonly WalDamage[];
}

export interface SegmentPlan {
  readonly steps: readonly SegmentPlanStep[];
  readonly damage: readonly WalDamage[];
  /** The highest sequence number in the directory (0 when none): the next segment takes the one after it. */
  readonly maxSequence: number;
  /** Segments that are copies or out of place (never appended to). */
  readonly misplaced: ReadonlySet<string>;
}

/** The header of a segment file, read with one small read; undefined when the file does not exist. */
export function readSegmentHeader(file: string): SegmentHeader | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, HEADER_PROBE_SIZE));
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return parseSegmentHeader(buf.subarray(0, got), got);
  } finally {
    fs.closeSync(fd);
  }
}

type Sequenced = SegmentEntry & { readonly header: Extract<SegmentHeader, { kind: 'v2' }> };

const isSequenced = (e: SegmentEntry): e is Sequenced => e.header?.kind === 'v2';

/**
 * Checks that the segments (in name order, Spark's order) carry consecutive sequence numbers, as the writer gives
 * them, and plans the read. Deleting the oldest segments is normal (cleaning); a number skipped in the middle is a
 * deleted segment, a number (or salt) seen twice is a copy, a number lower than one before it is a renamed segment.
 * The copy (the later name) is skipped when skipping; misplaced segments are read in sequence order. Segments
 * without a number (format 1, unreadable header) keep their place and may fill a gap of their size.
 */
export function planSegments(entries: readonly SegmentEntry[], skip: boolean): SegmentPlan {
  const present = entries.filter((e) => e.header !== undefined);
  const action = skip ? 'skipped' : 'error';
  const name = (e: SegmentEntry): string => path.basename(e.info.path);
  const dir = present.length > 0 ? path.dirname(present[0].info.path) : '';
  const damage: WalDamage[] = [];
  const before = new Map<SegmentEntry, WalDamage[]>();
  const misplaced = new Set<string>();
  const add = (at: SegmentEntry, d: WalDamage): void => {
    damage.push(d);
    before.set(at, [...(before.get(at) ?? []), d]);
    if (d.kind !== 'missing-segment') misplaced.add(d.segment);
  };
  const structural = (e: SegmentEntry, other: SegmentEntry, kind: WalDamage['kind'], reason: string): WalDamage => ({
    segment: e.info.path,
    other: other.info.path,
    offset: 0,
    bytes: kind === 'missing-segment' ? 0 : safeSize(e.info.path),
    kind,
    reason,
    action,
  });

  // Copies: the first name keeps the number; a header-less copy is known by its salt.
  let maxSequence = 0;
  const bySequence = new Map<number, Sequenced>();
  const bySalt = new Map<number, SegmentEntry>();
  const copies = new Set<SegmentEntry>();
  for (const e of present) {
    if (!isSequenced(e)) continue;
    maxSequence = Math.max(maxSequence, e.header.sequence);
    const original = bySequence.get(e.header.sequence);
    if (original !== undefined) {
      copies.add(e);
      add(e, structural(e, original, 'duplicate-segment', `${name(e)} has the sequence number ${e.header.sequence} of ${name(original)} in ${dir}: one is a copy of the other`));
      continue;
    }
    bySequence.set(e.header.sequence, e);
    if (!bySalt.has(e.header.salt)) bySalt.set(e.header.salt, e);
  }
  for (const e of present) {
    if (e.header?.kind !== 'unreadable' || e.header.salt === undefined) continue;
    const original = bySalt.get(e.header.salt);
    if (original === undefined) continue;
    copies.add(e);
    add(e, structural(e, original, 'duplicate-segment', `${name(e)} (its header unreadable) has the salt of ${name(original)} in ${dir}: a copy of it`));
  }

  // Misplaced (renamed) segments: read in sequence order, in the places the numbered segments hold by name.
  const numbered = present.filter((e): e is Sequenced => isSequenced(e) && !copies.has(e));
  const inOrder = [...numbered].sort((a, b) => a.header.sequence - b.header.sequence);
  let highest: Sequenced | undefined;
  const misordered: WalDamage[] = [];
  for (const e of numbered) {
    if (highest !== undefined && e.header.sequence < highest.header.sequence) {
      const d = structural(
        e,
        highest,
        'misordered-segment',
        `${name(e)} (sequence ${e.header.sequence}) sorts after ${name(highest)} (sequence ${highest.header.sequence}) in ${dir}: renamed or moved`,
      );
      misordered.push(d);
      misplaced.add(e.info.path);
    }
    if (highest === undefined || e.header.sequence > highest.header.sequence) highest = e;
  }
  const order = present.slice();
  const slots = new Set<SegmentEntry>(numbered);
  let k = 0;
  let firstMoved = -1;
  for (let i = 0; i < order.length; i++) {
    if (!slots.has(order[i])) continue;
    const e = inOrder[k++];
    if (e !== order[i] && firstMoved < 0) firstMoved = i;
    order[i] = e;
  }
  if (firstMoved >= 0) for (const d of misordered) add(order[firstMoved], d);

  // Gaps: numbers skipped between neighbours, beyond what unnumbered segments between them could hold.
  let last: Sequenced | undefined;
  let unnumbered = 0;
  for (const e of order) {
    if (copies.has(e)) continue;
    if (!isSequenced(e)) {
      if (e.header?.kind !== 'v1' && e.header?.kind !== 'empty') unnumbered++;
      continue;
    }
    if (last !== undefined && e.header.sequence - last.header.sequence - 1 > unnumbered) {
      const from = last.header.sequence + 1;
      const to = e.header.sequence - 1;
      const missing = from === to ? `sequence ${from} is missing` : `sequences ${from} to ${to} are missing`;
      add(
        e,
        structural(e, last, 'missing-segment', `${name(e)} (sequence ${e.header.sequence}) follows ${name(last)} (sequence ${last.header.sequence}) in ${dir}: ${missing} (a segment deleted from the middle of the log)`),
      );
    }
    last = e;
    unnumbered = 0;
  }

  const steps = order.map((e) => ({ info: e.info, read: !(skip && copies.has(e)), damageBefore: before.get(e) ?? [] }));
  return { steps, damage, maxSequence, misplaced };
}

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
