import type { Sink } from '../../lib/rdd/Sink';
import { ConsumerRecord } from './ConsumerRecord';
import type { KafkaClient } from './KafkaClient';
import { KafkaBrokerUnreachableException, KafkaDeserializationException, KafkaFetchException, OffsetOutOfRangeException, UnknownTopicException } from './KafkaExceptions';
import { kafkajs, type RawFetchPartition } from './kafkajsInternals';
import type { ResolvedKafkaParams } from './KafkaParams';
import type { OffsetRange } from './OffsetRange';

/** How a range is read. */
export interface ReadOptions {
  /** Give up when a fetch at the same offset keeps returning nothing for this long (`spark.streaming.kafka.consumer.poll.ms`). */
  readonly pollTimeoutMs: number;
  /** `spark.streaming.kafka.allowNonConsecutiveOffsets`: tolerate gaps (compacted topics, transaction markers). */
  readonly allowNonConsecutiveOffsets: boolean;
}

function noop(): void {}

/**
 * Reads exactly `[fromOffset, untilOffset)` of one partition into `sink`: Spark's `KafkaDataConsumer` /
 * `KafkaRDDIterator`. Fetches are sized in bytes, not offsets (kafka.md §1.3), so each response is filtered to the
 * range: records below `fromOffset` (a compressed batch can start earlier) and from `untilOffset` on are dropped, and
 * reading stops once the next offset reaches `untilOffset`. The next fetch is sent before the current response is
 * pushed through the sink, so the broker round trip overlaps the processing.
 *
 * Fails with an error naming topic, partition and offset when: a record does not deserialize; the range is no longer
 * (or not yet) in the log; a record is missing from a non-compacted range; the brokers cannot be reached.
 */
export async function readOffsetRange<K, V>(
  client: KafkaClient,
  params: ResolvedKafkaParams<K, V>,
  range: OffsetRange,
  sink: Sink<ConsumerRecord<K, V>>,
  options: ReadOptions,
): Promise<void> {
  const { topic, partition, untilOffset } = range;
  const keyDeserializer = params.keyDeserializer;
  const valueDeserializer = params.valueDeserializer;
  const readCommitted = params.isolationLevel === 'read_committed';
  const allowGaps = options.allowNonConsecutiveOffsets;
  let position = range.fromOffset;
  let expected = position;
  let emptySince: number | undefined;

  const fetchAt = (offset: number): Promise<RawFetchPartition> => {
    const f = client.fetch(topic, partition, offset);
    f.catch(noop); // awaited below; a read that fails first must not leave an unhandled rejection behind
    return f;
  };

  let inflight = fetchAt(position);
  while (position < untilOffset) {
    let data: RawFetchPartition;
    try {
      data = await inflight;
    } catch (e) {
      throw await fetchError(client, range, position, e);
    }
    const raw = data.messages;
    let next = position;
    if (raw.length > 0) {
      // Kafka's nextOffset of the last batch: past its last offset even when compaction removed its last records.
      const last = raw[raw.length - 1];
      const bc = last.batchContext;
      next = Math.max(Number(last.offset) + 1, bc ? Number(bc.firstOffset) + bc.lastOffsetDelta + 1 : 0);
    }
    if (next <= position) {
      const end = Number(readCommitted && data.lastStableOffset !== undefined && Number(data.lastStableOffset) >= 0 ? data.lastStableOffset : data.highWatermark);
      if (end <= position) {
        throw new KafkaFetchException(
          topic,
          partition,
          position,
          `Records [${position}, ${untilOffset}) of ${topic}-${partition} are not in the log: it ends at offset ${end} ` +
            `(${range}; the topic may have been recreated, or the range was made past the end)`,
        );
      }
      emptySince ??= Date.now();
      if (Date.now() - emptySince > options.pollTimeoutMs) {
        throw new KafkaFetchException(topic, partition, position, `Failed to get records for ${topic}-${partition} ${position} after polling for ${options.pollTimeoutMs}`);
      }
      inflight = fetchAt(position);
      continue;
    }
    emptySince = undefined;
    if (next < untilOffset) inflight = fetchAt(next);

    const aborted = data.abortedTransactions;
    const messages = readCommitted && aborted !== undefined && aborted.length > 0 ? kafkajs().filterAbortedMessages({ messages: raw, abortedTransactions: aborted }) : raw;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      const offset = Number(m.offset);
      if (offset < position) continue;
      if (offset >= untilOffset) break;
      if (m.isControlRecord) continue;
      if (offset !== expected && !allowGaps) {
        throw new KafkaFetchException(
          topic,
          partition,
          expected,
          `Got wrong record for ${topic}-${partition} even after seeking to offset ${expected} got offset ${offset} instead. ` +
            'If this is a compacted topic, consider enabling spark.streaming.kafka.allowNonConsecutiveOffsets',
        );
      }
      expected = offset + 1;
      let key: K;
      let value: V;
      try {
        key = keyDeserializer(m.key, topic);
      } catch (e) {
        throw new KafkaDeserializationException(topic, partition, offset, 'key', e);
      }
      try {
        value = valueDeserializer(m.value, topic);
      } catch (e) {
        throw new KafkaDeserializationException(topic, partition, offset, 'value', e);
      }
      sink(
        new ConsumerRecord<K, V>(
          topic,
          partition,
          offset,
          Number(m.timestamp),
          m.batchContext?.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
          m.key === null ? -1 : m.key.length,
          m.value === null ? -1 : m.value.length,
          key,
          value,
          m.headers,
        ),
      );
    }
    position = next;
  }
}

/** Names the range in a failed fetch; out-of-range gets the partition's current bounds. */
async function fetchError(client: KafkaClient, range: OffsetRange, position: number, e: unknown): Promise<Error> {
  const { topic, partition } = range;
  if (e instanceof KafkaBrokerUnreachableException || e instanceof UnknownTopicException) {
    return new KafkaFetchException(topic, partition, position, `Cannot read ${range} at offset ${position}`, e);
  }
  if ((e as { type?: string }).type === 'OFFSET_OUT_OF_RANGE') {
    let low: number | undefined;
    let high: number | undefined;
    try {
      const tp = range.topicPartition();
      low = (await client.listOffsets([tp], 'earliest')).get(tp.toString());
      high = (await client.listOffsets([tp], 'latest')).get(tp.toString());
    } catch {
      // the bounds are a courtesy; the error below stands without them
    }
    return new OffsetOutOfRangeException(topic, partition, position, low, high, `reading ${range}`);
  }
  return new KafkaFetchException(topic, partition, position, `Cannot read ${range} at offset ${position}`, e);
}
