import type { PerPartitionConfig } from './PerPartitionConfig';
import { TopicPartition } from './TopicPartition';

/** What {@link maxMessagesPerPartition} needs from the stream. */
export interface RateLimitInputs {
  /** Latest offsets per `topic-partition`. */
  readonly latest: ReadonlyMap<string, number>;
  /** The stream's current (next to read) offsets per `topic-partition`. */
  readonly current: ReadonlyMap<string, number>;
  readonly batchDurationMs: number;
  /**
   * The rate controller's estimate when backpressure is on: its latest rate if > 0, else
   * `spark.streaming.backpressure.initialRate` (0 when unset). `undefined` without backpressure.
   */
  readonly estimatedRate: number | undefined;
  readonly perPartitionConfig: PerPartitionConfig;
}

/**
 * How many records each partition may contribute to the next batch, or `undefined` for no limit: Spark's
 * `DirectKafkaInputDStream.maxMessagesPerPartition`, rule for rule.
 * - With a positive estimated rate (backpressure), it is shared out in proportion to each partition's lag and capped
 *   by `maxRatePerPartition` where that is set.
 * - Otherwise each partition's limit is its `maxRatePerPartition` (0 = none).
 * - If the limits add up to more than 0, each becomes `max(trunc(batchSeconds × limit), minRatePerPartition)`;
 *   otherwise there is no limit (this includes backpressure with no lag at all: 0/0 rates are NaN, as in Spark).
 */
export function maxMessagesPerPartition(inputs: RateLimitInputs): Map<string, number> | undefined {
  const { latest, current, perPartitionConfig: ppc } = inputs;
  const rate = inputs.estimatedRate;
  const tps = new Map<string, TopicPartition>();
  for (const key of latest.keys()) tps.set(key, TopicPartition.parse(key));
  const limits = new Map<string, number>();
  if (rate !== undefined && rate > 0) {
    const lag = new Map<string, number>();
    let totalLag = 0;
    for (const [key, offset] of latest) {
      const l = Math.max(offset - (current.get(key) ?? offset), 0);
      lag.set(key, l);
      totalLag += l;
    }
    for (const [key, l] of lag) {
      const maxRate = ppc.maxRatePerPartition(tps.get(key)!);
      const backpressureRate = (l / totalLag) * rate;
      limits.set(key, maxRate > 0 ? Math.min(backpressureRate, maxRate) : backpressureRate);
    }
  } else {
    for (const key of latest.keys()) limits.set(key, ppc.maxRatePerPartition(tps.get(key)!));
  }
  let sum = 0;
  for (const v of limits.values()) sum += v;
  if (!(sum > 0)) return undefined;
  const secsPerBatch = inputs.batchDurationMs / 1000;
  const out = new Map<string, number>();
  for (const [key, limit] of limits) out.set(key, Math.max(Math.trunc(secsPerBatch * limit), ppc.minRatePerPartition(tps.get(key)!)));
  return out;
}

/** Spark's `clamp`: `min(current + maxMessages, latest)` per partition when there are limits, else `latest`. */
export function clampOffsets(latest: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>, limits: ReadonlyMap<string, number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, offset] of latest) {
    const messages = limits?.get(key);
    const from = current.get(key) ?? offset;
    out.set(key, messages === undefined ? offset : Math.min(from + messages, offset));
  }
  return out;
}
