/**
 * examples/DirectKafkaWordCount.ts end to end against the suite's real broker: the example runs as a child process
 * with Spark's arguments (<brokers> <groupId> <topics>), lines are produced to the topic once it runs, and its
 * printed batches must count their words.
 */
import { batches, cleanUp, hasBatch, startProgram, waitFor } from '../examples/exampleKit';
import { kafkaBootstrap, testKafka, uniqueName } from './kafkaTestEnv';

afterEach(cleanUp);

test('DirectKafkaWordCount prints the word counts of the lines produced to its topics', async () => {
  const bootstrap = kafkaBootstrap();
  const topic = uniqueName('wordcount');
  const kafka = testKafka(bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();

  const r = startProgram('DirectKafkaWordCount.ts', [bootstrap, uniqueName('group'), topic], { env: { DSTREAMS_BATCH_MS: '500' } });
  // A new group starts at the latest offsets (Kafka's auto.offset.reset default): produce once the stream runs.
  await waitFor(r, 'the first batch', () => batches(r.stdout()).length > 0);
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: 'hello kafka hello' }] });
    await waitFor(r, 'the first message\'s batch', () => hasBatch(r.stdout(), ['(hello,2)', '(kafka,1)']));
    await producer.send({ topic, messages: [{ key: 'k', value: 'direct stream' }, { key: 'k', value: 'stream' }] });
    // One produce request to one partition (same key): a batch's offset range takes both messages or neither.
    await waitFor(r, 'the later messages', () => hasBatch(r.stdout(), ['(direct,1)', '(stream,2)']));
  } finally {
    await producer.disconnect();
  }
  // Each line was counted in exactly one batch.
  const nonEmpty = batches(r.stdout()).filter((b) => b.lines.length > 0);
  expect(nonEmpty).toHaveLength(2);
});
