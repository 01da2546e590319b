/**
 * Group-mode state against the suite's real broker, in this process on the manual clock (one member at a time):
 * updateStateByKey logs every change to its compacted changelog and a new member restores the state from it before
 * its first batch; through(topic) repartitions words by key so that their state can follow the partitions; and a key
 * found in two input partitions fails the batch with a KeyNotCoPartitionedException naming both.
 */
import { Milliseconds, type RDD, SparkConf, StreamingContext } from '../../lib';
import {
  ConsumerStrategies,
  type DirectKafkaInputDStream,
  KafkaUtils,
  type KafkaGroupEventWithContext,
  KeyNotCoPartitionedException,
  LocationStrategies,
} from '../../receivers/kafka';
import { committedTotal, lastValues, readCommitted } from './kafkaGroupTestKit';
import { connectClients, createTopic, type KafkaTestClients, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

let bootstrap: string;
let clients: KafkaTestClients;
const running: StreamingContext[] = [];

beforeAll(async () => {
  bootstrap = kafkaBootstrap();
  clients = await connectClients(bootstrap);
});
afterEach(async () => {
  for (const ssc of running.splice(0)) await ssc.stop(true, false);
});
afterAll(async () => {
  await clients?.close();
});

function groupContext(app: string, member: string): StreamingContext {
  const conf = new SparkConf(false)
    .setMaster('local[2]')
    .setAppName(app)
    .set('spark.streaming.clock', 'manual')
    .set('dstreams.kafka.groupMode', 'true')
    .set('dstreams.kafka.group.member', member)
    .set('dstreams.kafka.group.sessionTimeout', '6s')
    .set('dstreams.kafka.group.heartbeatInterval', '1s');
  const ssc = new StreamingContext(conf, Milliseconds(500));
  running.push(ssc);
  return ssc;
}

function direct(ssc: StreamingContext, topic: string, group: string): DirectKafkaInputDStream<string, string> {
  return KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap, { 'group.id': group })));
}

/** Steps batches (each once the streams hold their partitions, and committed) until `done()`, at most `max`. */
async function stepUntil(ssc: StreamingContext, streams: readonly DirectKafkaInputDStream<string, string>[], what: string, done: () => Promise<boolean>, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    for (const s of streams) await s.group!.whenAcquired();
    await ssc.step(1);
    for (const s of streams) await s.group!.committer.flush();
    if (await done()) return;
  }
  throw new Error(`${max} batches and still not ${what}`);
}

async function produceKeyed(topic: string, words: readonly string[]): Promise<void> {
  await clients.producer.send({ topic, acks: -1, messages: words.map((w) => ({ key: w, value: '1' })) });
}

const countsOf = (words: readonly string[]): Record<string, number> => {
  const m: Record<string, number> = {};
  for (const w of words) m[w] = (m[w] ?? 0) + 1;
  return Object.fromEntries(Object.entries(m).sort());
};

test('updateStateByKey writes its changes to the changelog, and the next member restores them before its first batch', async () => {
  const app = uniqueName('state');
  const topic = `${app}-in`;
  const group = `${app}-g`;
  await createTopic(clients.admin, topic, 3);
  const first = Array.from({ length: 300 }, (_, i) => `w${i % 23}`);
  const second = Array.from({ length: 200 }, (_, i) => `w${(i * 5) % 31}`);
  await produceKeyed(topic, first);

  const run = async (member: string, total: number): Promise<{ state: Record<string, number>; events: KafkaGroupEventWithContext[] }> => {
    const ssc = groupContext(app, member);
    const stream = direct(ssc, topic, group);
    const events: KafkaGroupEventWithContext[] = [];
    stream.group!.on((e) => events.push(e));
    let state: Array<[string, number]> = [];
    stream
      .map((r) => [r.key, 1] as [string, number])
      .updateStateByKey<string, number, number>((values, s) => (s ?? 0) + values.length)
      .foreachRDD(async (rdd: RDD<[string, number]>) => {
        state = await rdd.collect();
      });
    await ssc.start();
    await stepUntil(ssc, [stream], `all ${total} records committed`, async () => (await committedTotal(clients.admin, group, topic)) >= total);
    await ssc.stop(true, true);
    running.splice(running.indexOf(ssc), 1);
    return { state: Object.fromEntries(state.sort(([a], [b]) => (a < b ? -1 : 1))), events };
  };

  const a = await run('a', first.length);
  expect(a.state).toEqual(countsOf(first));
  const changelog = `${app}-updateStateByKey-2-changelog`;
  const logged = Object.fromEntries([...lastValues(await readCommitted(bootstrap, changelog))].map(([k, v]) => [JSON.parse(k) as string, JSON.parse(v) as number]).sort());
  expect(logged).toEqual(countsOf(first));

  await produceKeyed(topic, second);
  const b = await run('b', first.length + second.length);
  const restored = b.events.filter((e) => e.kind === 'restored');
  expect(restored.map((e) => e.kind === 'restored' && e.changelog.split('-').slice(0, -1).join('-')).every((c) => c === changelog)).toBe(true);
  expect(restored.reduce((n, e) => n + (e.kind === 'restored' ? e.keys : 0), 0)).toBe(Object.keys(countsOf(first)).length);
  // The first batch that read anything came after every restore.
  const firstCommit = b.events.find((e) => e.kind === 'committed')!;
  expect(restored.every((e) => e.wall <= firstCommit.wall)).toBe(true);
  expect(b.state).toEqual(countsOf([...first, ...second]));
}, 180_000);

test('through(topic) repartitions by key: words of unkeyed lines get one state each; without it the key is refused', async () => {
  const app = uniqueName('through');
  const topic = `${app}-in`;
  const group = `${app}-g`;
  await createTopic(clients.admin, topic, 3);
  const lines = Array.from({ length: 60 }, (_, i) => `a b${i % 4} c${i % 7}`);
  await clients.producer.send({ topic, acks: -1, messages: lines.map((value, i) => ({ value, partition: i % 3 })) });
  const words = lines.flatMap((l) => l.split(' '));

  // Without through: "a" is in every input partition, so its state cannot follow one.
  {
    const ssc = groupContext(app, 'x');
    const stream = direct(ssc, topic, `${group}-x`);
    stream
      .flatMap((r) => r.value.split(' '))
      .map((w) => [w, 1] as [string, number])
      .updateStateByKey<string, number, number>((vs, s) => (s ?? 0) + vs.length)
      .foreachRDD(async (rdd) => void (await rdd.count()));
    await ssc.start();
    await stream.group!.whenAcquired();
    let error: unknown;
    // step() rejects with the failed job's error (as Spark's awaitTermination throws it).
    for (let i = 0; i < 20 && error === undefined; i++) error = await ssc.step(1).then(() => undefined, (e: unknown) => e);
    if (!(error instanceof Error)) throw new Error(`no error after 20 batches (${String(error)})`);
    let cause: unknown = error;
    while (cause !== undefined && !(cause instanceof KeyNotCoPartitionedException)) cause = (cause as { cause?: unknown }).cause;
    if (!(cause instanceof KeyNotCoPartitionedException)) throw error;
    const e = cause as KeyNotCoPartitionedException;
    expect(e.stream).toBe('updateStateByKey (updateStateByKey-3)');
    expect(e.message).toMatch(/^updateStateByKey \(updateStateByKey-3\) \(group mode\): the key "[abc]\d?" is in input partitions .+-\d and .+-\d\. A key's state lives with its input partition/);
    await ssc.stop(true, false);
    running.splice(running.indexOf(ssc), 1);
  }

  const ssc = groupContext(app, 'y');
  const stream = direct(ssc, topic, group);
  let state: Array<[string, number]> = [];
  const repartitioned = stream
    .flatMap((r) => r.value.split(' '))
    .map((w) => [w, 1] as [string, number])
    .through(`${app}-words`);
  repartitioned.updateStateByKey<string, number, number>((vs, s) => (s ?? 0) + vs.length).foreachRDD(async (rdd) => {
    state = await rdd.collect();
  });
  await ssc.start();
  const reader = ssc.graph.inputStreams.find((s) => s !== stream) as DirectKafkaInputDStream<string, string>;
  await stepUntil(ssc, [stream, reader], 'every word counted', async () => (await committedTotal(clients.admin, group, `${app}-words`)) >= words.length);
  // One count per word: each word's records were in one partition of the repartition topic (made with 3).
  expect(Object.fromEntries(state.sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(countsOf(words));
  expect(await clients.admin.fetchTopicOffsets(`${app}-words`)).toHaveLength(3);
  expect((await readCommitted(bootstrap, `${app}-words`)).map(([k, v]) => `${k}=${v}`).sort()).toEqual(words.map((w) => `${JSON.stringify(w)}=1`).sort());
}, 180_000);
