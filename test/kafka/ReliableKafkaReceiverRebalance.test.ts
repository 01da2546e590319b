/**
 * The reliable receiver in a rebalancing consumer group (the suite's real broker): while records are being produced,
 * a second member (a plain kafkajs consumer with auto-commit) joins the group, takes some partitions, and later
 * leaves. The receiver commits what it stored before its partitions are revoked, and resumes the partitions it gets
 * back from the other member's commits: what the stream counted and what the other member consumed are disjoint and
 * together are every record produced.
 */
import type { Consumer } from 'kafkajs';
import { KafkaUtils } from '../../receivers/kafka';
import { unallocatedRecords, waitFor } from '../receivers/helpers';
import { createManualContext, stopAllContexts } from '../streaming/harness';
import { connectClients, createTopic, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, testKafka, uniqueName } from './kafkaTestEnv';

let clients: KafkaTestClients;
let bootstrap: string;
let other: Consumer | undefined;

beforeAll(async () => {
  bootstrap = kafkaBootstrap();
  clients = await connectClients(bootstrap);
});
afterEach(async () => {
  await other?.disconnect().catch(() => undefined);
  await stopAllContexts();
});
afterAll(async () => {
  await clients?.close();
});

test('partitions moving to another member and back: every record read once, by one of them', async () => {
  const topic = uniqueName('rebalance');
  const groupId = uniqueName('rebalance-group');
  await createTopic(clients.admin, topic, 4);
  const ssc = createManualContext({ checkpointDir: true, conf: { 'spark.streaming.receiver.writeAheadLog.enable': 'true' } });
  const stream = KafkaUtils.createStream<string, string>(
    ssc,
    stringParams(bootstrap, { 'group.id': groupId, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 300, 'fetch.max.wait.ms': 50, 'max.partition.fetch.bytes': 256 }),
    { [topic]: 2 },
  );
  const counted: string[] = [];
  stream.foreachRDD(async (rdd) => void counted.push(...(await rdd.map(([, v]) => v).collect())));
  await ssc.start();

  const TOTAL = 600;
  const all = Array.from({ length: TOTAL }, (_, i) => `m${i}`);
  let produced = 0;
  const producing = (async () => {
    for (; produced < TOTAL; produced += 10) {
      await produce(clients.producer, topic, all.slice(produced, produced + 10), (i) => (produced + i) % 4);
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  await waitFor(() => unallocatedRecords(ssc) > 0, 'the stream to store its first records', 20_000);

  // A second member joins: a rebalance moves some partitions to it while records keep coming.
  const theirs: string[] = [];
  const member = testKafka(bootstrap).consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 50 });
  other = member;
  let assigned: number[] = [];
  member.on(member.events.GROUP_JOIN, (e) => void (assigned = e.payload.memberAssignment[topic] ?? []));
  await member.connect();
  await member.subscribe({ topics: [topic], fromBeginning: true });
  await member.run({ eachMessage: async ({ message }) => void theirs.push(message.value!.toString()) });
  await waitFor(() => assigned.length > 0 && theirs.length > 0, 'the second member to get partitions and records', 20_000);
  await producing;
  await waitFor(() => unallocatedRecords(ssc) + theirs.length >= TOTAL, 'every record to be read by one of the two', 30_000);

  // It leaves: the stream gets its partitions back where the member committed.
  await member.disconnect();
  other = undefined;
  await produce(clients.producer, topic, ['late0', 'late1', 'late2', 'late3'], (i) => i);
  await waitFor(() => unallocatedRecords(ssc) + theirs.length >= TOTAL + 4, 'the late records', 30_000);
  await new Promise((r) => setTimeout(r, 500)); // a duplicate, if any, would arrive meanwhile
  await ssc.step();

  const both = [...counted, ...theirs];
  expect(counted.filter((v) => theirs.includes(v))).toEqual([]); // disjoint
  expect(new Set(both).size).toBe(both.length); // nobody read a record twice
  expect(both.sort()).toEqual([...all, 'late0', 'late1', 'late2', 'late3'].sort());
  expect(theirs.length).toBeGreaterThan(0);
  expect(counted.length).toBeGreaterThan(0);
}, 60_000);

test('two streams of one group (Spark\'s "N streams, then union") share the partitions; the union reads every record once', async () => {
  const topic = uniqueName('union');
  const groupId = uniqueName('union-group');
  await createTopic(clients.admin, topic, 4);
  const ssc = createManualContext({ checkpointDir: true, conf: { 'spark.streaming.receiver.writeAheadLog.enable': 'true' } });
  const params = stringParams(bootstrap, { 'group.id': groupId, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 300, 'fetch.max.wait.ms': 50, 'max.partition.fetch.bytes': 256 });
  const streams = [0, 1].map(() => KafkaUtils.createStream<string, string>(ssc, params, [topic]));
  const perStream: string[][] = [[], []];
  streams.forEach((s, i) => s.foreachRDD(async (rdd) => void perStream[i].push(...(await rdd.map(([, v]) => v).collect()))));
  const union = ssc.union(streams).map(([, v]) => v);
  const counted: string[] = [];
  union.foreachRDD(async (rdd) => void counted.push(...(await rdd.collect())));
  await ssc.start();

  const TOTAL = 400;
  const all = Array.from({ length: TOTAL }, (_, i) => `u${i}`);
  for (let i = 0; i < TOTAL; i += 10) {
    await produce(clients.producer, topic, all.slice(i, i + 10), (j) => (i + j) % 4);
    await new Promise((r) => setTimeout(r, 10));
  }
  await waitFor(() => unallocatedRecords(ssc) >= TOTAL, 'every record stored by one of the streams', 30_000);
  await new Promise((r) => setTimeout(r, 500)); // a duplicate, if any, would arrive meanwhile
  await ssc.step();
  expect(counted.sort()).toEqual([...all].sort());
  expect(perStream[0].length + perStream[1].length).toBe(TOTAL);
  expect(perStream.map((p) => p.length > 0)).toEqual([true, true]); // the group shared the partitions between them
}, 60_000);
