/**
 * kafka-group: throughput of group mode (dstreams.kafka.groupMode) with 1, 2 and 4 member processes against one
 * process outside group mode, on a CPU-bound keyed stateful job with exactly-once output (member.ts), plus the
 * rebalance pause and the state-restore time when a member dies and when one joins.
 *
 *   npm run bench -- kafka-group [--records 60000] [--keys 10000] [--partitions 8] [--work 400000]
 *                                [--rate-per-partition 2000] [--batch-ms 250] [--members 1,2,4] [--bootstrap host:port]
 *
 * Starts a dedicated broker (scripts/kafka/KafkaBroker.ts) unless `--bootstrap` names one. Produces `--records`
 * records with `--keys` distinct keys (Kafka's partitioner spreads them over `--partitions`) once; every
 * configuration then reads that topic from the start with its own group and output topic:
 * - single: one process outside group mode (Spark's mapWithState, one transaction per batch);
 * - group-N: N processes in group mode (a transaction per input partition per batch, state changelogs).
 * Throughput is measured over the steady part of each run, from the moment every member holds its partitions (the
 * group has formed; before that the first member to start reads alone) to the last commit: records committed in
 * that window / its length, from the members' event logs (`dstreams.kafka.group.eventLog`).
 * Then the failover phase: two members on a fresh group; at a quarter of the input one is SIGKILLed (session timeout
 * 6 s); once the survivor holds its partitions a third member joins and takes half. Recorded: each moved partition's
 * pause, from the kill (or from its release by the old owner) to the new owner holding it ready, state restored,
 * and to its first commit there; the restore times and sizes.
 * The load average is recorded with each configuration: the machine is shared, and on 2 cores other work takes
 * cores away from the members.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { holding, type MemberEvent, readEvents } from '../../lib/experiments/GroupExperimentRun';
import { type KafkaBroker, startKafkaBroker } from '../../scripts/kafka/KafkaBroker';
import { arg, strArg, writeResult } from '../report';


const RECORDS = arg('records', 60_000);
const KEYS = arg('keys', 10_000);
const PARTITIONS = arg('partitions', 8);
const WORK = arg('work', 400_000);
const RATE_PER_PARTITION = arg('rate-per-partition', 2000);
const BATCH_MS = arg('batch-ms', 250);
const MEMBER_COUNTS = (strArg('members') ?? '1,2,4').split(',').map(Number);
const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const MEMBER = path.join(__dirname, 'member.ts');

const log = (m: string): void => void process.stderr.write(`[kafka-group-bench] ${m}\n`);
const load = (): number[] => os.loadavg().map((x) => Math.round(x * 100) / 100);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly eventLog: string;
  readonly exited: Promise<void>;
  stderr: string;
}

/** Starts one process of the job (group mode unless `group` is false). */
function startMember(dir: string, bootstrap: string, group: string, input: string, output: string, name: string, groupMode: boolean): Proc {
  const eventLog = path.join(dir, `${name}.events.jsonl`);
  const conf = [
    `spark.app.name=${group}`,
    'spark.streaming.stopGracefullyOnShutdown=true',
    `spark.streaming.kafka.maxRatePerPartition=${RATE_PER_PARTITION}`,
    `dstreams.kafka.group.eventLog=${eventLog}`,
    `dstreams.kafka.group.member=${name}`,
  ];
  if (groupMode) conf.push('dstreams.kafka.groupMode=true', 'dstreams.kafka.group.sessionTimeout=6s', 'dstreams.kafka.group.heartbeatInterval=1s');
  const child = spawn(process.execPath, ['--import', `file://${TSX}`, MEMBER, bootstrap, group, input, output, String(WORK), path.join(dir, `${group}-checkpoint`)], {
    env: { ...process.env, DSTREAMS_CONF: conf.join(';'), DSTREAMS_LOG_LEVEL: 'warn', DSTREAMS_BATCH_MS: String(BATCH_MS) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const p: Proc = { name, child, eventLog, stderr: '', exited: new Promise((r) => child.once('exit', () => r())) };
  // Warnings (rebalances, failed acquisitions) go to <name>.stderr in the run folder, kept with --keep.
  const stderrFile = fs.createWriteStream(path.join(dir, `${name}.stderr`));
  child.stderr?.on('data', (d: Buffer) => {
    stderrFile.write(d);
    p.stderr = (p.stderr + d.toString()).slice(-8000);
  });
  child.once('exit', () => stderrFile.end());
  return p;
}

async function stopAll(procs: readonly Proc[]): Promise<void> {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
}

/** Polls `cond` every 200 ms; fails after `ms` with the members' stderr. */
async function until(what: string, cond: () => boolean | Promise<boolean>, procs: readonly Proc[], ms = 600_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    const dead = procs.find((p) => p.child.exitCode !== null && p.child.exitCode !== 0);
    if (dead) throw new Error(`${dead.name} exited ${dead.child.exitCode} before ${what}: ${dead.stderr}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${procs.map((p) => p.stderr).join('\n')}`);
    await sleep(200);
  }
}

const commits = (events: readonly MemberEvent[]): MemberEvent[] => events.filter((e) => e.kind === 'committed');

/** One configuration: `members` processes (0: one process outside group mode), the whole topic read. */
async function throughput(kafka: Kafka, bootstrap: string, input: string, members: number, dir: string): Promise<Record<string, unknown>> {
  const label = members === 0 ? 'single' : `group-${members}`;
  const group = `${input}-${label}`;
  const output = `${group}-out`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: output, numPartitions: PARTITIONS }], waitForLeaders: true });
  const loadBefore = load();
  const procs = Array.from({ length: Math.max(1, members) }, (_, i) => startMember(dir, bootstrap, group, input, output, `${label}-m${i + 1}`, members > 0));
  const committed = async (): Promise<number> => {
    const res = await admin.fetchOffsets({ groupId: group, topics: [input] });
    return res[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  };
  await until(`${label}: the whole input committed`, async () => (await committed()) >= RECORDS, procs);
  const loadDuring = load();
  await stopAll(procs);
  await admin.disconnect();
  const events = procs.flatMap((p) => readEvents(p.eventLog)).sort((a, b) => a.wall - b.wall);
  // The window opens when every member holds partitions and together they hold all of them.
  let windowStart = events.find((e) => e.kind === 'committed')?.wall ?? 0;
  if (members > 0) {
    for (let i = 0; i < events.length; i++) {
      const upTo = events.slice(0, i + 1);
      const held = procs.map((p) => holding(upTo.filter((e) => e.member === p.name)));
      if (held.every((h) => h.size > 0) && new Set(held.flatMap((h) => [...h])).size === PARTITIONS) {
        windowStart = events[i].wall;
        break;
      }
    }
  }
  const cs = commits(events);
  const windowEnd = cs[cs.length - 1].wall;
  const before = cs.filter((e) => e.wall <= windowStart).reduce((n, e) => n + (e.inputRecords ?? 0), 0);
  const inWindow = RECORDS - before;
  const secs = (windowEnd - windowStart) / 1000;
  const rate = Math.round(inWindow / secs);
  log(`${label}: ${inWindow} records in ${secs.toFixed(1)} s = ${rate} records/s (load ${loadDuring.join(' ')})`);
  return { label, members: Math.max(1, members), groupMode: members > 0, recordsPerSec: rate, windowRecords: inWindow, windowSeconds: Math.round(secs * 10) / 10, batchesCommitted: cs.length, loadBefore, loadDuring };
}

/** Two members; one SIGKILLed at half the input, then a third joins: pauses and restores. */
async function failover(kafka: Kafka, bootstrap: string, input: string, dir: string): Promise<Record<string, unknown>> {
  const group = `${input}-failover`;
  const output = `${group}-out`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: output, numPartitions: PARTITIONS }], waitForLeaders: true });
  const committed = async (): Promise<number> => {
    const res = await admin.fetchOffsets({ groupId: group, topics: [input] });
    return res[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  };
  const a = startMember(dir, bootstrap, group, input, output, 'failover-a', true);
  const b = startMember(dir, bootstrap, group, input, output, 'failover-b', true);
  const procs = [a, b];
  await until('failover: a quarter of the input', async () => (await committed()) >= RECORDS / 4, procs);
  const bHeld = [...holding(readEvents(b.eventLog))];
  const killWall = Date.now();
  b.child.kill('SIGKILL');
  await b.exited;
  await until('failover: a holding b\'s partitions', () => bHeld.every((p) => holding(readEvents(a.eventLog)).has(p)), [a]);
  // The third joins as soon as a has taken over, so that most of the input is still to come when it holds its share.
  const c = startMember(dir, bootstrap, group, input, output, 'failover-c', true);
  await until('failover: c holding its half', () => holding(readEvents(c.eventLog)).size >= Math.floor(PARTITIONS / 2), [a, c]);
  const heldByC = [...holding(readEvents(c.eventLog))];
  await until('failover: the whole input', async () => (await committed()) >= RECORDS, [a, c]);
  await stopAll([a, c]);
  await admin.disconnect();
  const events = [a, b, c].flatMap((p) => readEvents(p.eventLog)).sort((x, y) => x.wall - y.wall);
  // A moved partition's pause: from the kill (or from its release by the old owner, the last before the new owner
  // acquired it) to the new owner holding it ready, state restored ('acquired'), and to its first commit there.
  const firstOf = (kind: string, member: string, p: string, after: number): number | undefined =>
    events.find((e) => e.kind === kind && e.member === member && e.wall > after && (e.partitions ?? []).includes(p))?.wall;
  const killPauses = bHeld.map((p) => ({
    partition: p,
    ms: (firstOf('acquired', 'failover-a', p, killWall) ?? NaN) - killWall,
    firstCommitMs: (firstOf('committed', 'failover-a', p, killWall) ?? NaN) - killWall,
  }));
  const restoresAfterKill = events.filter((e) => e.kind === 'restored' && e.member === 'failover-a' && e.wall > killWall).map((e) => ({ partition: e.partition, keys: e.keys, records: e.records, ms: e.ms }));
  const toC = heldByC;
  const joinPauses = toC.map((p) => {
    const acquired = firstOf('acquired', 'failover-c', p, 0) ?? NaN;
    const released = events.filter((e) => e.kind === 'revoked' && e.member === 'failover-a' && e.wall <= acquired && (e.partitions ?? []).includes(p)).pop()?.wall ?? NaN;
    return { partition: p, ms: acquired - released, firstCommitMs: (firstOf('committed', 'failover-c', p, 0) ?? NaN) - released };
  });
  const restoresOnJoin = events.filter((e) => e.kind === 'restored' && e.member === 'failover-c').map((e) => ({ partition: e.partition, keys: e.keys, records: e.records, ms: e.ms }));
  const max = (xs: Array<{ ms?: number }>): number => Math.max(...xs.map((x) => x.ms ?? NaN));
  log(`failover: kill pauses ${killPauses.map((x) => x.ms).join(', ')} ms; restores after the kill up to ${max(restoresAfterKill)} ms; join pauses ${joinPauses.map((x) => x.ms).join(', ')} ms; restores on join up to ${max(restoresOnJoin)} ms`);
  return {
    sessionTimeoutMs: 6000,
    killPauses,
    restoresAfterKill,
    joinPauses,
    restoresOnJoin,
    maxKillPauseMs: max(killPauses),
    maxJoinPauseMs: max(joinPauses),
    maxRestoreMs: Math.max(max(restoresAfterKill), max(restoresOnJoin)),
    load: load(),
  };
}

async function produce(kafka: Kafka, topic: string): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const t0 = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < RECORDS) {
      const from = next;
      next = Math.min(RECORDS, next + 2000);
      const messages = [];
      for (let i = from; i < next; i++) messages.push({ key: `k${(i * 7919) % KEYS}`, value: `record ${i} of the kafka-group benchmark` });
      await producer.send({ topic, acks: 1, messages });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await producer.disconnect();
  return (Date.now() - t0) / 1000;
}

async function main(): Promise<void> {
  let broker: KafkaBroker | undefined;
  let bootstrap = strArg('bootstrap');
  if (!bootstrap) {
    log('starting a dedicated broker');
    broker = await startKafkaBroker({ heapOpts: '-Xms512m -Xmx1g' });
    bootstrap = broker.bootstrap;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-group-bench-'));
  try {
    const kafka = new Kafka({ clientId: 'dstreams-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const input = `kafka-group-bench-${Date.now()}`;
    await admin.createTopics({ topics: [{ topic: input, numPartitions: PARTITIONS }], waitForLeaders: true });
    await admin.disconnect();
    log(`producing ${RECORDS} records (${KEYS} keys) to ${input} (${PARTITIONS} partitions); load ${load().join(' ')}`);
    const produceSecs = await produce(kafka, input);
    const configs: Array<Record<string, unknown>> = [];
    if (!process.argv.includes('--failover-only')) {
      configs.push(await throughput(kafka, bootstrap, input, 0, dir));
      for (const m of MEMBER_COUNTS) configs.push(await throughput(kafka, bootstrap, input, m, dir));
    }
    const rateOf = (label: string): number => (configs.find((c) => c.label === label)?.recordsPerSec as number | undefined) ?? NaN;
    const failoverResult = await failover(kafka, bootstrap, input, dir);
    writeResult('kafka-group', {
      records: RECORDS,
      keys: KEYS,
      partitions: PARTITIONS,
      workRoundsPerRecord: WORK,
      maxRatePerPartition: RATE_PER_PARTITION,
      batchMs: BATCH_MS,
      job: 'per record: an FNV hash of the value then `work` xorshift rounds (CPU); mapWithState count per key; toKafka of every record, exactly-once',
      broker: broker ? `dedicated Kafka ${broker.version}` : `given: ${bootstrap}`,
      produceSeconds: Math.round(produceSecs * 10) / 10,
      configs,
      speedup: Object.fromEntries(MEMBER_COUNTS.map((m) => [`group-${m}/group-1`, Math.round((rateOf(`group-${m}`) / rateOf('group-1')) * 100) / 100])),
      groupOneVsSingle: Math.round((rateOf('group-1') / rateOf('single')) * 100) / 100,
      failover: failoverResult,
      command: `npm run bench -- kafka-group ${process.argv.slice(2).join(' ')}`.trim(),
    });
  } finally {
    if (process.argv.includes('--keep')) log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
    await broker?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`kafka-group benchmark failed: ${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
