import '../../lib/rdd'; // installs the RDD actions this class builds on
import { IllegalArgumentException } from '../../lib/core/errors';
import { StreamingConf } from '../../lib/core/StreamingConf';
import type { Dependency } from '../../lib/rdd/Dependency';
import type { Partition } from '../../lib/rdd/Partition';
import { RDD } from '../../lib/rdd/RDD';
import type { ComputeResult, Sink } from '../../lib/rdd/Sink';
import type { SparkContext } from '../../lib/rdd/SparkContext';
import type { TaskContext } from '../../lib/rdd/TaskContext';
import type { ConsumerRecord } from './ConsumerRecord';
import type { HasOffsetRanges } from './HasOffsetRanges';
import { KafkaClientCache } from './KafkaClientCache';
import { readOffsetRange } from './KafkaDataConsumer';
import type { ResolvedKafkaParams } from './KafkaParams';
import { OffsetRange, type OffsetRangeLike } from './OffsetRange';

/** One Kafka partition's offset range: Spark's `KafkaRDDPartition`. */
export class KafkaRDDPartition implements Partition {
  constructor(
    readonly index: number,
    readonly range: OffsetRange,
  ) {}
  get topic(): string {
    return this.range.topic;
  }
  get partition(): number {
    return this.range.partition;
  }
  get fromOffset(): number {
    return this.range.fromOffset;
  }
  get untilOffset(): number {
    return this.range.untilOffset;
  }
}

/**
 * The records of fixed offset ranges, one RDD partition per range: Spark's `KafkaRDD` (kafka-0-10). Partition `i`
 * reads exactly `offsetRanges()[i]` (`[fromOffset, untilOffset)`), so recomputing it, in a retried task or after a
 * restart from a checkpoint, reads the same records. Reading goes straight to the partition leader with Fetch requests
 * (KafkaDataConsumer.ts); nothing is committed and no consumer group is joined.
 *
 * `count()` is the sum of the range sizes without reading anything, `isEmpty()` likewise, and `take(n)` reads only
 * the first records it needs, as in Spark (with `spark.streaming.kafka.allowNonConsecutiveOffsets` they read, since
 * compacted ranges can hold fewer records than offsets).
 */
export class KafkaRDD<K, V> extends RDD<ConsumerRecord<K, V>> implements HasOffsetRanges {
  private readonly ranges: readonly OffsetRange[];
  private readonly pollTimeoutMs: number;
  private readonly allowNonConsecutiveOffsets: boolean;
  private readonly cacheEnabled: boolean;

  constructor(
    sc: SparkContext,
    readonly kafkaParams: ResolvedKafkaParams<K, V>,
    offsetRanges: readonly OffsetRangeLike[],
    creationSite = 'KafkaRDD',
    /** Overrides `spark.streaming.kafka.allowNonConsecutiveOffsets` (a transactional topic has gaps: its markers). */
    allowNonConsecutiveOffsets?: boolean,
  ) {
    super(sc, creationSite);
    // Plain `{ topic, partition, fromOffset, untilOffset }` objects (e.g. parsed JSON) are accepted too.
    this.ranges = offsetRanges.map((r) => (r instanceof OffsetRange ? r : new OffsetRange(r.topic, r.partition, r.fromOffset, r.untilOffset)));
    const conf = sc.conf;
    // Spark: spark.streaming.kafka.consumer.poll.ms, else spark.network.timeout (120 s).
    this.pollTimeoutMs = StreamingConf.KAFKA_CONSUMER_POLL_MS.read(conf) ?? 120_000;
    this.allowNonConsecutiveOffsets = allowNonConsecutiveOffsets ?? StreamingConf.KAFKA_ALLOW_NON_CONSECUTIVE.read(conf);
    this.cacheEnabled = StreamingConf.KAFKA_CONSUMER_CACHE_ENABLED.read(conf);
  }

  /** The ranges, in partition order (Spark's `offsetRanges`). */
  offsetRanges(): readonly OffsetRange[] {
    return this.ranges;
  }

  protected getPartitions(): Partition[] {
    return this.ranges.map((r, i) => new KafkaRDDPartition(i, r));
  }

  getDependencies(): Dependency[] {
    return [];
  }

  compute(split: Partition, _context: TaskContext, sink: Sink<ConsumerRecord<K, V>>): ComputeResult {
    const range = (split as KafkaRDDPartition).range;
    if (range.fromOffset > range.untilOffset) {
      throw new IllegalArgumentException(
        `requirement failed: Beginning offset ${range.fromOffset} is after the ending offset ${range.untilOffset} for topic ${range.topic} ` +
          `partition ${range.partition}. You either provided an invalid fromOffset, or the Kafka topic has been damaged`,
      );
    }
    if (range.fromOffset === range.untilOffset) return;
    return this.read(range, sink);
  }

  private async read(range: OffsetRange, sink: Sink<ConsumerRecord<K, V>>): Promise<void> {
    const lease = await KafkaClientCache.acquire(this.kafkaParams, this.cacheEnabled);
    try {
      await readOffsetRange(lease.client, this.kafkaParams, range, sink, {
        pollTimeoutMs: this.pollTimeoutMs,
        allowNonConsecutiveOffsets: this.allowNonConsecutiveOffsets,
      });
    } finally {
      lease.release();
    }
  }

  /** Sum of the range sizes, without reading (Spark's `KafkaRDD.count`). */
  override count(): Promise<number> {
    if (this.allowNonConsecutiveOffsets) return super.count();
    let n = 0;
    for (const r of this.ranges) n += r.count();
    return Promise.resolve(n);
  }

  override async isEmpty(): Promise<boolean> {
    if (this.allowNonConsecutiveOffsets) return super.isEmpty();
    return (await this.count()) === 0;
  }

  /** Reads only the first `num` records, taken from the ranges in order (Spark's `KafkaRDD.take`). */
  override async take(num: number): Promise<ConsumerRecord<K, V>[]> {
    if (this.allowNonConsecutiveOffsets) return super.take(num);
    if (num < 1 || this.ranges.length === 0) return [];
    const parts: OffsetRange[] = [];
    let remain = num;
    for (const r of this.ranges) {
      if (remain <= 0) break;
      const n = Math.min(remain, r.count());
      if (n <= 0) continue;
      parts.push(new OffsetRange(r.topic, r.partition, r.fromOffset, r.fromOffset + n));
      remain -= n;
    }
    if (parts.length === 0) return [];
    return new KafkaRDD<K, V>(this.sc, this.kafkaParams, parts, 'take', this.allowNonConsecutiveOffsets).collect();
  }

  override toString(): string {
    return `${this.name ? this.name + ' ' : ''}KafkaRDD[${this.id}] at ${this.creationSite}`;
  }
}
