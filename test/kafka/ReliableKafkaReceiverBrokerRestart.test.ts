/**
 * The reliable receiver across a broker crash and restart, on a DEDICATED broker (the shared one stays up for the
 * other suites): when the broker goes away the kafkajs consumer fails, the receiver restarts the Spark way
 * (`Receiver.restart`, again and again while the broker is down), and once the broker is back it resumes where it
 * stored: every record produced before and after is in exactly one batch, and the group's offsets reach the end.
 */
import type { StreamingListener } from '../../lib';
import { KafkaUtils } from '../../receivers/kafka';
import { type KafkaBroker, startKafkaBroker } from '../../scripts/kafka/KafkaBroker';
import { unallocatedRecords, waitFor } from '../receivers/helpers';
import { createManualContext, stopAllContexts } from '../streaming/harness';
import { connectClients, createTopic, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

let broker: KafkaBroker | undefined;
let clients: KafkaTestClients | undefined;

beforeAll(async () => {
  kafkaBootstrap(); // fails the suite with globalSetup's reason when there is no JDK (outside CI)
  broker = await startKafkaBroker();
}, 120_000);
afterEach(() => stopAllContexts());
afterAll(async () => {
  await clients?.close().catch(() => undefined);
  await broker?.stop();
});

test('the reliable receiver survives a broker restart: nothing lost, nothing read twice', async () => {
  const b = broker!;
  clients = await connectClients(b.bootstrap);
  const topic = uniqueName('receiver-restart');
  const groupId = uniqueName('receiver-restart-group');
  await createTopic(clients.admin, topic, 2);

  const ssc = createManualContext({
    checkpointDir: true,
    conf: { 'spark.streaming.receiver.writeAheadLog.enable': 'true', 'spark.streaming.receiverRestartDelay': '200ms' },
  });
  const params = stringParams(b.bootstrap, {
    'group.id': groupId,
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
    'fetch.max.wait.ms': 50,
    retries: 2,
    'retry.backoff.ms': 100,
    'retry.backoff.max.ms': 300,
    'socket.connection.setup.timeout.ms': 1000,
    'request.timeout.ms': 3000,
  });
  const stream = KafkaUtils.createStream<string, string>(ssc, params, [topic]);
  const batches: string[][] = [];
  stream.foreachRDD(async (rdd) => void batches.push((await rdd.map(([, v]) => v).collect()).sort()));
  let starts = 0;
  const listener: StreamingListener = { onReceiverStarted: () => void starts++ };
  ssc.addStreamingListener(listener);
  await ssc.start();

  const before = Array.from({ length: 10 }, (_, i) => `a${i}`);
  await produce(clients.producer, topic, before, (i) => i % 2);
  await waitFor(() => unallocatedRecords(ssc) === 10, '10 stored records', 20_000);
  await ssc.step();
  expect(batches).toEqual([before.sort()]);

  await b.kill('SIGKILL');
  await waitFor(() => starts >= 2, 'the receiver to restart after the broker went away', 30_000);
  await b.restart();
  await clients.renew();
  const after = Array.from({ length: 6 }, (_, i) => `b${i}`);
  await produce(clients.producer, topic, after, (i) => i % 2);
  await waitFor(() => unallocatedRecords(ssc) >= 6, 'the 6 records produced after the restart', 40_000);
  await new Promise((r) => setTimeout(r, 500)); // a duplicate, if any, would arrive meanwhile
  await ssc.step();
  expect(batches).toEqual([before.sort(), after.sort()]);
  await waitFor(
    async () => {
      const o = await clients!.admin.fetchOffsets({ groupId, topics: [topic] });
      return JSON.stringify(o[0].partitions.map((p) => [p.partition, p.offset]).sort()) === JSON.stringify([[0, '8'], [1, '8']]);
    },
    'offsets 8/8 committed',
    10_000,
  );
}, 120_000);
