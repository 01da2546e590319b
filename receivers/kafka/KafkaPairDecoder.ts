import type { KafkaMessage } from 'kafkajs';
import { KafkaDeserializationException } from './KafkaExceptions';
import type { ResolvedKafkaParams } from './KafkaParams';

/**
 * Turns kafkajs messages into the `[key, value]` pairs of a receiver-based Kafka stream (Spark's `(K, V)` tuples),
 * with the configured deserializers. A record that fails to deserialize is handed to `onError` as a
 * KafkaDeserializationException naming its topic, partition and offset, and is left out: a receiver cannot fail a
 * task over it, and restarting would only read the same record again.
 */
export function decodePairs<K, V>(
  params: ResolvedKafkaParams<K, V>,
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  start: number,
  end: number,
  onError: (e: KafkaDeserializationException) => void,
): [K, V][] {
  const keyDe = params.keyDeserializer;
  const valueDe = params.valueDeserializer;
  const out: [K, V][] = [];
  for (let i = start; i < end; i++) {
    const m = messages[i];
    let key: K;
    try {
      key = keyDe(m.key ?? null, topic);
    } catch (e) {
      onError(new KafkaDeserializationException(topic, partition, Number(m.offset), 'key', e));
      continue;
    }
    let value: V;
    try {
      value = valueDe(m.value ?? null, topic);
    } catch (e) {
      onError(new KafkaDeserializationException(topic, partition, Number(m.offset), 'value', e));
      continue;
    }
    out.push([key, value]);
  }
  return out;
}
