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
  close(): Promise<void>;
}

export async function connectClients(bootstrap: string): Promise<KafkaTestClients> {
  const kafka = testKafka(bootstrap, { retry: { retries: 3, initialRetryTime: 100 } });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  return {
    admin,
    producer,
    close: async () => {
      await producer.disconnect();
      await admin.disconnect();
      await KafkaClientCache.closeAll();
    },
  };
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
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 5000) });
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
