/**
 * examples/KafkaWordCount.ts end to end against the suite's real broker: the example runs as a child process with
 * Spark's arguments (<brokers> <group> <topics> <numThreads>), in a temporary folder (its ./checkpoint), with the
 * plain receiver and, with the receiver WAL on, the reliable one; its windowed counts must count the lines produced.
 */
import { KafkaClientCache, resolveKafkaParams } from '../../receivers/kafka';
import { batches, cleanUp, hasBatch, startProgram, tempDir, waitFor } from '../examples/exampleKit';
import { stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, testKafka, uniqueName } from './kafkaTestEnv';

afterEach(cleanUp);
afterAll(() => KafkaClientCache.closeAll());

test.each([
  ['the plain receiver', ''],
  ['the reliable receiver (WAL on)', 'spark.streaming.receiver.writeAheadLog.enable=true'],
])('KafkaWordCount with %s prints the windowed word counts of the lines produced to its topics', async (_what, conf) => {
  const bootstrap = kafkaBootstrap();
  const topics = [uniqueName('kwc-a'), uniqueName('kwc-b')];
  const group = uniqueName('kwc-group');
  const kafka = testKafka(bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 2 })), waitForLeaders: true });
  // A new group starts at the latest offsets (Kafka's default): commit 0 first, so it reads what is produced below.
  // (As a standalone committer: kafkajs' admin.setOffsets joins the group and takes seconds.)
  const lease = await KafkaClientCache.acquire(resolveKafkaParams(stringParams(bootstrap)));
  await lease.client.commitOffsets(group, new Map(topics.flatMap((t) => [[`${t}-0`, 0] as [string, number], [`${t}-1`, 0] as [string, number]])));
  lease.release();
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    await producer.send({ topic: topics[0], messages: [{ value: 'hello kafka hello' }] });
    await producer.send({ topic: topics[1], messages: [{ value: 'receiver stream' }] });

    const r = startProgram('KafkaWordCount.ts', [bootstrap, group, topics.join(','), '2'], {
      cwd: tempDir('kafka-wordcount'),
      env: { DSTREAMS_BATCH_MS: '500', ...(conf ? { DSTREAMS_CONF: conf } : {}) },
    });
    await waitFor(r, 'the counts of both topics', () => hasBatch(r.stdout(), ['(hello,2)', '(kafka,1)', '(receiver,1)', '(stream,1)']));
    await producer.send({ topic: topics[1], messages: [{ value: 'stream' }] });
    // The window is 10 minutes: counts add up.
    await waitFor(r, 'the later line in the window', () => hasBatch(r.stdout(), ['(hello,2)', '(kafka,1)', '(receiver,1)', '(stream,2)']));
    expect(batches(r.stdout()).length).toBeGreaterThan(1);
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
});
