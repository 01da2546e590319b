import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tsxImport } from '../cli/tsxLoader';
import type { AnyFaultPointName, FaultAction } from '../core/FaultPoints';
import { getLogger } from '../core/logging';
import { ExperimentRunError } from './ExperimentErrors';
import type { GroupExperimentKafka } from './GroupExperimentKafka';

const log = getLogger('GroupExperimentRun');

/** A fault of a group experiment: any fault point, Kafka's and group mode's included. */
export interface GroupFaultSpec {
  readonly point: AnyFaultPointName;
  readonly hit: number;
}

/**
 * One line of a member's event log (`dstreams.kafka.group.eventLog`; receivers/kafka/group/KafkaGroupEvents.ts
 * writes them): the fields the report reads.
 */
export interface MemberEvent {
  readonly kind: 'joined' | 'acquired' | 'restored' | 'revoked' | 'lost' | 'reset' | 'committed';
  readonly member: string;
  readonly wall: number;
  readonly partitions?: string[];
  readonly partition?: string;
  readonly keys?: number;
  readonly records?: number;
  readonly inputRecords?: number;
  readonly ms?: number;
}

/** How one member process ended. */
export interface MemberResult {
  readonly name: string;
  readonly pid: number;
  /** `SIGKILL`, `SIGTERM`, `exit 1`, ... */
  readonly exit: string;
  /** Whether the injected fault fired in it (its stderr says so). */
  readonly faulted: boolean;
  readonly startedWall: number;
  readonly endedWall: number;
}

/** What a group run needs (shared by the reference and the faulty runs). */
export interface GroupRunSettings {
  readonly program: string;
  readonly programArgs: readonly string[];
  readonly kafka: GroupExperimentKafka;
  /** Topic, group and app names of every run start with this. */
  readonly prefix: string;
  readonly records: ReadonlyArray<readonly [string, string]>;
  readonly rate: number;
  readonly partitions: number;
  readonly action: FaultAction;
  readonly workDir: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** A finished run: its members, their events and the committed output. */
export interface GroupRunResult {
  readonly label: string;
  readonly fault: GroupFaultSpec | undefined;
  readonly dir: string;
  readonly members: MemberResult[];
  readonly events: MemberEvent[];
  /** The output topic's committed records (`key\tvalue`). */
  readonly output: string[];
  readonly startedWall: number;
  readonly endedWall: number;
}

interface Member {
  readonly name: string;
  readonly child: ChildProcess;
  readonly startedWall: number;
  readonly eventLog: string;
  stderr: string;
  exit: string | undefined;
  endedWall: number;
  readonly exited: Promise<void>;
}

const POLL_MS = 100;

/**
 * Runs the program as a group of `memberCount` processes (group mode), or as one process outside group mode
 * (`memberCount` 0: the reference). The program is started as
 * `<program> <bootstrap> <groupId> <inputTopic> <outputTopic> <checkpointDir> [args...]` (examples/KafkaGroupWordCount.ts
 * takes exactly these) with `DSTREAMS_CONF` naming the member and its event log.
 *
 * The schedule: members 1..N-1 start and hold the input's partitions between them, then the input is produced at
 * the rate; once a third of it is committed the last member starts, with the fault armed: it joins (partitions move
 * to it and are restored from their changelogs) and then dies at the fault point. A group left with no member gets
 * a new one (one member with a fault has to be restarted). The run ends when the group has committed the whole
 * input; then the members get SIGTERM (a graceful stop).
 */
export async function runGroupOnce(s: GroupRunSettings, label: string, fault: GroupFaultSpec | undefined, memberCount: number): Promise<GroupRunResult> {
  const dir = path.join(s.workDir, `run-${label}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const name = `${s.prefix}-${label}`;
  const input = `${name}-in`;
  const output = `${name}-out`;
  await s.kafka.createTopic(input, s.partitions);
  await s.kafka.createTopic(output, 2);
  const groupMode = memberCount > 0;
  const members: Member[] = [];
  const startedWall = Date.now();
  const deadline = startedWall + s.timeoutMs;
  const start = (armed: boolean): Member => {
    const m = `m${members.length + 1}`;
    const eventLog = path.join(dir, `${m}.events.jsonl`);
    const conf = [`spark.app.name=${name}`, 'spark.streaming.stopGracefullyOnShutdown=true'];
    if (groupMode) {
      conf.push('dstreams.kafka.groupMode=true', `dstreams.kafka.group.member=${m}`, `dstreams.kafka.group.eventLog=${eventLog}`);
      conf.push('dstreams.kafka.group.sessionTimeout=6s', 'dstreams.kafka.group.heartbeatInterval=1s');
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DSTREAMS_LOG_LEVEL: process.env.DSTREAMS_EXPERIMENT_LOG_LEVEL ?? 'error',
      DSTREAMS_BATCH_MS: process.env.DSTREAMS_BATCH_MS ?? '500',
      ...s.env,
      DSTREAMS_CONF: [s.env?.DSTREAMS_CONF ?? process.env.DSTREAMS_CONF, ...conf].filter((x) => x !== undefined && x !== '').join(';'),
    };
    delete env.DSTREAMS_FAULT;
    if (armed && fault !== undefined) env.DSTREAMS_FAULT = `${fault.point}:${fault.hit}:${s.action}`;
    const args = [...[s.kafka.bootstrap, name, input, output, path.join(dir, 'checkpoint')], ...s.programArgs];
    const child = spawn(process.execPath, ['--import', tsxImport(), s.program, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let resolveExit!: () => void;
    const member: Member = { name: m, child, startedWall: Date.now(), eventLog, stderr: '', exit: undefined, endedWall: 0, exited: new Promise((r) => (resolveExit = r)) };
    child.stderr?.on('data', (d: Buffer) => (member.stderr = (member.stderr + d.toString('utf8')).slice(-16_384)));
    child.once('exit', (code, signal) => {
      member.exit = signal ?? `exit ${code}`;
      member.endedWall = Date.now();
      resolveExit();
    });
    child.once('error', (e) => {
      member.exit = `spawn error: ${e.message}`;
      member.endedWall = Date.now();
      resolveExit();
    });
    members.push(member);
    log.info({ label, member: m, armed }, 'member started');
    return member;
  };
  const alive = (): Member[] => members.filter((m) => m.exit === undefined);
  const check = (what: string): void => {
    if (Date.now() > deadline) throw new ExperimentRunError(label, members.length, `timed out after ${s.timeoutMs} ms waiting for ${what}`, members.map((m) => m.stderr).join('\n'));
    if (alive().length === 0 && members.length > 4 + memberCount) {
      throw new ExperimentRunError(label, members.length, `every member ended before ${what} (last: ${members[members.length - 1].exit})`, members[members.length - 1].stderr);
    }
  };
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, POLL_MS));
  /** Waits until the group committed `n` input records; a group left with no member gets a new one. */
  const waitCommitted = async (n: number): Promise<void> => {
    for (;;) {
      const committed = await s.kafka.committed(name, input);
      if (committed >= n) return;
      if (alive().length === 0) start(false);
      check(`${n} input records committed (${committed} so far)`);
      await pause();
    }
  };
  let producing: Promise<void> | undefined;
  try {
    const first = Math.max(1, memberCount - 1);
    const joinerArmed = memberCount >= 2;
    for (let i = 0; i < (groupMode ? first : 1); i++) start(!joinerArmed && i === 0);
    if (groupMode) {
      // The group is formed when the members hold every partition between them.
      while (new Set(members.flatMap((m) => [...holding(readEvents(m.eventLog))])).size < s.partitions) {
        check('the first members to hold the partitions');
        await pause();
      }
    }
    // With a joiner: a third of the input, the joiner joins (and holds partitions, or dies trying), then the rest.
    const third = joinerArmed ? Math.ceil(s.records.length / 3) : s.records.length;
    producing = s.kafka.produceAtRate(input, s.records.slice(0, third), s.rate);
    producing.catch(() => undefined);
    await waitCommitted(third);
    if (joinerArmed) {
      await producing;
      const joiner = start(true);
      while (holding(readEvents(joiner.eventLog)).size === 0 && joiner.exit === undefined) {
        check('the last member to hold partitions');
        await pause();
      }
      producing = s.kafka.produceAtRate(input, s.records.slice(third), s.rate);
      producing.catch(() => undefined);
      await waitCommitted(s.records.length);
    }
    await producing;
  } finally {
    for (const m of alive()) m.child.kill('SIGTERM');
    await Promise.all(
      members.map(async (m) => {
        const timer = setTimeout(() => m.child.kill('SIGKILL'), 20_000);
        await m.exited;
        clearTimeout(timer);
      }),
    );
    await producing?.catch(() => undefined);
  }
  const results: MemberResult[] = members.map((m) => ({
    name: m.name,
    pid: m.child.pid ?? -1,
    exit: m.exit ?? 'unknown',
    faulted: fault !== undefined && (m.stderr.includes(`fault point ${fault.point} (hit`) || m.stderr.includes(`Injected fault at ${fault.point}`)),
    startedWall: m.startedWall,
    endedWall: m.endedWall,
  }));
  const events = members.flatMap((m) => readEvents(m.eventLog)).sort((a, b) => a.wall - b.wall);
  return { label, fault, dir, members: results, events, output: await s.kafka.readCommitted(output, 60_000), startedWall, endedWall: Date.now() };
}

/** A member's events so far. */
export function readEvents(file: string): MemberEvent[] {
  if (!fs.existsSync(file)) return [];
  const out: MemberEvent[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.length === 0) continue;
    try {
      out.push(JSON.parse(line) as MemberEvent);
    } catch {
      // a line torn by a SIGKILL mid-write: the events before it stand
    }
  }
  return out;
}

/** The partitions a member reads now according to its events. */
export function holding(events: readonly MemberEvent[]): Set<string> {
  const held = new Set<string>();
  for (const e of events) {
    if (e.kind === 'acquired') for (const p of e.partitions ?? []) held.add(p);
    else if (e.kind === 'revoked' || e.kind === 'lost' || e.kind === 'reset') for (const p of e.partitions ?? []) held.delete(p);
  }
  return held;
}
