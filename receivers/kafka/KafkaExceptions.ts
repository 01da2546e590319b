import { IllegalArgumentException, IllegalStateException, SparkException } from '../../lib/core/errors';

/**
 * The errors of the Kafka integration. Each names what failed (topic, partition, offset, broker list, group) in
 * its fields and in its message; names follow the Kafka client exception a Spark user would see.
 */

/** Kafka's `ConfigException`: a missing or malformed consumer parameter (`kafkaParams`). */
export class KafkaConfigException extends IllegalArgumentException {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/** The brokers in `bootstrap.servers` could not be reached within the configured retries. */
export class KafkaBrokerUnreachableException extends SparkException {
  constructor(
    readonly bootstrapServers: readonly string[],
    readonly operation: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(
      `Kafka brokers ${bootstrapServers.join(',')} (bootstrap.servers) unreachable while ${operation}, after ${attempts} attempt(s): ${causeText(cause)}`,
      { cause },
    );
  }
}

/** A subscribed or assigned topic does not exist on the brokers (or was deleted while the stream ran). */
export class UnknownTopicException extends SparkException {
  constructor(
    readonly topics: readonly string[],
    detail: string,
  ) {
    super(`Kafka topic${topics.length > 1 ? 's' : ''} ${topics.map((t) => `'${t}'`).join(', ')} ${detail}`);
  }
}

/** Kafka's `NoOffsetForPartitionException`: no committed offset and `auto.offset.reset` is `none`. */
export class NoOffsetForPartitionException extends SparkException {
  constructor(
    readonly partitions: readonly string[],
    readonly groupId: string | undefined,
  ) {
    super(
      `Undefined offset with no reset policy for partitions: [${partitions.join(', ')}] ` +
        `(group.id ${groupId === undefined ? 'not set' : `'${groupId}'`} has no committed offset and auto.offset.reset is 'none')`,
    );
  }
}

/**
 * Kafka's `OffsetOutOfRangeException`: an offset outside `[logStartOffset, logEndOffset]` of its partition (deleted by
 * retention, or a topic that was recreated), with `auto.offset.reset` = `none` or while reading a fixed range.
 */
export class OffsetOutOfRangeException extends SparkException {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly logStartOffset: number | undefined,
    readonly logEndOffset: number | undefined,
    context: string,
  ) {
    const range = logStartOffset === undefined || logEndOffset === undefined ? '' : ` (the partition now holds offsets [${logStartOffset}, ${logEndOffset}))`;
    super(`Offsets out of range with no configured reset policy for partitions: {${topic}-${partition}=${offset}}${range}: ${context}`);
  }
}

/** Kafka's `SerializationException` from a key or value deserializer, naming the record. */
export class KafkaDeserializationException extends SparkException {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly part: 'key' | 'value',
    cause: unknown,
  ) {
    super(
      `Error deserializing ${part} for partition ${topic}-${partition} at offset ${offset}. ` +
        `If needed, please seek past the record to continue consumption. Cause: ${causeText(cause)}`,
      { cause },
    );
  }
}

/** A KafkaRDD partition could not be read: the broker failed, or records are missing from the range. */
export class KafkaFetchException extends SparkException {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    message: string,
    cause?: unknown,
  ) {
    super(cause === undefined ? message : `${message}: ${causeText(cause)}`, cause === undefined ? undefined : { cause });
  }
}

/** An offset commit for the stream's `group.id` failed (Kafka's `CommitFailedException`). */
export class CommitFailedException extends SparkException {
  constructor(
    readonly groupId: string,
    readonly offsets: ReadonlyMap<string, number>,
    cause: unknown,
  ) {
    super(`Offset commit for group '${groupId}' failed (${[...offsets].map(([tp, o]) => `${tp}=${o}`).join(', ')}): ${causeText(cause)}`, { cause });
  }
}

/** Kafka's `InvalidGroupIdException`: offsets cannot be committed or looked up without `group.id`. */
export class InvalidGroupIdException extends IllegalStateException {
  constructor(operation: string) {
    super(`To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration (${operation})`);
  }
}

/** The installed kafkajs is not the version whose internals KafkaRDD reads through (kafkajs 2.x). */
export class KafkaClientIncompatibleException extends IllegalStateException {}

function causeText(e: unknown): string {
  if (e instanceof Error) {
    const inner = (e as { cause?: unknown }).cause;
    return inner instanceof Error && !e.message.includes(inner.message) ? `${e.message} (${inner.message})` : e.message;
  }
  return String(e);
}
