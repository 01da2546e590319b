import { IllegalArgumentException } from '../../lib/core/errors';
import type { SparkContext } from '../../lib/rdd/SparkContext';
import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import type { ConsumerStrategy } from './ConsumerStrategy';
import { DirectKafkaInputDStream } from './DirectKafkaInputDStream';
import { KafkaRDD } from './KafkaRDD';
import { resolveKafkaParams, type TypedKafkaParams } from './KafkaParams';
import { type LocationStrategy, PreferBrokers, PreferConsistent } from './LocationStrategy';
import { OffsetRange, type OffsetRangeLike } from './OffsetRange';
import { DefaultPerPartitionConfig, type PerPartitionConfig } from './PerPartitionConfig';

/**
 * Entry points of the Kafka integration: Spark's `KafkaUtils` (kafka-0-10).
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
