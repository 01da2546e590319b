import type { Partition } from '../../../lib/rdd/Partition';
import type { DStream } from '../../../lib/streaming/dstream/DStream';
import { DirectKafkaInputDStream } from '../DirectKafkaInputDStream';
import { KafkaRDDPartition } from '../KafkaRDD';

/**
 * Where a DStream's records come from, for the group-mode operators: the direct Kafka streams it is computed from
 * (through any chain of DStreams), and, per RDD partition, the Kafka partition whose records it holds.
 */

/** The direct Kafka streams `stream` is computed from (itself included), each once, in graph order. */
export function kafkaSourcesOf(stream: DStream<unknown>): DirectKafkaInputDStream<unknown, unknown>[] {
  const out: DirectKafkaInputDStream<unknown, unknown>[] = [];
  const seen = new Set<DStream<unknown>>();
  const visit = (d: DStream<unknown>): void => {
    if (seen.has(d)) return;
    seen.add(d);
    if (d instanceof DirectKafkaInputDStream) {
      out.push(d as DirectKafkaInputDStream<unknown, unknown>);
      return;
    }
    for (const p of d.dependencies) visit(p);
  };
  visit(stream);
  return out.sort((a, b) => a.seq - b.seq);
}

/** The group-mode sources of `stream` (direct streams with a group member). */
export function groupSourcesOf(stream: DStream<unknown>): DirectKafkaInputDStream<unknown, unknown>[] {
  return kafkaSourcesOf(stream).filter((s) => s.group !== undefined);
}

/**
 * The Kafka partition (`topic-partition`) an RDD partition holds the records of, when the RDD was made from a
 * KafkaRDD by partition-preserving steps only (map, filter, flatMap, mapValues, union, ...: they keep the
 * KafkaRDD's partition objects, or wrap them); undefined after a shuffle or a repartition.
 */
export function kafkaPartitionOf(split: Partition): string | undefined {
  let p: unknown = split;
  for (let i = 0; i < 16 && p !== undefined; i++) {
    if (p instanceof KafkaRDDPartition) return `${p.topic}-${p.partition}`;
    p = (p as { parentPartition?: unknown }).parentPartition;
  }
  return undefined;
}
