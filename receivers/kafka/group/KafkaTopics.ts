import { Kafka, logLevel } from 'kafkajs';
import { SparkException } from '../../../lib/core/errors';
import type { ResolvedKafkaParams } from '../KafkaParams';

/** A topic group mode made (changelog, repartition topic) or found with fewer partitions than it needs. */
export class KafkaTopicException extends SparkException {
  constructor(
    readonly topic: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`Kafka topic '${topic}' ${detail}`, cause === undefined ? undefined : { cause });
  }
}

/**
 * Makes `topic` with `numPartitions` partitions and `configs` unless it exists; an existing topic must have at least
 * that many partitions (a changelog partition per input partition). Every member may call this at once: the losers
 * of the creation race find the topic there.
 */
export async function ensureTopic(params: ResolvedKafkaParams, topic: string, numPartitions: number, configs: Readonly<Record<string, string>>): Promise<void> {
  const kafka = new Kafka({
    ...params.connection,
    brokers: [...params.bootstrapServers],
    clientId: `${params.clientId}-admin`,
    connectionTimeout: params.connectionTimeoutMs,
    requestTimeout: params.requestTimeoutMs,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
      waitForLeaders: true,
    });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const have = meta.topics[0]?.partitions.length ?? 0;
    if (have < numPartitions) {
      throw new KafkaTopicException(topic, `has ${have} partitions and needs ${numPartitions} (one per input partition); delete it or add partitions`);
    }
  } catch (e) {
    if (e instanceof KafkaTopicException) throw e;
    throw new KafkaTopicException(topic, `could not be created or checked: ${(e as Error).message}`, e);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
