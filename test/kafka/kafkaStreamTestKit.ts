import type { Admin, Message, Producer } from 'kafkajs';
import { KafkaClientCache, type KafkaParams } from '../../receivers/kafka';
import { testKafka } from './kafkaTestEnv';

/**
 * What the direct-stream suites share: a connected admin and producer on a broker, topic creation, producing to
 * explicit partitions, and consumer parameters with Spark's names and small, bounded retries.
 */
export interface KafkaTestClients {
  admin: Admin;
  producer: Producer;
  /**
   * Reconnects admin and producer: kafkajs clients that once used a topic fail every later request after it is
   * deleted (it stays in their metadata target list), so suites that delete topics renew them.
   */
  renew(): Promise<void>;
  close(): Promise<void>;
}

export async function connectClients(bootstrap: string): Promise<KafkaTestClients> {
  const kafka = testKafka(bootstrap, { retry: { retries: 3, initialRetryTime: 100 } });
  const connect = async (): Promise<{ admin: Admin; producer: Producer }> => {
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await admin.connect();
    await producer.connect();
    return { admin, producer };
  };
  const clients: KafkaTestClients = {
    ...(await connect()),
    renew: async () => {
      await clients.producer.disconnect();
      await clients.admin.disconnect();
      Object.assign(clients, await connect());
    },
    close: async () => {
      await clients.producer.disconnect();
      await clients.admin.disconnect();
      await KafkaClientCache.closeAll();
    },
  };
  return clients;
}

export async function createTopic(admin: Admin, topic: string, numPartitions: number): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
}

/** Sends `values[i]` to partition `partitionOf(i)` (default: all to partition 0), acknowledged by the broker. */
export async function produce(
  producer: Producer,
  topic: string,
  values: readonly (string | Buffer)[],
  partitionOf: (i: number) => number = () => 0,
  extra: (i: number) => Partial<Message> = () => ({}),
): Promise<void> {
  const messages: Message[] = values.map((value, i) => ({ value, partition: partitionOf(i), ...extra(i) }));
  for (let i = 0; i < messages.length; i += 5000) {
    const slice = messages.slice(i, i + 5000);
    const written = await producer.send({ topic, acks: -1, messages: slice });
    // kafkajs silently skips partitions missing from its metadata: make that a test failure, not a mystery.
    const partitions = new Set(slice.map((m) => m.partition));
    for (const p of partitions) {
      if (!written.some((w) => w.partition === p)) throw new Error(`produce: nothing was written to ${topic}-${p} (unknown to the producer's metadata?)`);
    }
  }
}

/** String keys and values, earliest, no auto-commit, bounded retries: what most tests read with. */
export function stringParams(bootstrap: string, extra: Record<string, unknown> = {}): KafkaParams {
  return {
    'bootstrap.servers': bootstrap,
    'key.deserializer': 'StringDeserializer',
    'value.deserializer': 'org.apache.kafka.common.serialization.StringDeserializer',
    'auto.offset.reset': 'earliest',
    'enable.auto.commit': false,
    retries: 3,
    'retry.backoff.ms': 50,
    'retry.backoff.max.ms': 200,
    ...extra,
  };
}

/** A promise and the callback that settles it (for commit callbacks). */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Deletes the records of `topic`-`partition` below `offset` (what retention does), moving the log start there.
 * kafkajs' deleteTopicRecords only finds the leader once the topic is in its metadata cache, hence the lookup first.
 */
export async function deleteRecordsBefore(admin: Admin, topic: string, partition: number, offset: number): Promise<void> {
  await admin.fetchTopicOffsets(topic);
  await admin.deleteTopicRecords({ topic, partitions: [{ partition, offset: String(offset) }] });
}
