import * as path from 'node:path';
import type { FaultAction } from '../core/FaultPoints';
import type { OutputRecords } from './ExperimentOutputs';
import { compareOutput, type OutputComparison } from './ExperimentReport';
import type { GroupRunResult, MemberEvent, MemberResult } from './GroupExperimentRun';

/** A partition that changed members during a run. */
export interface PartitionMove {
  readonly partition: string;
  readonly from: string;
  readonly to: string;
  /** How it left `from`: handed over at a batch boundary (revoked), or taken from a member that died (lost). */
  readonly how: 'revoked' | 'died';
  /** From `from`'s last commit of the partition to `to`'s first: how long the partition made no progress. */
  readonly pauseMs: number | undefined;
}

/** A partition's state read back from its changelog by the member that gained it. */
export interface StateRestore {
  readonly partition: string;
  readonly member: string;
  readonly keys: number;
  readonly records: number;
  readonly ms: number;
}

/** One faulty run of a group experiment. */
export interface GroupRunReport {
  readonly run: number;
  /** `point:hit`. */
  readonly fault: string;
  readonly action: FaultAction;
  readonly triggered: boolean;
  readonly members: MemberResult[];
  readonly output: OutputComparison;
  readonly moved: PartitionMove[];
  readonly restored: StateRestore[];
  readonly durationMs: number;
  readonly dir: string | undefined;
}

export interface GroupExperimentReport {
  readonly program: string;
  readonly members: number;
  readonly partitions: number;
  readonly seed: number;
  readonly records: number;
  readonly rate: number;
  readonly action: FaultAction;
  readonly reference: { readonly durationMs: number; readonly records: number; readonly dir: string | undefined };
  readonly runs: GroupRunReport[];
}

/** The committed records of a run's output topic as an experiment output. */
export function topicOutput(name: string, records: readonly string[]): OutputRecords {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r, (counts.get(r) ?? 0) + 1);
  return { name, kind: 'kafka', counts, total: records.length, batches: 0 };
}

/**
 * The partitions that moved, from the members' events in time order: an `acquired` partition whose last holder was
 * another member is a move; the pause runs from that member's last commit of it to the new holder's first.
 */
export function partitionMoves(run: GroupRunResult): PartitionMove[] {
  const holder = new Map<string, string>();
  const lastHolder = new Map<string, string>();
  const lastCommit = new Map<string, number>();
  const handedOver = new Set<string>();
  const moves: Array<PartitionMove & { acquiredWall: number }> = [];
  const pending = new Map<string, PartitionMove & { acquiredWall: number; fromCommit: number | undefined }>();
  for (const e of run.events) {
    const parts = e.partitions ?? [];
    if (e.kind === 'committed') {
      for (const p of parts) {
        lastCommit.set(`${e.member}|${p}`, e.wall);
        const m = pending.get(p);
        if (m !== undefined && m.to === e.member) {
          pending.delete(p);
          moves.push({ ...m, pauseMs: m.fromCommit === undefined ? undefined : e.wall - m.fromCommit });
        }
      }
    } else if (e.kind === 'acquired') {
      for (const p of parts) {
        const from = holder.get(p) ?? lastHolder.get(p);
        holder.set(p, e.member);
        // A move whose new holder never committed the partition (it died first) still happened.
        const unfinished = pending.get(p);
        if (unfinished !== undefined) {
          pending.delete(p);
          moves.push(unfinished);
        }
        if (from === undefined || from === e.member) continue;
        const how: PartitionMove['how'] = handedOver.has(`${from}|${p}`) ? 'revoked' : 'died';
        const move = { partition: p, from, to: e.member, how, pauseMs: undefined, acquiredWall: e.wall, fromCommit: lastCommit.get(`${from}|${p}`) };
        pending.set(p, move);
      }
    } else if (e.kind === 'revoked' || e.kind === 'lost' || e.kind === 'reset') {
      for (const p of parts) {
        if (holder.get(p) === e.member) holder.delete(p);
        lastHolder.set(p, e.member);
        if (e.kind === 'revoked') handedOver.add(`${e.member}|${p}`);
        if (pending.get(p)?.to === e.member) pending.delete(p);
      }
    }
  }
  for (const m of pending.values()) moves.push(m);
  return moves
    .sort((a, b) => a.acquiredWall - b.acquiredWall)
    .map(({ partition, from, to, how, pauseMs }) => ({ partition, from, to, how, pauseMs }));
}

function restores(events: readonly MemberEvent[]): StateRestore[] {
  return events
    .filter((e) => e.kind === 'restored' && (e.records ?? 0) > 0)
    .map((e) => ({ partition: e.partition ?? '?', member: e.member, keys: e.keys ?? 0, records: e.records ?? 0, ms: e.ms ?? 0 }));
}

export function reportGroupRun(index: number, reference: GroupRunResult, run: GroupRunResult, action: FaultAction): GroupRunReport {
  return {
    run: index,
    fault: run.fault === undefined ? 'none' : `${run.fault.point}:${run.fault.hit}`,
    action,
    triggered: run.members.some((m) => m.faulted),
    members: run.members,
    output: compareOutput('output topic', topicOutput('output topic', reference.output), topicOutput('output topic', run.output)),
    moved: partitionMoves(run),
    restored: restores(run.events),
    durationMs: run.endedWall - run.startedWall,
    dir: run.dir,
  };
}

/** `p3` for `<topic>-3` (the run's topic names are long; the JSON report keeps them whole). */
function short(partition: string): string {
  return `p${partition.slice(partition.lastIndexOf('-') + 1)}`;
}

/** The report as text for people (the JSON form is the report object itself). */
export function formatGroupReport(r: GroupExperimentReport): string {
  const lines: string[] = [];
  const rel = path.relative(process.cwd(), r.program);
  lines.push(`dstreams experiment ${rel.startsWith('..') ? r.program : rel} --members ${r.members}`);
  lines.push(`input: ${r.records} keyed records at ${r.rate}/s (seed ${r.seed}) in ${r.partitions} partitions; the last member to join carries the fault (${r.action})`);
  lines.push(`reference (one process, no group): ${r.reference.records} output records in ${(r.reference.durationMs / 1000).toFixed(1)} s`);
  for (const run of r.runs) {
    lines.push('');
    const o = run.output;
    lines.push(`${run.fault}${run.triggered ? '' : ' (not reached)'} run ${run.run}: output ${o.records} records (reference ${o.reference}): lost ${o.lost}, duplicated ${o.duplicated}; ${(run.durationMs / 1000).toFixed(1)} s`);
    lines.push(`  members: ${run.members.map((m) => `${m.name} ${m.faulted ? `killed at ${run.fault}` : m.exit === 'SIGTERM' ? 'stopped' : m.exit}`).join(', ')}`);
    const moves = run.moved.map((m) => `${short(m.partition)} ${m.from} -> ${m.to} (${m.how}${m.pauseMs === undefined ? '' : `, ${m.pauseMs} ms without progress`})`);
    lines.push(`  input partitions moved: ${moves.length === 0 ? 'none' : moves.join('; ')}`);
    const rs = run.restored.map((x) => `${short(x.partition)} on ${x.member}: ${x.keys} keys from ${x.records} changelog records in ${x.ms} ms`);
    lines.push(`  restored from the changelog: ${rs.length === 0 ? 'nothing' : rs.join('; ')}`);
    if (o.lostSamples.length > 0) lines.push(`  lost e.g. ${o.lostSamples.slice(0, 3).join(', ')}`);
    if (o.duplicatedSamples.length > 0) lines.push(`  duplicated e.g. ${o.duplicatedSamples.slice(0, 3).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
