import { IllegalArgumentException } from '../../lib/core/errors';
import type { SparkContext } from '../../lib/rdd/SparkContext';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import { WriteAheadLogUtils } from '../../wal/WriteAheadLogUtils';
import type { ConsumerStrategy } from './ConsumerStrategy';
import { DirectKafkaInputDStream } from './DirectKafkaInputDStream';
import { KafkaInputDStream } from './KafkaInputDStream';
import { KafkaRDD } from './KafkaRDD';
import { type KafkaParams, resolveKafkaParams, type TypedKafkaParams } from './KafkaParams';
import type { TopicThreadsSpec } from './KafkaReceiverParams';
import { type LocationStrategy, PreferBrokers, PreferConsistent } from './LocationStrategy';
import { OffsetRange, type OffsetRangeLike } from './OffsetRange';
import { DefaultPerPartitionConfig, type PerPartitionConfig } from './PerPartitionConfig';

/**
 * Spark's `KafkaUtils.createStream` (kafka-0-8, removed in Spark 3): a receiver-based Kafka stream of `[key, value]`
 * pairs, consuming as a member of a consumer group.
 *
 * - `createStream(ssc, brokers, groupId, topics[, storageLevel])`: Spark's `(ssc, zkQuorum, groupId, topics)` form
 *   with Kafka brokers (`host:port[,host:port]`) in place of the ZooKeeper quorum; string keys and values.
 * - `createStream<K, V>(ssc, kafkaParams, topics[, storageLevel])`: Spark's typed form; `kafkaParams` takes Kafka's
 *   consumer keys (`bootstrap.servers`, `group.id` (required), deserializers, `auto.offset.reset`, ...).
 *
 * `topics` maps each topic to its number of consumer threads (Spark's `Map[String, Int]`; here the number of
 * partitions handled concurrently), or is a list of topics (one thread each). The storage level defaults to
 * `MEMORY_AND_DISK_SER_2`. As in Spark, with `spark.streaming.receiver.writeAheadLog.enable` the stream runs the
 * ReliableKafkaReceiver (blocks in the WAL before their offsets are committed; here also exactly-once across
 * crashes, see there), otherwise the plain KafkaReceiver (kafkajs auto-commit, records may be lost or repeated).
 */
function createStream(ssc: StreamingContext, brokers: string, groupId: string, topics: TopicThreadsSpec, storageLevel?: StorageLevel): KafkaInputDStream<string, string>;
function createStream<K = string, V = string>(ssc: StreamingContext, kafkaParams: TypedKafkaParams<K, V>, topics: TopicThreadsSpec, storageLevel?: StorageLevel): KafkaInputDStream<K, V>;
function createStream(
  ssc: StreamingContext,
  a: string | KafkaParams,
  b: string | TopicThreadsSpec,
  c?: TopicThreadsSpec | StorageLevel,
  d?: StorageLevel,
): KafkaInputDStream<unknown, unknown> {
  const walEnabled = WriteAheadLogUtils.enableReceiverLog(ssc.conf);
  if (typeof a === 'string') {
    if (typeof b !== 'string') throw new IllegalArgumentException('createStream(ssc, brokers, groupId, topics[, storageLevel]): groupId must be a string');
    const kafkaParams: KafkaParams = {
      'bootstrap.servers': a,
      'group.id': b,
      'key.deserializer': 'StringDeserializer',
      'value.deserializer': 'StringDeserializer',
    };
    return new KafkaInputDStream(ssc, kafkaParams, c as TopicThreadsSpec, walEnabled, d ?? StorageLevel.MEMORY_AND_DISK_SER_2);
  }
  return new KafkaInputDStream(ssc, a, b as TopicThreadsSpec, walEnabled, (c as StorageLevel | undefined) ?? StorageLevel.MEMORY_AND_DISK_SER_2);
}

/**
 * Entry points of the Kafka integration: Spark's `KafkaUtils` (kafka-0-10, plus kafka-0-8's receiver-based
 * `createStream`).
 *
 * ```ts
 * const stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(),
 *   ConsumerStrategies.Subscribe(['events'], { 'bootstrap.servers': 'localhost:9092', 'group.id': 'g',
 *     'key.deserializer': 'StringDeserializer', 'value.deserializer': 'StringDeserializer',
 *     'auto.offset.reset': 'earliest', 'enable.auto.commit': false }));
 * stream.foreachRDD(async (rdd) => {
 *   const ranges = offsetRangesOf(rdd);
 *   await writeSomewhere(await rdd.map((r) => r.value).collect());
 *   stream.commitAsync(ranges);
 * });
 * ```
 */
export const KafkaUtils = {
  createStream,

  /**
   * Spark's `KafkaUtils.createDirectStream(ssc, locationStrategy, consumerStrategy[, perPartitionConfig])`: a
   * stream of ConsumerRecords, one RDD partition per Kafka partition per batch (DirectKafkaInputDStream).
   */
  createDirectStream<K, V>(
    ssc: StreamingContext,
    locationStrategy: LocationStrategy,
    consumerStrategy: ConsumerStrategy<K, V>,
    perPartitionConfig: PerPartitionConfig = new DefaultPerPartitionConfig(ssc.conf),
  ): DirectKafkaInputDStream<K, V> {
    return new DirectKafkaInputDStream<K, V>(ssc, locationStrategy, consumerStrategy, perPartitionConfig);
  },

  /**
   * Spark's `KafkaUtils.createRDD(sc, kafkaParams, offsetRanges, locationStrategy)`: a batch read of exact offset
   * ranges (one partition per range). `PreferBrokers` is rejected, as in Spark. Ranges outside what the brokers
   * hold fail when read, naming the range.
   */
  createRDD<K = string, V = string>(
    sc: SparkContext,
    kafkaParams: TypedKafkaParams<K, V>,
    offsetRanges: readonly OffsetRangeLike[],
    locationStrategy: LocationStrategy = new PreferConsistent(),
  ): KafkaRDD<K, V> {
    if (locationStrategy instanceof PreferBrokers) {
      throw new IllegalArgumentException(
        'If you want to prefer brokers, you must provide a mapping using PreferFixed A single KafkaRDD does not have a driver consumer and cannot look up brokers for you.',
      );
    }
    // Spark clones the ranges; ours are immutable, but plain objects are accepted and copied.
    const ranges = offsetRanges.map((r) => new OffsetRange(r.topic, r.partition, r.fromOffset, r.untilOffset));
    return new KafkaRDD<K, V>(sc, resolveKafkaParams<K, V>(kafkaParams), ranges, 'createRDD');
  },
} as const;
