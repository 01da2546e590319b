/** Kafka's record headers as kafkajs decodes them: each key maps to its value, or to every value when repeated. */
export type ConsumerRecordHeaders = Readonly<Record<string, Buffer | Buffer[] | undefined>>;

/** Kafka's `TimestampType` names. */
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/**
 * One record read from Kafka: Kafka's `ConsumerRecord<K, V>`, the element type of the direct stream and of KafkaRDD.
 * `key`/`value` are what the configured deserializers made of the bytes (a `null` key or value, e.g. a tombstone,
 * stays `null` with the built-in deserializers); the `serialized*Size` fields are the byte lengths, -1 for null.
 */
export class ConsumerRecord<K, V> {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    /** Milliseconds since the epoch. */
    readonly timestamp: number,
    readonly timestampType: TimestampType,
    readonly serializedKeySize: number,
    readonly serializedValueSize: number,
    readonly key: K,
    readonly value: V,
    readonly headers: ConsumerRecordHeaders,
  ) {}

  /** Kafka's `ConsumerRecord.toString()` layout (leader epoch is not tracked: `null`). */
  toString(): string {
    const headers = Object.keys(this.headers)
      .map((k) => `RecordHeader(key = ${k}, value = [${String(this.headers[k])}])`)
      .join(', ');
    return (
      `ConsumerRecord(topic = ${this.topic}, partition = ${this.partition}, leaderEpoch = null, offset = ${this.offset}, ` +
      `${this.timestampType} = ${this.timestamp}, serialized key size = ${this.serializedKeySize}, ` +
      `serialized value size = ${this.serializedValueSize}, headers = RecordHeaders(headers = [${headers}], isReadOnly = false), ` +
      `key = ${String(this.key)}, value = ${String(this.value)})`
    );
  }
}
