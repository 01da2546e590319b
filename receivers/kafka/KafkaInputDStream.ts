import { StreamingConf } from '../../lib/core/StreamingConf';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import type { StreamId } from '../../lib/storage/StreamId';
import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import type { Receiver } from '../Receiver';
import { ReceiverInputDStream } from '../ReceiverInputDStream';
import { mergeMaxOffsets, nextOffsetsOf } from './KafkaBlockMetadata';
import type { KafkaParams } from './KafkaParams';
import { KafkaReceiver } from './KafkaReceiver';
import { type KafkaReceiverParams, resolveKafkaReceiverParams, resolveTopicThreads, type TopicThreadsSpec } from './KafkaReceiverParams';
import { receiverClientId } from './ReceiverGroupIdentity';
import { ReliableKafkaReceiver } from './ReliableKafkaReceiver';

/**
 * The receiver-based Kafka stream: Spark's `KafkaInputDStream` (kafka-0-8), made by `KafkaUtils.createStream`. Its
 * records are `[key, value]` pairs, as Spark's `(K, V)`. Its receiver is a {@link ReliableKafkaReceiver} when
 * `useReliableReceiver` (the receiver WAL is on), else a {@link KafkaReceiver}. Parameters are checked here, so a
 * bad `kafkaParams` fails `createStream`, naming the key.
 */
export class KafkaInputDStream<K, V> extends ReceiverInputDStream<[K, V]> {
  readonly receiverParams: KafkaReceiverParams<K, V>;
  readonly topics: ReadonlyMap<string, number>;
  private receiver: Receiver<[K, V]> | undefined;

  constructor(
    ssc: StreamingContext,
    kafkaParams: KafkaParams,
    topics: TopicThreadsSpec,
    readonly useReliableReceiver: boolean,
    readonly receiverStorageLevel: StorageLevel,
  ) {
    super(ssc, 'createStream');
    this.receiverParams = resolveKafkaReceiverParams<K, V>(kafkaParams, StreamingConf.BLOCK_INTERVAL.read(ssc.conf));
    this.topics = resolveTopicThreads(topics);
  }

  get groupId(): string {
    return this.receiverParams.groupId;
  }

  getReceiver(): Receiver<[K, V]> {
    // The reliable receiver has a checkpoint folder (the receiver WAL needs one): its group member is named after it.
    const cp = this.ssc.checkpointDir;
    this.receiver ??= this.useReliableReceiver
      ? new ReliableKafkaReceiver<K, V>(
          this.receiverParams,
          this.topics,
          this.receiverStorageLevel,
          () => this.storedOffsetsOfGroup(),
          cp === undefined ? undefined : receiverClientId(this.receiverParams.kafka.clientId, cp, this.id),
        )
      : new KafkaReceiver<K, V>(this.receiverParams, this.topics, this.receiverStorageLevel);
    return this.receiver;
  }

  /**
   * The next offset of each partition stored by any receiver-based Kafka stream of this context that consumes the
   * same group: a partition a rebalance moves between two such streams resumes after what either stored.
   */
  storedOffsetsOfGroup(): Map<string, number> {
    const out = new Map<string, number>();
    const tracker = this.ssc.scheduler.receiverTracker as { lastStoredMetadataOf?: (id: StreamId) => unknown } | undefined;
    if (!tracker?.lastStoredMetadataOf) return out;
    for (const s of this.ssc.graph.getReceiverInputStreams()) {
      if (s instanceof KafkaInputDStream && s.groupId === this.groupId) mergeMaxOffsets(out, nextOffsetsOf(tracker.lastStoredMetadataOf(s.id)));
    }
    return out;
  }
}
