import { IllegalArgumentException } from '../../lib/core/errors';
import { TopicPartition, type TopicPartitionLike } from './TopicPartition';

/** Spark's `OffsetRange.OffsetRangeTuple`: `[topic, partition, fromOffset, untilOffset]`, the checkpointed form. */
export type OffsetRangeTuple = readonly [topic: string, partition: number, fromOffset: number, untilOffset: number];

/** An OffsetRange or a plain object with its four fields (e.g. parsed from JSON). */
export interface OffsetRangeLike {
  readonly topic: string;
  readonly partition: number;
  readonly fromOffset: number;
  readonly untilOffset: number;
}

/**
 * The offsets `[fromOffset, untilOffset)` of one Kafka partition: Spark's `OffsetRange`
 * (`org.apache.spark.streaming.kafka010.OffsetRange`). `fromOffset` is inclusive, `untilOffset` exclusive; equality
 * is on all four fields. Offsets are JS numbers: exact up to 2^53, far beyond any real partition.
 */
export class OffsetRange {
  constructor(
    readonly topic: string,
    readonly partition: number,
    /** Inclusive starting offset. */
    readonly fromOffset: number,
    /** Exclusive ending offset. */
    readonly untilOffset: number,
  ) {
    new TopicPartition(topic, partition); // validates topic and partition
    if (!Number.isSafeInteger(fromOffset) || fromOffset < 0) {
      throw new IllegalArgumentException(`Invalid fromOffset ${String(fromOffset)} for ${topic}-${partition}: expected an integer >= 0`);
    }
    if (!Number.isSafeInteger(untilOffset) || untilOffset < 0) {
      throw new IllegalArgumentException(`Invalid untilOffset ${String(untilOffset)} for ${topic}-${partition}: expected an integer >= 0`);
    }
  }

  /**
   * Spark's `OffsetRange.create(topic, partition, fromOffset, untilOffset)` and
   * `OffsetRange.create(topicPartition, fromOffset, untilOffset)`.
   */
  static create(topic: string, partition: number, fromOffset: number, untilOffset: number): OffsetRange;
  static create(topicPartition: TopicPartitionLike, fromOffset: number, untilOffset: number): OffsetRange;
  static create(a: string | TopicPartitionLike, b: number, c: number, d?: number): OffsetRange {
    if (typeof a === 'string' && d !== undefined) return new OffsetRange(a, b, c, d);
    const tp = TopicPartition.of(a);
    return new OffsetRange(tp.topic, tp.partition, b, c);
  }

  /** Spark's `OffsetRange.apply(...)` (same as {@link create}). */
  static apply(topic: string, partition: number, fromOffset: number, untilOffset: number): OffsetRange {
    return new OffsetRange(topic, partition, fromOffset, untilOffset);
  }

  /** From the checkpointed tuple form. */
  static fromTuple(t: OffsetRangeTuple): OffsetRange {
    return new OffsetRange(t[0], t[1], t[2], t[3]);
  }

  /** Kafka TopicPartition, for convenience in maps. */
  topicPartition(): TopicPartition {
    return new TopicPartition(this.topic, this.partition);
  }

  /** Number of messages this range refers to (`untilOffset - fromOffset`). */
  count(): number {
    return this.untilOffset - this.fromOffset;
  }

  equals(that: unknown): boolean {
    return (
      that instanceof OffsetRange &&
      this.topic === that.topic &&
      this.partition === that.partition &&
      this.fromOffset === that.fromOffset &&
      this.untilOffset === that.untilOffset
    );
  }

  /** `OffsetRange(topic: 'T', partition: P, range: [F -> U])`, exactly as Spark prints it. */
  toString(): string {
    return `OffsetRange(topic: '${this.topic}', partition: ${this.partition}, range: [${this.fromOffset} -> ${this.untilOffset}])`;
  }

  toTuple(): OffsetRangeTuple {
    return [this.topic, this.partition, this.fromOffset, this.untilOffset];
  }

  toJSON(): { topic: string; partition: number; fromOffset: number; untilOffset: number } {
    return { topic: this.topic, partition: this.partition, fromOffset: this.fromOffset, untilOffset: this.untilOffset };
  }
}
