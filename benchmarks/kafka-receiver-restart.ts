/**
 * kafka-receiver-restart: how long a restarted reliable Kafka receiver (KafkaUtils.createStream with the receiver
 * WAL) waits for data. The receiver-based word count of the Kafka fault tests (test/kafka/fixtures/
 * kafkaReceiverWordCount.ts, session.timeout.ms 6000) reads a topic that a producer keeps feeding; it is SIGKILLed
 * at a seeded random moment, restarted at once on the same checkpoint folder, and the restarted process's
 * timeline is read from its log: spawn → partitions assigned (the group's rebalance done) → first block of Kafka
 * records stored. With `--chain N`, each restarted process is SIGKILLed again at a random moment of its first
 * 3 s (as a kill loop does, usually before it got its partitions), N times, before the measured restart. Repeated
 * `--runs` times (a graceful SIGTERM stop and restart instead of the first kill, with `--graceful`).
 *
 *   npm run bench -- kafka-receiver-restart [--runs 10] [--seed 1] [--chain 0] [--session-timeout 6000]
 *                                           [--bootstrap host:port] [--graceful]
 *
 * Starts a dedicated broker unless `--bootstrap` names one. Writes benchmarks/results/kafka-receiver-restart.json
 * (…-graceful.json with --graceful).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { seededRandom } from '../lib/experiments/RandomKills';
import { type KafkaBroker, startKafkaBroker } from '../scripts/kafka/KafkaBroker';
import { arg, strArg, writeResult } from './report';

const ROOT = path.resolve(__dirname, '..');
const PROGRAM = path.join(ROOT, 'test', 'kafka', 'fixtures', 'kafkaReceiverWordCount.ts');
const RUNS = arg('runs', 10);
const SEED = arg('seed', 1);
const GRACEFUL = process.argv.includes('--graceful');
const CHAIN = arg('chain', 0);
/** session.timeout.ms of the program's group (the fixture's default 6000, the broker's minimum; Kafka's is 45000). */
const SESSION_TIMEOUT_MS = arg('session-timeout', 6000);
/** Give up on a restart after this long without data (the issue saw more than 25 s). */
const GIVE_UP_MS = 90_000;
const log = (m: string): void => void process.stderr.write(`[kafka-receiver-restart] ${m}\n`);


interface Child {
  proc: ChildProcess;
  spawnedWall: number;
  /** Wall times (the log's `time`): the receiver starting, partitions assigned, the first pushed block. */
  receiverStartWall?: number;
  removedMembers?: number;
  assignedWall?: number;
  firstBlockWall?: number;
  exit: Promise<void>;
}

function start(bootstrap: string, topic: string, group: string, dir: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', PROGRAM, bootstrap, topic, group, path.join(dir, 'checkpoint'), path.join(dir, 'out'), 'wal'], {
    cwd: ROOT,
    env: { ...process.env, DSTREAMS_LOG_LEVEL: 'debug', DSTREAMS_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const child: Child = { proc, spawnedWall: Date.now(), exit: new Promise((resolve) => proc.on('exit', () => resolve())) };
  let buf = '';
  proc.stderr!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      let e: { time?: number; msg?: string; component?: string };
      try {
        e = JSON.parse(line) as typeof e;
      } catch {
        continue;
      }
      if (e.msg === 'Starting the reliable Kafka receiver' && child.receiverStartWall === undefined) child.receiverStartWall = e.time;
      if (e.msg?.startsWith('Removed ') && e.msg.includes('member(s)')) child.removedMembers = (child.removedMembers ?? 0) + Number(/^Removed (\d+)/.exec(e.msg)?.[1] ?? 0);
      if (e.msg === 'Partitions assigned' && child.assignedWall === undefined) child.assignedWall = e.time;
      if (e.msg === 'Pushed block' && child.firstBlockWall === undefined) child.firstBlockWall = e.time;
    }
  });
  return child;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Sends a record to each partition every 20 ms until stopped. */
function feed(producer: Producer, topic: string): () => Promise<void> {
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      await producer.send({ topic, messages: [0, 1].map((partition) => ({ partition, value: `spark stream w${n++ % 13}` })) });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const median = (xs: number[]): number | undefined => (xs.length === 0 ? undefined : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);

async function main(): Promise<void> {
  let broker: KafkaBroker | undefined;
  const bootstrap = strArg('bootstrap') ?? (broker = await startKafkaBroker({ onProgress: log })).bootstrap;
  const kafka = new Kafka({ clientId: 'restart-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await admin.connect();
  await producer.connect();
  const random = seededRandom(SEED);
  const runs: Array<{ killAfterMs: number; receiverStartMs?: number; removedMembers: number; assignedMs?: number; firstRecordMs?: number }> = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const topic = `restart-${Date.now()}-${run}`;
      const group = `${topic}-group`;
      await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-restart-'));
      const stopFeed = feed(producer, topic);
      try {
        const first = start(bootstrap, topic, group, dir);
        if (!(await until(() => first.firstBlockWall !== undefined, GIVE_UP_MS))) throw new Error('the first process received no data');
        // A random moment while it is receiving.
        const killAfterMs = Math.round(500 + random() * 3000);
        await new Promise((r) => setTimeout(r, killAfterMs));
        first.proc.kill(GRACEFUL ? 'SIGTERM' : 'SIGKILL');
        await first.exit;
        for (let k = 0; k < CHAIN; k++) {
          const short = start(bootstrap, topic, group, dir);
          await new Promise((r) => setTimeout(r, Math.round(random() * 3000)));
          short.proc.kill('SIGKILL');
          await short.exit;
        }
        const second = start(bootstrap, topic, group, dir);
        await until(() => second.firstBlockWall !== undefined, GIVE_UP_MS);
        const r = {
          killAfterMs,
          ...(second.receiverStartWall !== undefined ? { receiverStartMs: second.receiverStartWall - second.spawnedWall } : {}),
          removedMembers: second.removedMembers ?? 0,
          ...(second.assignedWall !== undefined ? { assignedMs: second.assignedWall - second.spawnedWall } : {}),
          ...(second.firstBlockWall !== undefined ? { firstRecordMs: second.firstBlockWall - second.spawnedWall } : {}),
        };
        runs.push(r);
        log(`run ${run + 1}: killed after ${killAfterMs} ms; restarted: receiver started after ${r.receiverStartMs ?? '-'} ms (${r.removedMembers} dead member(s) removed), assigned after ${r.assignedMs ?? '-'} ms, first record after ${r.firstRecordMs ?? `more than ${GIVE_UP_MS}`} ms`);
        second.proc.kill('SIGKILL');
        await second.exit;
      } finally {
        await stopFeed();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await producer.disconnect();
    await admin.disconnect();
    await broker?.stop();
  }
  const firsts = runs.map((r) => r.firstRecordMs).filter((x): x is number => x !== undefined);
  writeResult(`kafka-receiver-restart${GRACEFUL ? '-graceful' : ''}${CHAIN > 0 ? `-chain${CHAIN}` : ''}${SESSION_TIMEOUT_MS !== 6000 ? `-session${SESSION_TIMEOUT_MS}` : ''}`, {
    settings: { runs: RUNS, seed: SEED, stop: GRACEFUL ? 'SIGTERM (graceful)' : 'SIGKILL', chainedKills: CHAIN, sessionTimeoutMs: SESSION_TIMEOUT_MS, program: path.relative(ROOT, PROGRAM), giveUpMs: GIVE_UP_MS },
    restartToFirstRecordMs: { median: median(firsts), max: firsts.length ? Math.max(...firsts) : undefined, withoutDataAfter25s: runs.filter((r) => (r.firstRecordMs ?? Infinity) > 25_000).length },
    restartToAssignmentMsMedian: median(runs.map((r) => r.assignedMs).filter((x): x is number => x !== undefined)),
    restartToReceiverStartMsMedian: median(runs.map((r) => r.receiverStartMs).filter((x): x is number => x !== undefined)),
    runs,
  });
}

void main();
