import { IllegalArgumentException } from '../../lib/core/errors';
import type { OffsetRange } from './OffsetRange';

/**
 * Something with offset ranges: Spark's `HasOffsetRanges`, implemented by KafkaRDD. Partition `i` of the RDD reads
 * `offsetRanges()[i]` (`TaskContext.partitionId` indexes them). Spark's cast
 * `rdd.asInstanceOf[HasOffsetRanges].offsetRanges` is `offsetRangesOf(rdd)` here, or `(rdd as KafkaRDD<K, V>).offsetRanges()`;
 * as in Spark it only works on the RDD the direct stream produced (in `foreachRDD` or `transform` on the stream itself),
 * not after `map`, a shuffle or a window.
 */
export interface HasOffsetRanges {
  offsetRanges(): readonly OffsetRange[];
}

/** Whether `rdd` carries offset ranges (a KafkaRDD). */
export function hasOffsetRanges(rdd: unknown): rdd is HasOffsetRanges {
  return typeof rdd === 'object' && rdd !== null && typeof (rdd as Partial<HasOffsetRanges>).offsetRanges === 'function';
}

/** Spark's `rdd.asInstanceOf[HasOffsetRanges].offsetRanges`; anything else is Spark's ClassCastException, as an error. */
export function offsetRangesOf(rdd: unknown): readonly OffsetRange[] {
  if (!hasOffsetRanges(rdd)) {
    const name = typeof rdd === 'object' && rdd !== null ? String(rdd) : typeof rdd;
    throw new IllegalArgumentException(
      `${name} cannot be cast to HasOffsetRanges: only the RDDs of a direct Kafka stream (KafkaRDD) have offset ranges; ` +
        'take them in foreachRDD/transform on the stream returned by createDirectStream, before map or any shuffle',
    );
  }
  return rdd.offsetRanges();
}

/**
 * Called when an offset commit completes: Kafka's `OffsetCommitCallback.onComplete(offsets, exception)`. `offsets`
 * maps `topic-partition` to the committed offset (the next one to read); `exception` is set when the commit failed.
 */
export type OffsetCommitCallback =
  | ((offsets: ReadonlyMap<string, number>, exception: Error | undefined) => void)
  | { onComplete(offsets: ReadonlyMap<string, number>, exception: Error | undefined): void };

/** Spark's `CanCommitOffsets`, implemented by the direct stream. */
export interface CanCommitOffsets {
  commitAsync(offsetRanges: readonly OffsetRange[], callback?: OffsetCommitCallback): void;
}
