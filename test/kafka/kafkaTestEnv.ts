import { randomBytes } from 'node:crypto';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';

/**
 * What the kafka suites share: the broker address set by globalSetup.ts, kafkajs clients that keep their logs out
 * of the test output, and unique topic/group names (the broker may be a user's own, via DSTREAMS_KAFKA_BOOTSTRAP).
 */

/** The shared broker's `bootstrap.servers`; fails the calling suite with globalSetup's reason when there is none. */
export function kafkaBootstrap(): string {
  const unavailable = process.env.DSTREAMS_KAFKA_UNAVAILABLE;
  if (unavailable) throw new Error(`No Kafka broker for the kafka suites: ${unavailable}`);
  const bootstrap = process.env.DSTREAMS_KAFKA_BOOTSTRAP;
  if (!bootstrap) throw new Error('DSTREAMS_KAFKA_BOOTSTRAP is not set: run the kafka suites through jest (test/kafka/globalSetup.ts starts the broker)');
  return bootstrap;
}

/** A kafkajs client with logging off; errors reach the tests as rejections instead. */
export function testKafka(brokers: string | string[], config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'dstreams-test',
    brokers: Array.isArray(brokers) ? brokers : [brokers],
    logLevel: logLevel.NOTHING,
    ...config,
  });
}

/** `prefix-<random>`: topic and group names that never collide across runs or suites. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
