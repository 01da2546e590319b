import type { SparkConf } from '../../lib/core/SparkConf';
import { StreamingConf } from '../../lib/core/StreamingConf';
import type { TopicPartition } from './TopicPartition';

/**
 * Per-partition rate limits of the direct stream: Spark's `PerPartitionConfig`. Subclass it to give partitions
 * different limits (records per second; 0 = no limit).
 */
export abstract class PerPartitionConfig {
  /** Maximum records per second read from `tp` (0 = unlimited). */
  abstract maxRatePerPartition(tp: TopicPartition): number;
  /** Minimum records per batch read from `tp` when a limit applies. */
  minRatePerPartition(_tp: TopicPartition): number {
    return 1;
  }
}

/**
 * Spark's `DefaultPerPartitionConfig`: `spark.streaming.kafka.maxRatePerPartition` and
 * `spark.streaming.kafka.minRatePerPartition` for every partition.
 */
export class DefaultPerPartitionConfig extends PerPartitionConfig {
  private readonly maxRate: number;
  private readonly minRate: number;
  constructor(conf: SparkConf) {
    super();
    this.maxRate = StreamingConf.KAFKA_MAX_RATE_PER_PARTITION.read(conf);
    this.minRate = StreamingConf.KAFKA_MIN_RATE_PER_PARTITION.read(conf);
  }
  maxRatePerPartition(_tp: TopicPartition): number {
    return this.maxRate;
  }
  override minRatePerPartition(_tp: TopicPartition): number {
    return this.minRate;
  }
}
