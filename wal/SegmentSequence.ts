import * as fs from 'node:fs';
import * as path from 'node:path';
import { listLogs, type LogInfo } from './LogInfo';
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
  /** False for a copy, or a segment whose place is unknown, that is skipped. */
  readonly read: boolean;
  readonly damageBefore: readonly WalDamage[];
}

export interface SegmentPlan {
  readonly steps: readonly SegmentPlanStep[];
  readonly damage: readonly WalDamage[];
  /** The highest sequence number in the directory (0 when none). */
  readonly maxSequence: number;
  /** The next segment's sequence number and previous salt: after the last segment in read order. */
  readonly nextSequence: number;
  readonly lastSalt: number;
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

type Numbered = SegmentEntry & { readonly header: Extract<SegmentHeader, { kind: 'v2' }> };

const isNumbered = (e: SegmentEntry): e is Numbered => e.header?.kind === 'v2';
const saltOf = (e: SegmentEntry): number | undefined => (e.header?.kind === 'v2' || e.header?.kind === 'unreadable' ? e.header.salt : undefined);

/**
 * Checks that the segments (in name order, Spark's order) carry consecutive sequence numbers, as the writer gives
 * them, and plans the read:
 * - deleting the oldest segments is normal (cleaning); a number skipped in the middle is a deleted segment;
 * - a number (or salt) seen twice is a copy: the later name is skipped when skipping;
 * - a number lower than one sorting before it is a renamed segment: read in sequence order;
 * - a segment whose header is unreadable takes the number before the segment whose header names its salt as the
 *   previous one; one that no header names (the last, or the one before another unreadable or a missing one) keeps
 *   its place by name when it is the only such segment, names can be trusted (no copy, no rename) and the sequence
 *   has room for it there, and is otherwise skipped as out of place. Its records are never returned out of write
 *   order.
 * Format-1 segments (no numbers) keep their place.
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
  const described = (e: SegmentEntry, seq: number | undefined): string => (seq === undefined ? name(e) : `${name(e)} (sequence ${seq})`);

  // Copies: the first name keeps the number; a copy whose header is unreadable is known by its first frame's salt.
  let maxSequence = 0;
  const bySequence = new Map<number, Numbered>();
  const bySalt = new Map<number, SegmentEntry>();
  const copies = new Set<SegmentEntry>();
  for (const e of present) {
    if (!isNumbered(e)) continue;
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
    if (original === undefined) {
      bySalt.set(e.header.salt, e);
      continue;
    }
    copies.add(e);
    add(e, structural(e, original, 'duplicate-segment', `${name(e)} (its header unreadable) has the salt of ${name(original)} in ${dir}: a copy of it`));
  }

  // Sequence numbers: from headers, or for an unreadable header from the header that names its salt as previous.
  const seqOf = new Map<SegmentEntry, number>();
  const namedBy = new Map<number, Numbered>();
  for (const e of bySequence.values()) {
    seqOf.set(e, e.header.sequence);
    if (e.header.previousSalt !== 0) namedBy.set(e.header.previousSalt, e);
  }
  for (const e of present) {
    const salt = saltOf(e);
    if (e.header?.kind !== 'unreadable' || salt === undefined || copies.has(e)) continue;
    const next = namedBy.get(salt);
    if (next !== undefined && !bySequence.has(next.header.sequence - 1)) seqOf.set(e, next.header.sequence - 1);
  }

  // Renamed segments: read in sequence order, in the places the numbered segments hold by name.
  const numbered = present.filter((e) => seqOf.has(e));
  const inOrder = [...numbered].sort((a, b) => (seqOf.get(a) as number) - (seqOf.get(b) as number));
  let highest: SegmentEntry | undefined;
  const misordered: WalDamage[] = [];
  for (const e of numbered) {
    const seq = seqOf.get(e) as number;
    const top = highest === undefined ? undefined : (seqOf.get(highest) as number);
    if (highest !== undefined && top !== undefined && seq < top) {
      misordered.push(structural(e, highest, 'misordered-segment', `${described(e, seq)} sorts after ${described(highest, top)} in ${dir}: renamed or moved`));
      misplaced.add(e.info.path);
    }
    if (top === undefined || seq > top) highest = e;
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

  // Unnumbered segments between numbered ones: an unreadable header no one names sits where its name puts it only if
  // that place is possible; the gaps left are deleted segments.
  const namesTrusted = copies.size === 0 && misordered.length === 0;
  const unplaced = new Set<SegmentEntry>();
  // Two or more that no header names: only their names would order them among themselves, and nothing checks those.
  const unnamed = present.filter((e) => e.header?.kind === 'unreadable' && e.header.salt !== undefined && !copies.has(e) && !seqOf.has(e));
  if (unnamed.length > 1) {
    for (const e of unnamed) {
      unplaced.add(e);
      const others = unnamed.filter((o) => o !== e).map(name).join(', ');
      add(e, structural(e, unnamed.find((o) => o !== e) as SegmentEntry, 'misordered-segment', `${name(e)} in ${dir} has an unreadable header and no segment names it as its predecessor, nor ${others}: their order is unknown`));
    }
  }
  let last: SegmentEntry | undefined;
  let between: SegmentEntry[] = [];
  const settle = (next: SegmentEntry | undefined): void => {
    const from = last === undefined ? 0 : (seqOf.get(last) as number);
    const room = next === undefined ? Infinity : (seqOf.get(next) as number) - 1 - from;
    // A readable successor names its predecessor, which is then none of these: it is missing (or, named as none,
    // there is no room before it at all).
    const named = next !== undefined && isNumbered(next) && between.length > 0;
    const need = !named ? between.length : next.header.previousSalt === 0 ? Infinity : between.length + 1;
    const readable = between.filter((e) => e.header?.kind === 'unreadable' && e.header.salt !== undefined && !unplaced.has(e));
    // With no numbered segment at all there is nothing to place one against: it is the log.
    const near = next ?? last;
    if (readable.length > 0 && near !== undefined && !(namesTrusted && need <= room)) {
      for (const e of readable) {
        unplaced.add(e);
        const why = !namesTrusted
          ? 'the log has copied or renamed segments, so its name does not place it'
          : `it sorts ${last === undefined ? 'before' : `between ${described(last, seqOf.get(last))} and`} ${described(near, seqOf.get(near))}, where the sequence has no room for it`;
        add(e, structural(e, near, 'misordered-segment', `${name(e)} in ${dir} has an unreadable header and no segment names it as its predecessor, and ${why}: its place in the log is unknown`));
      }
    }
    if (last !== undefined && next !== undefined) {
      const gap = (seqOf.get(next) as number) - from - 1 - (between.length - [...between].filter((e) => unplaced.has(e)).length);
      if (gap > 0) {
        const a = from + 1;
        const b = (seqOf.get(next) as number) - 1;
        const missing = a === b ? `sequence ${a} is missing` : `${gap === b - a + 1 ? `sequences ${a} to ${b} are` : `${gap} of sequences ${a} to ${b} are`} missing`;
        add(next, structural(next, last, 'missing-segment', `${described(next, seqOf.get(next))} follows ${described(last, from)} in ${dir}: ${missing} (a segment deleted from the middle of the log)`));
      }
    }
    between = [];
  };
  for (const e of order) {
    if (copies.has(e)) continue;
    if (!seqOf.has(e)) {
      if (e.header?.kind === 'unreadable' || e.header?.kind === 'unsupported') between.push(e);
      continue;
    }
    settle(e);
    last = e;
  }
  const trailing = between;
  settle(undefined);

  // The next segment follows the last one read: after unnumbered segments placed at the end, if any.
  // (Those with a salt: a segment with intact frames; zeros or garbage take no number.)
  const tail = trailing.filter((e) => !unplaced.has(e) && saltOf(e) !== undefined);
  const lastSeq = last === undefined ? 0 : (seqOf.get(last) as number);
  const lastPlaced = tail.at(-1);
  const nextSequence = Math.max(maxSequence, lastSeq + tail.length) + 1;
  const lastSalt = (lastPlaced && saltOf(lastPlaced)) ?? (last && saltOf(last)) ?? 0;
  const steps = order.map((e) => ({ info: e.info, read: !(skip && (copies.has(e) || unplaced.has(e))), damageBefore: before.get(e) ?? [] }));
  return { steps, damage, maxSequence, nextSequence, lastSalt, misplaced };
}

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The sequence breaks of the log in `dir` (missing, copied, renamed segments), by segment file name (for reports). */
export function sequenceBreaks(dir: string): Map<string, string> {
  const header = (file: string): SegmentHeader | undefined => {
    try {
      return readSegmentHeader(file);
    } catch {
      return undefined; // unreadable file: its own line says why
    }
  };
  const plan = planSegments(
    listLogs(dir).map((info) => ({ info, header: header(info.path) })),
    false,
  );
  const out = new Map<string, string>();
  for (const d of plan.damage) {
    const name = path.basename(d.segment);
    out.set(name, out.has(name) ? `${out.get(name)}; ${d.kind}: ${d.reason}` : `${d.kind}: ${d.reason}`);
  }
  return out;
}
