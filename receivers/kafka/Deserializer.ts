import { KafkaConfigException } from './KafkaExceptions';

/**
 * Turns a record's key or value bytes into a value: Kafka's `Deserializer<T>.deserialize(topic, data)`, as a
 * function of `(data, topic)`. `data` is `null` for a null key or value (tombstones). A deserializer that throws
 * fails the task with a KafkaDeserializationException naming the topic, partition and offset.
 */
export type Deserializer<T> = (data: Buffer | null, topic: string) => T;

/** Kafka's `StringDeserializer` (UTF-8); null stays null. */
export const StringDeserializer: Deserializer<string> = (data) => (data === null ? (null as unknown as string) : data.toString('utf8'));

/** Kafka's `ByteArrayDeserializer`: the bytes as they are (a Buffer). */
export const ByteArrayDeserializer: Deserializer<Buffer> = (data) => data as Buffer;

/** Kafka's `IntegerDeserializer`: 4 bytes, big-endian. */
export const IntegerDeserializer: Deserializer<number> = (data) => {
  if (data === null) return null as unknown as number;
  if (data.length !== 4) throw new Error('Size of data received by IntegerDeserializer is not 4');
  return data.readInt32BE(0);
};

/** Kafka's `LongDeserializer`: 8 bytes, big-endian, as a bigint (a Java long does not fit a JS number). */
export const LongDeserializer: Deserializer<bigint> = (data) => {
  if (data === null) return null as unknown as bigint;
  if (data.length !== 8) throw new Error('Size of data received by LongDeserializer is not 8');
  return data.readBigInt64BE(0);
};

/** Kafka's `DoubleDeserializer`: 8 bytes, IEEE 754 big-endian. */
export const DoubleDeserializer: Deserializer<number> = (data) => {
  if (data === null) return null as unknown as number;
  if (data.length !== 8) throw new Error('Size of data received by DoubleDeserializer is not 8');
  return data.readDoubleBE(0);
};

const BY_NAME: Readonly<Record<string, Deserializer<unknown>>> = {
  StringDeserializer,
  ByteArrayDeserializer,
  BytesDeserializer: ByteArrayDeserializer,
  ByteBufferDeserializer: ByteArrayDeserializer,
  IntegerDeserializer,
  LongDeserializer,
  DoubleDeserializer,
};

/** A deserializer function, or the name of a Kafka one (`'StringDeserializer'` or its full Java class name). */
export type DeserializerSpec<T> = Deserializer<T> | string;

/** Resolves the value of `key.deserializer` / `value.deserializer` (`paramKey` names it in errors). */
export function resolveDeserializer<T>(paramKey: string, spec: unknown): Deserializer<T> {
  if (spec === undefined || spec === null) {
    throw new KafkaConfigException(paramKey, `Missing required configuration "${paramKey}" which has no default value.`);
  }
  if (typeof spec === 'function') return spec as Deserializer<T>;
  if (typeof spec === 'string') {
    // `org.apache.kafka.common.serialization.StringDeserializer` or `StringDeserializer`.
    const simple = spec.slice(spec.lastIndexOf('.') + 1);
    const d = BY_NAME[simple];
    if (d && (simple === spec || spec === `org.apache.kafka.common.serialization.${simple}`)) return d as Deserializer<T>;
  }
  throw new KafkaConfigException(
    paramKey,
    `Invalid value ${String(spec)} for configuration ${paramKey}: expected a function (data: Buffer | null, topic: string) => T ` +
      `or one of ${Object.keys(BY_NAME).join(', ')} (optionally as org.apache.kafka.common.serialization.<Name>)`,
  );
}
