/**
 * The Kafka integration: Spark's `spark-streaming-kafka-0-10` on kafkajs. `KafkaUtils.createDirectStream` (the
 * direct stream, exactly-once-capable offset ranges) and `KafkaUtils.createRDD` (batch reads). The receiver-based
 * reliable Kafka stream (Spark's old `createStream`) will live beside them, on the receiver machinery.
 */
export { KafkaUtils } from './KafkaUtils';
export { DirectKafkaInputDStream, type DirectKafkaCheckpointData } from './DirectKafkaInputDStream';
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
