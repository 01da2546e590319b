import * as fs from 'node:fs';
import { type AnyFaultPointName, FAULT_POINTS, type FaultAction, KAFKA_FAULT_POINTS } from '../core/FaultPoints';
import { FaultSpecError } from './ExperimentErrors';
import { makeWorkDir } from './ExperimentRunner';
import { experimentRecords } from './ExperimentSource';
import { GroupExperimentKafka } from './GroupExperimentKafka';
import { type GroupExperimentReport, type GroupRunReport, reportGroupRun } from './GroupExperimentReport';
import { type GroupFaultSpec, type GroupRunSettings, runGroupOnce } from './GroupExperimentRun';

/**
 * The points `--fault all` tries on a group (a direct stream writing to Kafka transactionally: no receivers, so no
 * WAL or block points), with the hit used when `--fault <point>` names none. The fault is armed in the member that
 * joins last: it restores partitions from their changelogs (group.mid-restore), then commits batches (kafka.txn-open,
 * job.after-output) and checkpoints.
 */
export const GROUP_FAULT_HITS: Readonly<Partial<Record<AnyFaultPointName, number>>> = {
  'kafka.txn-open': 3,
  'group.mid-restore': 1,
  'job.after-output': 3,
  'checkpoint.mid-write': 3,
  'checkpoint.after-write-before-clean': 3,
};

export interface GroupExperimentOptions {
  /** The program, absolute path; started as `<program> <bootstrap> <groupId> <inputTopic> <outputTopic> <checkpointDir> [args...]`. */
  readonly program: string;
  readonly programArgs?: readonly string[];
  /** `bootstrap.servers` of the cluster the runs use (their topics are made there). */
  readonly bootstrap: string;
  /** Members of each faulty run (the reference is one process outside group mode). */
  readonly members: number;
  readonly faults: readonly GroupFaultSpec[];
  readonly action?: FaultAction;
  readonly runs?: number;
  readonly seed?: number;
  readonly records?: number;
  readonly rate?: number;
  /** Partitions of each run's input topic (default 6). */
  readonly partitions?: number;
  readonly workDir?: string;
  readonly keep?: boolean;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (message: string) => void;
}

/** Parses `--fault point[:hit]` (several separated by commas) or `all` for a group experiment. */
export function parseGroupFaults(spec: string): GroupFaultSpec[] {
  if (spec === 'all') return (Object.keys(GROUP_FAULT_HITS) as AnyFaultPointName[]).map((point) => ({ point, hit: GROUP_FAULT_HITS[point]! }));
  const known = [...Object.keys(FAULT_POINTS), ...Object.keys(KAFKA_FAULT_POINTS)];
  return spec.split(',').map((one) => {
    const [point, hit, extra] = one.trim().split(':');
    if (extra !== undefined) throw new FaultSpecError(one, 'expected <point>[:hit] (the action is --action)');
    if (!known.includes(point)) throw new FaultSpecError(one, `unknown fault point '${point}'; known points: ${known.join(', ')}, or all`);
    const p = point as AnyFaultPointName;
    if (hit === undefined) return { point: p, hit: GROUP_FAULT_HITS[p] ?? 1 };
    const n = Number(hit);
    if (!Number.isInteger(n) || n < 1) throw new FaultSpecError(one, `hit '${hit}' must be a positive integer`);
    return { point: p, hit: n };
  });
}

/**
 * A fault experiment across processes (`dstreams experiment <program> --members N`): the program once as a single
 * process outside group mode (the reference), then `runs` times per fault as a group of N members in group mode,
 * the last member to join carrying the fault; each run on its own topics (seeded keyed records produced at `rate`),
 * its committed output (read `read_committed`) compared record by record with the reference's. The report says what
 * moved between members, what was restored from the changelogs, and what was lost or written twice.
 */
export async function runGroupExperiment(o: GroupExperimentOptions): Promise<GroupExperimentReport> {
  const seed = o.seed ?? 42;
  const count = o.records ?? 3000;
  const rate = o.rate ?? 500;
  const action = o.action ?? 'kill';
  const runs = o.runs ?? 1;
  const partitions = o.partitions ?? 6;
  const workDir = o.workDir ?? makeWorkDir();
  const kept = o.workDir !== undefined || o.keep === true;
  fs.mkdirSync(workDir, { recursive: true });
  const progress = o.onProgress ?? (() => undefined);
  // Records keyed by their first word: Kafka's partitioner keeps each key in one partition, as group mode's state needs.
  const records = experimentRecords(seed, count).map((line) => [line.split(' ')[1] ?? line, line] as const);
  const kafka = new GroupExperimentKafka(o.bootstrap);
  await kafka.connect();
  const settings: GroupRunSettings = {
    program: o.program,
    programArgs: o.programArgs ?? [],
    kafka,
    prefix: `dstreams-experiment-${process.pid}-${Date.now().toString(36)}`,
    records,
    rate,
    partitions,
    action,
    workDir,
    timeoutMs: o.timeoutMs ?? Math.max(120_000, (count / rate) * 1000 * 4 + 60_000),
    env: o.env,
  };
  try {
    progress('reference run (one process, no group, no fault)');
    const reference = await runGroupOnce(settings, 'reference', undefined, 0);
    const reports: GroupRunReport[] = [];
    for (const fault of o.faults) {
      for (let i = 1; i <= runs; i++) {
        progress(`${fault.point}:${fault.hit}:${action} run ${i} of ${runs} (${o.members} members)`);
        const run = await runGroupOnce(settings, `${fault.point}-${fault.hit}-${i}`.replace(/[^A-Za-z0-9._-]/g, '_'), fault, o.members);
        const report = reportGroupRun(i, reference, run, action);
        reports.push(kept ? report : { ...report, dir: undefined });
      }
    }
    return {
      program: o.program,
      members: o.members,
      partitions,
      seed,
      records: count,
      rate,
      action,
      reference: { durationMs: reference.endedWall - reference.startedWall, records: reference.output.length, dir: kept ? reference.dir : undefined },
      runs: reports,
    };
  } finally {
    await kafka.close();
    if (!kept) fs.rmSync(workDir, { recursive: true, force: true });
  }
}
