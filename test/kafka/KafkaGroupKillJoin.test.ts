/**
 * Group mode end to end (issue 18): examples/KafkaGroupWordCount.ts, a keyed stateful word count (mapWithState,
 * toKafka), runs as three members of one consumer group against the suite's real broker, each a real child process.
 * One member is SIGKILLed at a fault point while its batch's Kafka transaction is open; once the others have taken
 * over its partitions and finished the first half of the input, a fourth member joins and the second half is
 * written. The output topic, read as a `read_committed` consumer, must equal what the same program wrote as a
 * single process (Spark's mapWithState, no group) on the same input, record for record: nothing lost, nothing
 * twice; and the state changelog must hold each word's final count.
 *
 * Every wait is on an event (a member's group event log, the group's committed offsets, a process exit), with
 * generous deadlines: rebalances are slow on a loaded machine. How long the moved partitions had no owner ready
 * to read them (kill → taken over; release → handed over) and the state-restore times are measured from the
 * members' event logs and printed (the benchmark `npm run bench -- kafka-group` records them).
 */
import * as path from 'node:path';
import type { Admin } from 'kafkajs';
import { cleanUp, type Running, startProgram, tempDir } from '../examples/exampleKit';
import { committedTotal, events, holding, lastValues, readCommitted, waitUntil } from './kafkaGroupTestKit';
import { connectClients, createTopic, type KafkaTestClients } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

const PARTITIONS = 6;
const WORDS = 40;
const HALF = 1500;
/** The member that dies: at its 5th transaction (its third batch with records, first partition). */
const FAULT = 'kafka.txn-open:5:kill';
const STEP_MS = 60_000;

afterAll(() => (process.env.KEEP_GROUP_LOGS ? undefined : cleanUp()));

/** `w<i>` keyed records; the word of record `i` (Kafka's partitioner puts each word in one partition). */
const word = (i: number): string => `w${(i * 7) % WORDS}`;

async function produceKeyed(clients: KafkaTestClients, topic: string, from: number, to: number): Promise<void> {
  const messages = [];
  for (let i = from; i < to; i++) messages.push({ key: word(i), value: String(i) });
  await clients.producer.send({ topic, acks: -1, messages });
}

test('3 members, one SIGKILLed with an open transaction, a fourth joining: the committed output and state equal one process\'s', async () => {
  const bootstrap = kafkaBootstrap();
  const clients = await connectClients(bootstrap);
  const admin: Admin = clients.admin;
  const id = uniqueName('wc');
  const input = `${id}-in`;
  const output = `${id}-out`;
  const refOutput = `${id}-ref`;
  await createTopic(admin, input, PARTITIONS);
  await createTopic(admin, output, 2);
  await createTopic(admin, refOutput, 2);
  const dir = tempDir('kafka-group');
  const group = `${id}-group`;
  const refGroup = `${id}-ref-group`;
  const common = [
    `spark.app.name=${id}`,
    'spark.streaming.stopGracefullyOnShutdown=true',
    'spark.streaming.kafka.maxRatePerPartition=100',
    'dstreams.kafka.group.sessionTimeout=6s',
    'dstreams.kafka.group.heartbeatInterval=1s',
  ];
  const members = new Map<string, Running>();
  const logOf = (m: string): string => path.join(dir, `${m}.events.jsonl`);
  const start = (m: string, extraEnv: NodeJS.ProcessEnv = {}): Running => {
    const conf = [...common, 'dstreams.kafka.groupMode=true', `dstreams.kafka.group.member=${m}`, `dstreams.kafka.group.eventLog=${logOf(m)}`];
    const r = startProgram('KafkaGroupWordCount.ts', [bootstrap, group, input, output, path.join(dir, 'cp')], {
      env: { DSTREAMS_BATCH_MS: '500', DSTREAMS_CONF: conf.join(';'), ...extraEnv },
    });
    members.set(m, r);
    return r;
  };
  try {
    // The single-process reference, alongside: the same program without group mode (Spark's mapWithState).
    const reference = startProgram('KafkaGroupWordCount.ts', [bootstrap, refGroup, input, refOutput, path.join(dir, 'ref-cp')], {
      env: { DSTREAMS_BATCH_MS: '500', DSTREAMS_CONF: [`spark.app.name=${id}-ref`, 'spark.streaming.stopGracefullyOnShutdown=true'].join(';') },
    });
    const watched = new Map([...members, ['reference', reference] as [string, Running]]);
    const m1 = start('m1', { DSTREAMS_FAULT: FAULT });
    start('m2');
    start('m3');
    for (const [k, v] of members) watched.set(k, v);

    // The group is formed when the three hold all the partitions between them.
    const held = (m: string): Set<string> => holding(logOf(m));
    await waitUntil(
      'three members holding two partitions each',
      () => ['m1', 'm2', 'm3'].every((m) => held(m).size === PARTITIONS / 3) && new Set(['m1', 'm2', 'm3'].flatMap((m) => [...held(m)])).size === PARTITIONS,
      watched,
      3 * STEP_MS,
    );
    const m1Partitions = [...held('m1')].sort();
    await produceKeyed(clients, input, 0, HALF);

    const killed = await m1.exited();
    expect(killed).toBe('SIGKILL');
    expect(m1.stderr()).toContain(`fault point kafka.txn-open (hit 5): SIGKILL`);
    const killWall = Date.now();
    const survivors = new Map([...members].filter(([k]) => k !== 'm1'));
    survivors.set('reference', reference);
    await waitUntil('the others taking over m1\'s partitions and the first half committed', async () => (await committedTotal(admin, group, input)) >= HALF, survivors, 3 * STEP_MS);
    const takenOver = new Set([...held('m2'), ...held('m3')]);
    expect(m1Partitions.every((p) => takenOver.has(p))).toBe(true);

    const m4 = start('m4');
    survivors.set('m4', m4);
    await waitUntil('m4 holding partitions', () => held('m4').size > 0, survivors, 3 * STEP_MS);
    await produceKeyed(clients, input, HALF, 2 * HALF);
    await waitUntil('the whole input committed by the group and by the reference', async () => (await committedTotal(admin, group, input)) >= 2 * HALF && (await committedTotal(admin, refGroup, input)) >= 2 * HALF, survivors, 3 * STEP_MS);
    // SIGTERM: the shutdown hook stops gracefully (the running batch commits), then the signal ends the process.
    for (const [, r] of survivors) r.child.kill('SIGTERM');
    for (const [name, r] of survivors) expect({ name, exit: await r.exited() }).toEqual({ name, exit: 'SIGTERM' });
    for (const [name, r] of survivors) expect({ name, errors: r.stderr().split('\n').filter((l) => /"level":(50|60)/.test(l)) }).toEqual({ name, errors: [] });

    // The output: each word's running counts 1..n, once each, exactly as the single process wrote them.
    const expectedCounts = new Map<string, number>();
    for (let i = 0; i < 2 * HALF; i++) expectedCounts.set(word(i), (expectedCounts.get(word(i)) ?? 0) + 1);
    const expected = [...expectedCounts].flatMap(([w, n]) => Array.from({ length: n }, (_, i) => `${w}=${i + 1}`)).sort();
    const asText = (rs: Array<[string | null, string | null]>): string[] => rs.map(([k, v]) => `${k}=${v}`).sort();
    const ref = asText(await readCommitted(bootstrap, refOutput));
    const got = asText(await readCommitted(bootstrap, output));
    expect(ref).toEqual(expected);
    expect(got.length).toBe(ref.length);
    expect(got).toEqual(ref);

    // The state: the changelog's last value of each word is its final count.
    const changelog = (await admin.listTopics()).find((t) => t.startsWith(`${id}-mapWithState-`) && t.endsWith('-changelog'));
    expect(changelog).toBeDefined();
    const state = new Map([...lastValues(await readCommitted(bootstrap, changelog!))].map(([k, v]) => [JSON.parse(k) as string, (JSON.parse(v) as [number, number])[0]]));
    expect(Object.fromEntries([...state].sort())).toEqual(Object.fromEntries([...expectedCounts].sort()));

    // What moved, and how long each partition was without an owner ready to read it.
    const all = ['m1', 'm2', 'm3', 'm4'].flatMap((m) => events(logOf(m)));
    const acquiredAt = (p: string, by: string[], after: number): number | undefined =>
      all.filter((e) => e.kind === 'acquired' && by.includes(e.member) && e.wall > after && e.partitions.includes(p)).map((e) => e.wall).sort((a, b) => a - b)[0];
    const killPauses = m1Partitions.map((p) => (acquiredAt(p, ['m2', 'm3'], killWall) ?? NaN) - killWall);
    const toM4 = [...held('m4')].sort();
    // The release that handed p to m4: the last revocation of p before m4 acquired it.
    const revokedBefore = (p: string, t: number): number | undefined =>
      all.filter((e) => e.kind === 'revoked' && e.wall <= t && e.partitions.includes(p)).map((e) => e.wall).sort((a, b) => b - a)[0];
    const joinPauses = toM4.map((p) => {
      const acquired = acquiredAt(p, ['m4'], 0) ?? NaN;
      return acquired - (revokedBefore(p, acquired) ?? NaN);
    });
    const restores = all.filter((e) => e.kind === 'restored' && e.records > 0).map((e) => (e.kind === 'restored' ? e.ms : 0));
    expect(restores.length).toBeGreaterThan(0);
    process.stdout.write(
      `[kafka-group kill/join] m1's ${m1Partitions.join(', ')} taken over ${killPauses.map((x) => `${x} ms`).join(', ')} after the kill (session timeout 6 s); ` +
        `${toM4.join(', ')} handed to m4 ${joinPauses.map((x) => `${x} ms`).join(', ')} after their release; state restores ${restores.map((x) => `${x} ms`).join(', ')}\n`,
    );
  } finally {
    await clients.close();
  }
}, 10 * STEP_MS);
