/**
 * The Kafka integration: Spark's `spark-streaming-kafka-0-10` on kafkajs. `KafkaUtils.createDirectStream` (the
 * direct stream, exactly-once-capable offset ranges), `KafkaUtils.createRDD` (batch reads) and Spark's old
 * receiver-based `KafkaUtils.createStream` (KafkaInputDStream with the KafkaReceiver, or the ReliableKafkaReceiver when
 * the receiver WAL is on), on the receiver machinery.
 */
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
