import { type Consumer, Kafka, type LogEntry, logLevel } from 'kafkajs';
import { getLogger } from '../../lib/core/logging';
import type { KafkaReceiverParams } from './KafkaReceiverParams';

const kafkajsLog = getLogger('kafkajs');

/**
 * A kafkajs consumer-group member for the receivers, configured from the receiver parameters with Kafka's names
 * (`group.id`, `session.timeout.ms`, `fetch.*`, `retries`, ...). kafkajs never restarts it by itself
 * (`restartOnFailure` is false): a crash reaches the receiver, which restarts the Spark way (`Receiver.restart`).
 * kafkajs' logs go to the `kafkajs` logger at debug level; the receivers report what matters. `clientId` (default
 * `client.id`): the reliable receiver's names the receiver (ReceiverGroupIdentity).
 */
export function createGroupConsumer(p: KafkaReceiverParams, clientId = p.kafka.clientId): Consumer {
  const k = p.kafka;
  const kafka = new Kafka({
    ...k.connection,
    brokers: [...k.bootstrapServers],
    clientId,
    connectionTimeout: k.connectionTimeoutMs,
    requestTimeout: k.requestTimeoutMs,
    retry: { retries: k.retries, initialRetryTime: Math.max(1, k.retryBackoffMs), maxRetryTime: Math.max(1, k.retryBackoffMaxMs) },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      kafkajsLog.debug({ namespace: entry.namespace, level: entry.label, ...extra }, message);
    },
  });
  return kafka.consumer({
    groupId: p.groupId,
    sessionTimeout: p.sessionTimeoutMs,
    heartbeatInterval: p.heartbeatIntervalMs,
    rebalanceTimeout: p.rebalanceTimeoutMs,
    maxBytesPerPartition: k.maxPartitionFetchBytes,
    maxBytes: p.fetchMaxBytes,
    minBytes: p.fetchMinBytes,
    maxWaitTimeInMs: p.fetchMaxWaitMs,
    metadataMaxAge: k.metadataMaxAgeMs,
    allowAutoTopicCreation: k.allowAutoCreateTopics,
    readUncommitted: k.isolationLevel === 'read_uncommitted',
    retry: {
      retries: k.retries,
      initialRetryTime: Math.max(1, k.retryBackoffMs),
      maxRetryTime: Math.max(1, k.retryBackoffMaxMs),
      restartOnFailure: () => Promise.resolve(false),
    },
  });
}
