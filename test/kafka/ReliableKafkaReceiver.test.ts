/**
 * The reliable receiver-based Kafka stream (KafkaUtils.createStream with the receiver WAL on) against the suite's
 * real broker, in process on the manual clock: records are counted batch by batch, the group's offsets appear in
 * Kafka only after the block holding them is stored, a record that fails to deserialize is reported (naming topic,
 * partition and offset) and left out, and a restarted receiver resumes after what it stored.
 */
import type { StreamingContext, StreamingListener } from '../../lib';
import { KafkaUtils, type KafkaInputDStream, type ReliableKafkaReceiver, nextOffsetsOf } from '../../receivers/kafka';
import { trackerOf, unallocatedRecords, waitFor } from '../receivers/helpers';
import { createManualContext, stopAllContexts } from '../streaming/harness';
import { connectClients, createTopic, deferred, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

let clients: KafkaTestClients;
let bootstrap: string;

beforeAll(async () => {
  bootstrap = kafkaBootstrap();
  clients = await connectClients(bootstrap);
});
afterEach(() => stopAllContexts());
afterAll(async () => {
  await clients?.close();
});

/** A manual-clock context with the receiver WAL on (so createStream runs the reliable receiver). */
function walContext(): StreamingContext {
  return createManualContext({
    checkpointDir: true,
    conf: { 'spark.streaming.receiver.writeAheadLog.enable': 'true', 'spark.streaming.receiverRestartDelay': '100ms' },
  });
}

/** Consumer parameters for a fresh group reading from the beginning, with quick group timings. */
function groupParams(groupId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return stringParams(bootstrap, { 'group.id': groupId, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 500, 'fetch.max.wait.ms': 50, ...extra });
}

/** The group's committed offsets per partition (-1: none), as a separate admin sees them. */
async function committed(groupId: string, topic: string): Promise<Record<number, number>> {
  const r = await clients.admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries(r[0].partitions.map((p) => [p.partition, Number(p.offset)]));
}

/** Each batch's values, sorted. */
function collectBatches(stream: KafkaInputDStream<string, string>): string[][] {
  const batches: string[][] = [];
  stream.foreachRDD(async (rdd) => {
    batches.push((await rdd.map(([, v]) => v).collect()).sort());
  });
  return batches;
}

const values = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('createStream with the WAL on runs the reliable receiver; records are counted batch by batch and committed', async () => {
  const topic = uniqueName('reliable');
  const groupId = uniqueName('reliable-group');
  await createTopic(clients.admin, topic, 2);
  const ssc = walContext();
  const stream = KafkaUtils.createStream<string, string>(ssc, groupParams(groupId), { [topic]: 1 });
  expect(stream.getReceiver().constructor.name).toBe('ReliableKafkaReceiver');
  const batches = collectBatches(stream);
  await ssc.start();

  await produce(clients.producer, topic, values('a', 10), (i) => i % 2);
  await waitFor(() => unallocatedRecords(ssc) === 10, '10 stored records', 20_000);
  await ssc.step();
  expect(batches).toEqual([values('a', 10).sort()]);
  await waitFor(async () => JSON.stringify(await committed(groupId, topic)) === JSON.stringify({ 0: 5, 1: 5 }), 'offsets 5/5 committed');

  await produce(clients.producer, topic, values('b', 6), (i) => i % 2);
  await waitFor(() => unallocatedRecords(ssc) === 6, '6 more stored records', 20_000);
  await ssc.step();
  await ssc.step(); // nothing new: an empty batch
  expect(batches).toEqual([values('a', 10).sort(), values('b', 6).sort(), []]);
  await waitFor(async () => JSON.stringify(await committed(groupId, topic)) === JSON.stringify({ 0: 8, 1: 8 }), 'offsets 8/8 committed');
  // The last stored block's metadata says where every partition resumes.
  expect(Object.fromEntries(nextOffsetsOf(trackerOf(ssc).lastStoredMetadata(stream.id)))).toEqual({ [`${topic}-0`]: 8, [`${topic}-1`]: 8 });
});

test('offsets are committed to Kafka only after the block holding them is stored', async () => {
  const topic = uniqueName('commit-after-store');
  const groupId = uniqueName('commit-after-store-group');
  await createTopic(clients.admin, topic, 2);
  const ssc = walContext();
  const stream = KafkaUtils.createStream<string, string>(ssc, groupParams(groupId), [topic]);
  const receiver = stream.getReceiver() as ReliableKafkaReceiver<string, string>;
  // A probe around the real store: it waits for the test's go before storing.
  const gate = deferred<void>();
  let storesStarted = 0;
  const realStore = receiver.store.bind(receiver) as (records: readonly [string, string][], metadata?: unknown) => Promise<void>;
  receiver.store = (async (records: readonly [string, string][], metadata?: unknown) => {
    storesStarted++;
    await gate.promise;
    return realStore(records, metadata);
  }) as typeof receiver.store;
  collectBatches(stream);
  await ssc.start();

  await produce(clients.producer, topic, values('c', 4), (i) => i % 2);
  await waitFor(() => storesStarted > 0, 'the receiver to fetch the records and begin storing them', 20_000);
  // Fetched, not stored: nothing is committed, nothing is in a block.
  await new Promise((r) => setTimeout(r, 300));
  expect(await committed(groupId, topic)).toEqual({ 0: -1, 1: -1 });
  expect(unallocatedRecords(ssc)).toBe(0);

  gate.resolve();
  await waitFor(async () => JSON.stringify(await committed(groupId, topic)) === JSON.stringify({ 0: 2, 1: 2 }), 'offsets 2/2 committed', 20_000);
  expect(unallocatedRecords(ssc)).toBe(4);
});

test('a record that fails to deserialize is reported with its topic, partition and offset; the others are counted', async () => {
  const topic = uniqueName('bad-record');
  const groupId = uniqueName('bad-record-group');
  await createTopic(clients.admin, topic, 1);
  const ssc = walContext();
  const strict = (data: Buffer | null): string => {
    const s = data === null ? '' : data.toString('utf8');
    if (s.startsWith('bad')) throw new Error(`not a word: ${s}`);
    return s;
  };
  const stream = KafkaUtils.createStream<string, string>(ssc, groupParams(groupId, { 'value.deserializer': strict }), [topic]);
  const errors: string[] = [];
  const listener: StreamingListener = { onReceiverError: (e) => void errors.push(e.receiverInfo.lastErrorMessage) };
  ssc.addStreamingListener(listener);
  const batches = collectBatches(stream);
  await ssc.start();

  await produce(clients.producer, topic, ['w0', 'w1', 'bad2', 'w3']);
  await waitFor(() => unallocatedRecords(ssc) === 3 && errors.length === 1, 'three records stored and one error', 20_000);
  await ssc.step();
  expect(batches).toEqual([['w0', 'w1', 'w3']]);
  expect(errors[0]).toContain(`Error deserializing value for partition ${topic}-0 at offset 2`);
  expect(errors[0]).toContain('not a word: bad2');
  // The bad record's offset is passed: the group resumes after it.
  await waitFor(async () => (await committed(groupId, topic))[0] === 4, 'offset 4 committed');
});

test('a restarted receiver resumes after what it stored: nothing read twice', async () => {
  const topic = uniqueName('restart');
  const groupId = uniqueName('restart-group');
  await createTopic(clients.admin, topic, 2);
  const ssc = walContext();
  const stream = KafkaUtils.createStream<string, string>(ssc, groupParams(groupId), [topic]);
  const batches = collectBatches(stream);
  await ssc.start();
  await produce(clients.producer, topic, values('r', 6), (i) => i % 2);
  await waitFor(() => unallocatedRecords(ssc) === 6, '6 stored records', 20_000);

  const receiver = stream.getReceiver();
  receiver.restart('test restart');
  await waitFor(() => receiver.isStopped(), 'the receiver to stop');
  await waitFor(() => receiver.isStarted(), 'the receiver to start again', 10_000);
  await produce(clients.producer, topic, values('s', 4), (i) => i % 2);
  await waitFor(() => unallocatedRecords(ssc) >= 10, '10 stored records', 20_000);
  await new Promise((r) => setTimeout(r, 300));
  await ssc.step();
  expect(batches).toEqual([[...values('r', 6), ...values('s', 4)].sort()]);
});

describe('bad input', () => {
  test('createStream names the parameter that is missing or wrong', () => {
    const ssc = walContext();
    expect(() => KafkaUtils.createStream(ssc, stringParams(bootstrap), ['t'])).toThrow(/Missing required configuration "group.id"/);
    expect(() => KafkaUtils.createStream(ssc, bootstrap, 'g', { t: 0 })).toThrow("Invalid number of threads 0 for topic 't': expected an integer >= 1");
    expect(() => KafkaUtils.createStream(ssc, bootstrap, 'g', [])).toThrow('createStream needs at least one topic');
    expect(() => KafkaUtils.createStream(ssc, 'not a broker', 'g', ['t'])).toThrow('Invalid url in bootstrap.servers: not a broker (expected host:port)');
    expect(() => KafkaUtils.createStream(ssc, groupParams('g', { 'heartbeat.interval.ms': 7000 }), ['t'])).toThrow(
      'heartbeat.interval.ms (7000) must be lower than session.timeout.ms (6000)',
    );
  });

  test('a topic that does not exist: the receiver reports it by name and keeps retrying', async () => {
    const topic = uniqueName('missing');
    const ssc = walContext();
    const stream = KafkaUtils.createStream<string, string>(ssc, groupParams(uniqueName('missing-group'), { retries: 1 }), [topic]);
    collectBatches(stream);
    const stops: string[] = [];
    const listener: StreamingListener = { onReceiverStopped: (e) => void stops.push(e.receiverInfo.lastError) };
    ssc.addStreamingListener(listener);
    await ssc.start();
    await waitFor(() => stops.length >= 2, 'the receiver to fail twice (restarts)', 20_000);
    expect(stops[0]).toContain(`Kafka topic '${topic}' does not exist on the Kafka cluster at ${bootstrap}`);
  });
});
