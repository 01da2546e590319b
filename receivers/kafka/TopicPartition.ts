import { IllegalArgumentException } from '../../lib/core/errors';

/**
 * A topic and a partition number: Kafka's `TopicPartition`. `toString()` is Kafka's `topic-partition`, which is also
 * the key dstreams uses in maps (unique: a partition number never contains '-').
 */
export class TopicPartition {
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    if (typeof topic !== 'string' || topic.length === 0) throw new IllegalArgumentException(`Invalid topic name '${String(topic)}'`);
    if (!Number.isInteger(partition) || partition < 0) {
      throw new IllegalArgumentException(`Invalid partition ${String(partition)} for topic '${topic}': expected an integer >= 0`);
    }
  }

  /** Accepts a TopicPartition, `{ topic, partition }`, or Kafka's `topic-partition` text. */
  static of(tp: TopicPartitionLike): TopicPartition {
    if (tp instanceof TopicPartition) return tp;
    if (typeof tp === 'string') return TopicPartition.parse(tp);
    return new TopicPartition(tp.topic, tp.partition);
  }

  /** Parses Kafka's `topic-partition` text (the partition is after the last '-'). */
  static parse(text: string): TopicPartition {
    const dash = text.lastIndexOf('-');
    const partition = dash > 0 ? Number(text.slice(dash + 1)) : NaN;
    if (dash <= 0 || !/^\d+$/.test(text.slice(dash + 1))) {
      throw new IllegalArgumentException(`'${text}' is not a topic partition: expected 'topic-partition', e.g. 'events-0'`);
    }
    return new TopicPartition(text.slice(0, dash), partition);
  }

  equals(that: TopicPartition): boolean {
    return this.topic === that.topic && this.partition === that.partition;
  }

  toString(): string {
    return topicPartitionKey(this.topic, this.partition);
  }
}

/** What the API accepts where Kafka takes a TopicPartition. */
export type TopicPartitionLike = TopicPartition | { readonly topic: string; readonly partition: number } | string;

/** `topic-partition`: the map key of a partition. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Orders partitions by topic, then partition number. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
