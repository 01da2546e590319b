import type { Consumer, EachBatchPayload } from 'kafkajs';
import { getLogger } from '../../lib/core/logging';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import { Receiver } from '../Receiver';
import { createGroupConsumer } from './KafkaGroupConsumer';
import { decodePairs } from './KafkaPairDecoder';
import type { KafkaReceiverParams } from './KafkaReceiverParams';
import { startGroupConsumer } from './startGroupConsumer';

const log = getLogger('KafkaReceiver');

/**
 * The plain (unreliable) receiver-based Kafka stream's receiver: Spark's `KafkaReceiver` (kafka-0-8), on a kafkajs
 * consumer group. Used by `KafkaUtils.createStream` when the receiver WAL is off.
 *
 * Every record goes through `store(record)` (here `storeSingles`, one call per fetched batch): buffered, rate-limited,
 * cut into blocks every block interval. The group's offsets are committed by kafkajs' auto-commit (`enable.auto.commit`,
 * Kafka's default true), which commits after each fetched batch is handed over, i.e. typically BEFORE its records are
 * in a block. So, as in Spark: a crash loses the records buffered but already committed, and repeats the ones
 * stored but not yet committed (with `enable.auto.commit=false` nothing is committed and a restart re-reads from the
 * last commit, or `auto.offset.reset`). Without the WAL a batch recovered from a checkpoint also loses its blocks.
 * Use the reliable receiver (WAL on) or the direct stream when that matters.
 */
export class KafkaReceiver<K, V> extends Receiver<[K, V]> {
  private session = 0;
  private active = false;
  private consumer: Consumer | undefined;

  constructor(
    readonly params: KafkaReceiverParams<K, V>,
    readonly topics: ReadonlyMap<string, number>,
    storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER_2,
  ) {
    super(storageLevel);
  }

  get groupId(): string {
    return this.params.groupId;
  }

  onStart(): void {
    const session = ++this.session;
    this.active = true;
    log.info({ streamId: this.streamId, groupId: this.groupId, topics: Object.fromEntries(this.topics) }, 'Starting the Kafka receiver');
    void this.run(session).catch((e: unknown) => {
      if (this.isCurrent(session)) this.restart(`Error starting the Kafka consumer of group '${this.groupId}'`, e);
    });
  }

  async onStop(): Promise<void> {
    this.active = false;
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.disconnect().catch((e: unknown) => log.warn({ err: e, streamId: this.streamId }, 'Error disconnecting the Kafka consumer'));
    log.info({ streamId: this.streamId, groupId: this.groupId }, 'Stopped the Kafka receiver');
  }

  private isCurrent(session: number): boolean {
    return this.active && this.session === session;
  }

  private async run(session: number): Promise<void> {
    const consumer = createGroupConsumer(this.params);
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      if (this.isCurrent(session)) this.restart(`The Kafka consumer of group '${this.groupId}' failed`, e.payload.error);
    });
    let threads = 0;
    for (const n of this.topics.values()) threads += n;
    await startGroupConsumer(consumer, this.params, [...this.topics.keys()], () => this.isCurrent(session), {
      autoCommit: this.params.autoCommit,
      autoCommitInterval: this.params.autoCommitIntervalMs,
      partitionsConsumedConcurrently: threads,
      eachBatch: (payload) => this.onBatch(session, payload),
    });
  }

  private async onBatch(session: number, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!this.isCurrent(session)) return;
    const messages = batch.messages;
    const pairs = decodePairs(this.params.kafka, batch.topic, batch.partition, messages, 0, messages.length, (e) => this.reportError(e.message, e));
    let wait;
    try {
      wait = this.storeSingles(pairs);
    } catch (e) {
      // The block generator stopped under us (the receiver is stopping): leave the batch unresolved.
      if (this.isCurrent(session)) this.restart('Error storing Kafka records', e);
      throw e;
    }
    if (messages.length > 0) payload.resolveOffset(messages[messages.length - 1].offset);
    // The rate limit or a full block queue: hold the consumer (heartbeats go on) until the records may flow again.
    if (wait) await this.waitWithHeartbeats(session, wait, payload);
    await payload.heartbeat();
  }

  private async waitWithHeartbeats(session: number, wait: Promise<void>, payload: EachBatchPayload): Promise<void> {
    let done = false;
    const settled = wait.then(
      () => void (done = true),
      () => void (done = true),
    );
    while (!done && this.isCurrent(session)) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.params.heartbeatIntervalMs)))]);
      clearTimeout(timer);
      if (!done) await payload.heartbeat();
    }
  }
}
