import { IllegalArgumentException } from '../../lib/core/errors';
import type { KafkaClient } from './KafkaClient';
import { UnknownTopicException } from './KafkaExceptions';
import { type KafkaParams, type ResolvedKafkaParams, resolveKafkaParams, type TypedKafkaParams } from './KafkaParams';
import { compareTopicPartitions, TopicPartition, type TopicPartitionLike } from './TopicPartition';

/** Starting offsets as the API accepts them: a Map or entries keyed by TopicPartition (or `topic-partition`), or a record. */
export type OffsetsArg =
  | ReadonlyMap<TopicPartitionLike, number>
  | Iterable<readonly [TopicPartitionLike, number]>
  | Readonly<Record<string, number>>;

function resolveOffsets(offsets: OffsetsArg | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (offsets === undefined) return out;
  const entries: Iterable<readonly [TopicPartitionLike, number]> =
    offsets instanceof Map || Symbol.iterator in (offsets as object)
      ? (offsets as Iterable<readonly [TopicPartitionLike, number]>)
      : Object.entries(offsets as Record<string, number>);
  for (const [tp, offset] of entries) {
    const key = TopicPartition.of(tp).toString();
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new IllegalArgumentException(`Invalid starting offset ${String(offset)} for ${key}: expected an integer >= 0`);
    }
    out.set(key, offset);
  }
  return out;
}

/**
 * Which partitions the direct stream reads and where it starts: Spark's `ConsumerStrategy`. Spark's strategies
 * configure a driver KafkaConsumer (subscribe / assign); here the stream has no group membership (kafkajs has no
 * manual assignment, and a group member's partitions would move under it), so a strategy answers, every batch,
 * "which partitions now?" from fresh metadata, and the stream tracks offsets itself.
 */
export abstract class ConsumerStrategy<K, V> {
  readonly kafkaParams: ResolvedKafkaParams<K, V>;
  /** Starting offsets the program gave; they win over the group's committed offsets (not over a checkpoint). */
  readonly offsets: ReadonlyMap<string, number>;

  protected constructor(kafkaParams: KafkaParams, offsets: OffsetsArg | undefined) {
    this.kafkaParams = resolveKafkaParams<K, V>(kafkaParams);
    this.offsets = resolveOffsets(offsets);
  }

  /** The partitions to read in the next batch, sorted. */
  abstract partitions(client: KafkaClient): Promise<TopicPartition[]>;

  /**
   * What a tracked partition that no longer exists means: an error (the subscribed or assigned topic was deleted), or
   * nothing to read any more (a pattern that no longer matches).
   */
  abstract readonly onPartitionGone: 'error' | 'drop';

  abstract toString(): string;
}

/** Spark's `Subscribe`: a fixed list of topics; partitions added to them are picked up. */
export class Subscribe<K, V> extends ConsumerStrategy<K, V> {
  readonly topics: readonly string[];
  readonly onPartitionGone = 'error';
  constructor(topics: Iterable<string>, kafkaParams: KafkaParams, offsets?: OffsetsArg) {
    super(kafkaParams, offsets);
    this.topics = [...new Set(topics)];
    if (this.topics.length === 0) throw new IllegalArgumentException('Subscribe needs at least one topic');
    for (const t of this.topics) new TopicPartition(t, 0);
  }
  async partitions(client: KafkaClient): Promise<TopicPartition[]> {
    const meta = await client.partitionsFor(this.topics);
    const out: TopicPartition[] = [];
    for (const [topic, ps] of meta) for (const p of ps) out.push(new TopicPartition(topic, p));
    return out.sort(compareTopicPartitions);
  }
  toString(): string {
    return `Subscribe(${this.topics.join(', ')})`;
  }
}

/**
 * Spark's `SubscribePattern`: every topic whose whole name matches the pattern (as Java's `Matcher.matches`: the
 * pattern `events-.*` does not match `old-events-1`), internal topics excluded; topics created later are picked up,
 * and a topic deleted while the stream runs is dropped (Spark fails the batch: its partitions were "revoked").
 */
export class SubscribePattern<K, V> extends ConsumerStrategy<K, V> {
  readonly pattern: RegExp;
  readonly onPartitionGone = 'drop';
  private readonly whole: RegExp;
  constructor(pattern: RegExp | string, kafkaParams: KafkaParams, offsets?: OffsetsArg) {
    super(kafkaParams, offsets);
    this.pattern = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
    this.whole = new RegExp(`^(?:${this.pattern.source})$`, this.pattern.flags.replace(/[gy]/g, ''));
  }
  async partitions(client: KafkaClient): Promise<TopicPartition[]> {
    const out: TopicPartition[] = [];
    for (const t of await client.listTopics()) {
      if (t.isInternal || t.topic.startsWith('__') || !this.whole.test(t.topic)) continue;
      for (const p of t.partitionMetadata) out.push(new TopicPartition(t.topic, p.partitionId));
    }
    return out.sort(compareTopicPartitions);
  }
  toString(): string {
    return `SubscribePattern(${this.pattern})`;
  }
}

/** Spark's `Assign`: a fixed set of partitions. A partition that does not exist is an error naming it. */
export class Assign<K, V> extends ConsumerStrategy<K, V> {
  readonly topicPartitions: readonly TopicPartition[];
  readonly onPartitionGone = 'error';
  constructor(topicPartitions: Iterable<TopicPartitionLike>, kafkaParams: KafkaParams, offsets?: OffsetsArg) {
    super(kafkaParams, offsets);
    const m = new Map<string, TopicPartition>();
    for (const tp of topicPartitions) {
      const t = TopicPartition.of(tp);
      m.set(t.toString(), t);
    }
    this.topicPartitions = [...m.values()].sort(compareTopicPartitions);
    if (this.topicPartitions.length === 0) throw new IllegalArgumentException('Assign needs at least one topic partition');
  }
  async partitions(client: KafkaClient): Promise<TopicPartition[]> {
    const meta = await client.partitionsFor([...new Set(this.topicPartitions.map((tp) => tp.topic))]);
    const missing = this.topicPartitions.filter((tp) => !meta.get(tp.topic)?.includes(tp.partition));
    if (missing.length > 0) {
      const topics = [...new Set(missing.map((tp) => tp.topic))];
      const have = topics.map((t) => `${t} has ${meta.get(t)?.length ?? 0}`).join(', ');
      throw new UnknownTopicException(topics, `${topics.length > 1 ? 'do' : 'does'} not have the assigned partition${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (${have} partitions)`);
    }
    return [...this.topicPartitions];
  }
  toString(): string {
    return `Assign(${this.topicPartitions.join(', ')})`;
  }
}

/** Spark's `ConsumerStrategies` factory. `K`/`V` are the key and value types the deserializers produce. */
export const ConsumerStrategies = {
  /** Spark's `ConsumerStrategies.Subscribe(topics, kafkaParams[, offsets])`. */
  Subscribe<K = string, V = string>(topics: Iterable<string>, kafkaParams: TypedKafkaParams<K, V>, offsets?: OffsetsArg): ConsumerStrategy<K, V> {
    return new Subscribe<K, V>(topics, kafkaParams, offsets);
  },
  /** Spark's `ConsumerStrategies.SubscribePattern(pattern, kafkaParams[, offsets])`. */
  SubscribePattern<K = string, V = string>(pattern: RegExp | string, kafkaParams: TypedKafkaParams<K, V>, offsets?: OffsetsArg): ConsumerStrategy<K, V> {
    return new SubscribePattern<K, V>(pattern, kafkaParams, offsets);
  },
  /** Spark's `ConsumerStrategies.Assign(topicPartitions, kafkaParams[, offsets])`. */
  Assign<K = string, V = string>(topicPartitions: Iterable<TopicPartitionLike>, kafkaParams: TypedKafkaParams<K, V>, offsets?: OffsetsArg): ConsumerStrategy<K, V> {
    return new Assign<K, V>(topicPartitions, kafkaParams, offsets);
  },
} as const;
