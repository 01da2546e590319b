import { StreamingConf } from '../../../lib/core/StreamingConf';
import type { StreamingContext } from '../../../lib/streaming/StreamingContext';
import { type ConsumerStrategy, Subscribe } from '../ConsumerStrategy';
import { KafkaConfigException } from '../KafkaExceptions';
import { resolveKafkaReceiverParams } from '../KafkaReceiverParams';
import { BatchCommitter } from './BatchCommitter';
import { GroupModeConfigException } from './GroupErrors';
import { groupModeEnabled, KafkaGroupConf, memberName } from './KafkaGroupConf';
import { eventLogWriter, KafkaGroupEvents } from './KafkaGroupEvents';
import { KafkaGroupMember } from './KafkaGroupMember';

/**
 * The group member of a direct stream made with `ConsumerStrategies.Subscribe` while `dstreams.kafka.groupMode` is
 * on (undefined otherwise). Group mode needs a `group.id` (the group the processes share) and one job at a time
 * (`spark.streaming.concurrentJobs` = 1: batches commit in order); other strategies fix their partitions, so there is
 * nothing to share, and are refused.
 */
export function groupMemberFor(ssc: StreamingContext, streamName: string, strategy: ConsumerStrategy<unknown, unknown>): KafkaGroupMember | undefined {
  const conf = ssc.conf;
  if (!groupModeEnabled(conf)) return undefined;
  if (!(strategy instanceof Subscribe)) {
    throw new GroupModeConfigException(streamName, `${strategy} fixes its partitions; a stream that shares its topics with the other members of its group needs ConsumerStrategies.Subscribe(topics, kafkaParams)`);
  }
  const params = strategy.kafkaParams;
  const groupId = params.groupId;
  if (groupId === undefined) throw new GroupModeConfigException(streamName, 'kafkaParams have no group.id: the members of a group share its partitions, so every process needs the same group.id');
  const jobs = StreamingConf.CONCURRENT_JOBS.read(conf);
  if (jobs !== 1) throw new GroupModeConfigException(streamName, `spark.streaming.concurrentJobs is ${jobs}: batches commit their transactions in order, so group mode runs one job at a time (set it to 1)`);
  // Kafka's group settings, read and checked as the receivers read them (session.timeout.ms 45 s, ...); the conf's
  // dstreams.kafka.group.* keys fill in what kafkaParams leave out (a deployment tunes them without a code change).
  const original: Record<string, unknown> = { ...params.original };
  const session = KafkaGroupConf.SESSION_TIMEOUT.read(conf);
  const heartbeat = KafkaGroupConf.HEARTBEAT_INTERVAL.read(conf);
  if (original['session.timeout.ms'] === undefined && session !== undefined) original['session.timeout.ms'] = session;
  if (original['heartbeat.interval.ms'] === undefined && heartbeat !== undefined) original['heartbeat.interval.ms'] = heartbeat;
  const g = resolveKafkaReceiverParams(original, 0);
  return new KafkaGroupMember({
    streamName,
    groupId,
    topics: strategy.topics,
    memberName: memberName(conf),
    params,
    sessionTimeoutMs: g.sessionTimeoutMs,
    heartbeatIntervalMs: g.heartbeatIntervalMs,
    rebalanceTimeoutMs: g.rebalanceTimeoutMs,
    transactionTimeoutMs: KafkaGroupConf.TRANSACTION_TIMEOUT.read(conf),
    eventLog: KafkaGroupConf.EVENT_LOG.read(conf),
  });
}

/**
 * The committer of a stream outside group mode that writes to Kafka transactionally (toKafka): one transaction per
 * batch with the batch's output and input offsets, under the `transactional.id` `dstreams-<group.id>`.
 */
export function singleProcessCommitter(ssc: StreamingContext, streamName: string, strategy: ConsumerStrategy<unknown, unknown>): BatchCommitter {
  const params = strategy.kafkaParams;
  const groupId = params.groupId;
  if (groupId === undefined) {
    throw new KafkaConfigException('group.id', `${streamName}: toKafka commits the input offsets with the output in one transaction, for the stream's group.id; the kafkaParams have none`);
  }
  const events = new KafkaGroupEvents(groupId, memberName(ssc.conf));
  const eventLog = KafkaGroupConf.EVENT_LOG.read(ssc.conf);
  if (eventLog !== undefined) events.on(eventLogWriter(eventLog));
  return new BatchCommitter(streamName, groupId, params, 'batch', KafkaGroupConf.TRANSACTION_TIMEOUT.read(ssc.conf), events);
}
