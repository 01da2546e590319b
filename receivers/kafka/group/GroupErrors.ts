import { IllegalArgumentException, SparkException, UnsupportedOperationException } from '../../../lib/core/errors';

/**
 * The errors of group mode (`dstreams.kafka.groupMode`): each names the group, stream, operator, partition or key
 * that failed, in its fields and its message.
 */

/** The consumer group could not be joined, or refused this member. */
export class KafkaGroupException extends SparkException {
  constructor(
    readonly groupId: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`Consumer group '${groupId}' ${detail}`, cause === undefined ? undefined : { cause });
  }
}

/** A program that group mode cannot run as it is (a strategy, a missing group.id, several topics under state...). */
export class GroupModeConfigException extends IllegalArgumentException {
  constructor(
    readonly stream: string,
    detail: string,
  ) {
    super(`${stream} in group mode (dstreams.kafka.groupMode=true): ${detail}`);
  }
}

/**
 * An operator that needs the records of a key from every partition (a shuffle, a window over several batches) on a
 * stream that reads only this member's partitions.
 */
export class GroupModeUnsupportedOperationException extends UnsupportedOperationException {
  constructor(
    readonly operator: string,
    readonly stream: string,
    readonly groupId: string,
    reason: string,
  ) {
    super(
      `${operator} (${stream}) cannot run in group mode (dstreams.kafka.groupMode=true, group '${groupId}'): ${reason}. ` +
        'Each member reads only its own partitions of the input, so a key whose records are in partitions other members own ' +
        'would get a partial result here. Keep keyed work per input partition: updateStateByKey or mapWithState on records ' +
        'keyed as Kafka partitions them, after stream.through(topic) if the key changes; or run without group mode ' +
        '(docs/scaling-out.md).',
    );
  }
}

/** A key whose records came from two input partitions: its state cannot follow one partition. */
export class KeyNotCoPartitionedException extends SparkException {
  constructor(
    readonly stream: string,
    readonly key: string,
    readonly partitions: readonly [string, string],
  ) {
    super(
      `${stream} (group mode): the key ${key} is in input partitions ${partitions[0]} and ${partitions[1]}. A key's state ` +
        'lives with its input partition, so all records of a key must be in one partition (as Kafka\'s default ' +
        'partitioner puts records with the same record key). Produce the records keyed, or repartition by key first with ' +
        'stream.through(topic).',
    );
  }
}

/** A batch's Kafka transaction for a partition (or for the whole batch) failed: nothing of it became visible. */
export class KafkaTransactionException extends SparkException {
  constructor(
    readonly transactionalId: string,
    readonly batchTimeMs: number,
    detail: string,
    cause?: unknown,
  ) {
    super(`Kafka transaction '${transactionalId}' of batch ${batchTimeMs} ms ${detail}`, cause === undefined ? undefined : { cause });
  }
}

/** Two live processes of one group use one checkpoint folder. */
export class MemberCheckpointDirInUseException extends IllegalArgumentException {
  constructor(
    readonly dir: string,
    readonly holder: string,
  ) {
    super(
      `The checkpoint folder ${dir} is in use by group member ${holder}: in group mode each member keeps its own ` +
        'checkpoint folder; use memberCheckpointDir(base, conf) with a distinct dstreams.kafka.group.member per process',
    );
  }
}
