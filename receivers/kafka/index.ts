/**
 * The Kafka integration: Spark's `spark-streaming-kafka-0-10` on kafkajs. `KafkaUtils.createDirectStream` (the
 * direct stream, exactly-once-capable offset ranges), `KafkaUtils.createRDD` (batch reads) and Spark's old
 * receiver-based `KafkaUtils.createStream` (KafkaInputDStream with the KafkaReceiver, or the ReliableKafkaReceiver when
 * the receiver WAL is on), on the receiver machinery.
 */
import './group/GroupStateOperations'; // group mode's updateStateByKey and mapWithState
import './group/KafkaOutputOperations'; // DStream.toKafka and DStream.through
export { KafkaUtils } from './KafkaUtils';
export { DirectKafkaInputDStream, type DirectKafkaCheckpointData } from './DirectKafkaInputDStream';
export { KafkaInputDStream } from './KafkaInputDStream';
export { KafkaReceiver } from './KafkaReceiver';
export { ReliableKafkaReceiver } from './ReliableKafkaReceiver';
export { type KafkaBlockMetadata, nextOffsetsOf } from './KafkaBlockMetadata';
export { type KafkaReceiverParams, type TopicThreadsSpec, resolveKafkaReceiverParams, resolveTopicThreads } from './KafkaReceiverParams';
export { KafkaRDD, KafkaRDDPartition } from './KafkaRDD';
export { OffsetRange, type OffsetRangeTuple, type OffsetRangeLike } from './OffsetRange';
export { TopicPartition, type TopicPartitionLike } from './TopicPartition';
export { ConsumerRecord, type ConsumerRecordHeaders, type TimestampType } from './ConsumerRecord';
export { type HasOffsetRanges, hasOffsetRanges, offsetRangesOf, type CanCommitOffsets, type OffsetCommitCallback } from './HasOffsetRanges';
export { ConsumerStrategies, ConsumerStrategy, Subscribe, SubscribePattern, Assign, type OffsetsArg } from './ConsumerStrategy';
export { LocationStrategies, LocationStrategy, PreferConsistent, PreferBrokers, PreferFixed } from './LocationStrategy';
export { PerPartitionConfig, DefaultPerPartitionConfig } from './PerPartitionConfig';
export { maxMessagesPerPartition, clampOffsets, type RateLimitInputs } from './MaxMessagesPerPartition';
export { DirectKafkaRateController } from './DirectKafkaRateController';
export { type KafkaParams, type TypedKafkaParams, type ResolvedKafkaParams, resolveKafkaParams } from './KafkaParams';
export {
  type Deserializer,
  type DeserializerSpec,
  StringDeserializer,
  ByteArrayDeserializer,
  IntegerDeserializer,
  LongDeserializer,
  DoubleDeserializer,
} from './Deserializer';
export { KafkaClient } from './KafkaClient';
export { KafkaClientCache, type KafkaClientLease } from './KafkaClientCache';
export {
  KafkaConfigException,
  KafkaBrokerUnreachableException,
  UnknownTopicException,
  NoOffsetForPartitionException,
  OffsetOutOfRangeException,
  KafkaDeserializationException,
  KafkaFetchException,
  CommitFailedException,
  InvalidGroupIdException,
  KafkaClientIncompatibleException,
} from './KafkaExceptions';
export { KafkaGroupMember, type PartitionOwner } from './group/KafkaGroupMember';
export { type KafkaGroupEvent, type KafkaGroupEventWithContext, type KafkaGroupListener } from './group/KafkaGroupEvents';
export { KafkaGroupConf, groupModeEnabled, memberName } from './group/KafkaGroupConf';
export { memberCheckpointDir } from './group/MemberCheckpointDir';
export { type KafkaOutputRecord } from './group/KafkaOutputOperations';
export { assignCooperativeSticky, type MemberSubscription, type AssignmentPlan } from './group/CooperativeStickyAssignor';
export { changelogTopicName } from './group/StateChangelog';
export { PartitionedStateDStream } from './group/PartitionedStateDStream';
export { PartitionedMapWithStateDStream } from './group/PartitionedMapWithStateDStream';
export {
  KafkaGroupException,
  GroupModeConfigException,
  GroupModeUnsupportedOperationException,
  KeyNotCoPartitionedException,
  KafkaTransactionException,
  MemberCheckpointDirInUseException,
} from './group/GroupErrors';
export { KafkaTopicException } from './group/KafkaTopics';
