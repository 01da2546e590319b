import type { Admin, Consumer, Producer } from 'kafkajs';
import { kafkaBootstrap, testKafka, uniqueName } from './kafkaTestEnv';

/**
 * Smoke test of the shared real broker (test/kafka/globalSetup.ts) with kafkajs, the client dstreams' Kafka streams
 * use: topics with several partitions, produce, consume back with a consumer group, commit, and offsets through
 * the admin API.
 */
describe('the shared Kafka broker (kafkajs 2.2.4 against a real broker)', () => {
  let bootstrap: string;
  let admin: Admin;
  let producer: Producer;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    bootstrap = kafkaBootstrap();
    const kafka = testKafka(bootstrap);
    admin = kafka.admin();
    // Idempotent: a retried send must not write a batch twice (the offsets below are exact).
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await admin.connect();
    await producer.connect();
  });

  afterAll(async () => {
    for (const c of consumers) await c.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('is one broker on 127.0.0.1', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    expect(cluster.brokers[0].host).toBe('127.0.0.1');
    expect(`${cluster.brokers[0].host}:${cluster.brokers[0].port}`).toBe(bootstrap);
  });

  it('creates a topic with 4 partitions, each led by the broker', async () => {
    const topic = uniqueName('smoke-create');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true })).toBe(true);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = meta.topics[0].partitions.map((p) => ({ id: p.partitionId, leader: p.leader, error: p.partitionErrorCode }));
    partitions.sort((a, b) => a.id - b.id);
    expect(partitions).toEqual([0, 1, 2, 3].map((id) => ({ id, leader: 1, error: 0 })));
    expect(await admin.listTopics()).toContain(topic);
  });

  it('round-trips messages: produce to 4 partitions, consume them back in a group, commit, read offsets', async () => {
    const topic = uniqueName('smoke-roundtrip');
    const groupId = uniqueName('smoke-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });

    const n = 400;
    // Explicit partitions, so every partition gets exactly n/4 records in a known order.
    const messages = Array.from({ length: n }, (_, i) => ({ partition: i % 4, key: `k${i}`, value: `v${i}`, headers: { i: String(i) } }));
    await producer.send({ topic, messages, acks: -1 });

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })).sort((a, b) => a.partition - b.partition)).toEqual(
      [0, 1, 2, 3].map((partition) => ({ partition, low: '0', high: String(n / 4) })),
    );

    const consumer = testKafka(bootstrap).consumer({ groupId, maxWaitTimeInMs: 100 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen: { partition: number; offset: number; key: string; value: string; i: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            seen.push({
              partition,
              offset: Number(message.offset),
              key: message.key!.toString(),
              value: message.value!.toString(),
              i: message.headers!.i!.toString(),
            });
            if (seen.length === n) resolve();
          },
        })
        .catch(reject);
    });

    // Every record once, in offset order within its partition, with key, value and header intact.
    expect(seen).toHaveLength(n);
    for (let p = 0; p < 4; p++) {
      const inPartition = seen.filter((r) => r.partition === p);
      expect(inPartition.map((r) => r.offset)).toEqual(Array.from({ length: n / 4 }, (_, k) => k));
      expect(inPartition.map((r) => Number(r.i))).toEqual(Array.from({ length: n / 4 }, (_, k) => k * 4 + p));
    }
    for (const r of seen) {
      expect(r.key).toBe(`k${r.i}`);
      expect(r.value).toBe(`v${r.i}`);
    }

    // Commit "next offset to read" per partition (Kafka's convention), then read the group's offsets back.
    await consumer.commitOffsets([0, 1, 2, 3].map((partition) => ({ topic, partition, offset: String(n / 4) })));
    await consumer.disconnect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0].partitions.map((p) => ({ partition: p.partition, offset: p.offset })).sort((a, b) => a.partition - b.partition)).toEqual(
      [0, 1, 2, 3].map((partition) => ({ partition, offset: String(n / 4) })),
    );
  });

  it('reports a missing topic as UNKNOWN_TOPIC_OR_PARTITION (kafkajs does not name the topic; our streams must)', async () => {
    const topic = uniqueName('smoke-missing');
    await expect(admin.fetchTopicMetadata({ topics: [topic] })).rejects.toMatchObject({ name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
