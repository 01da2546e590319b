import * as os from 'node:os';
import { ConfigBuilder as C } from '../../../lib/core/ConfigEntry';
import type { SparkConf } from '../../../lib/core/SparkConf';

/**
 * The configuration keys of group mode (docs/scaling-out.md). Ours, under `dstreams.kafka.*`: Spark has no such mode
 * (its executors share a job; here processes share a consumer group). The group's timeouts are Kafka's consumer keys
 * in kafkaParams (`session.timeout.ms`, `heartbeat.interval.ms`, `max.poll.interval.ms`).
 */
export const KafkaGroupConf = {
  GROUP_MODE: C.boolean(
    'dstreams.kafka.groupMode',
    false,
    'Direct streams made with ConsumerStrategies.Subscribe join their consumer group and read only the partitions it assigns this process.',
  ),
  MEMBER: C.optionalString('dstreams.kafka.group.member', 'Name of this process in its group (logs, reports, memberCheckpointDir); default <hostname>-<pid>.'),
  EVENT_LOG: C.optionalString('dstreams.kafka.group.eventLog', 'File this member appends its group events to, one JSON line each (joins, partitions acquired, revoked, lost, restored, commits).'),
  SESSION_TIMEOUT: C.optionalTime('dstreams.kafka.group.sessionTimeout', 'session.timeout.ms for kafkaParams without one (Kafka\'s default 45 s): how long a dead member keeps its partitions.'),
  HEARTBEAT_INTERVAL: C.optionalTime('dstreams.kafka.group.heartbeatInterval', 'heartbeat.interval.ms for kafkaParams without one (default: a third of the session timeout, at most 3 s).'),
  TRANSACTION_TIMEOUT: C.time('dstreams.kafka.transaction.timeout', '60s', 'transaction.timeout.ms of the transactional producers (toKafka, changelogs, offsets).'),
} as const;

/** Whether `conf` turns group mode on. */
export function groupModeEnabled(conf: SparkConf): boolean {
  return KafkaGroupConf.GROUP_MODE.read(conf);
}

/** This process's member name: `dstreams.kafka.group.member`, else `<hostname>-<pid>`. */
export function memberName(conf: SparkConf): string {
  return KafkaGroupConf.MEMBER.read(conf) ?? `${os.hostname()}-${process.pid}`;
}
