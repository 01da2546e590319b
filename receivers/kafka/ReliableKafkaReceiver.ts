import type { Consumer, EachBatchPayload } from 'kafkajs';
import { Deferred } from '../../lib/core/Deferred';
import { getLogger } from '../../lib/core/logging';
import { StreamingConf } from '../../lib/core/StreamingConf';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import type { BlockGenerator } from '../BlockGenerator';
import { receiverMaxRate } from '../rate/RateLimiter';
import { UNLIMITED_RATE } from '../rate/TokenBucket';
import { Receiver } from '../Receiver';
import { type KafkaBlockMetadata, mergeMaxOffsets, nextOffsetsOf } from './KafkaBlockMetadata';
import { KafkaClientCache } from './KafkaClientCache';
import { NoOffsetForPartitionException } from './KafkaExceptions';
import { createGroupConsumer } from './KafkaGroupConsumer';
import { decodePairs } from './KafkaPairDecoder';
import { removeEarlierIncarnations } from './ReceiverGroupIdentity';
import type { KafkaReceiverParams } from './KafkaReceiverParams';
import { startGroupConsumer } from './startGroupConsumer';
import { TopicPartition, topicPartitionKey } from './TopicPartition';

const log = getLogger('ReliableKafkaReceiver');

/** Spark's `ReliableKafkaReceiver` tries a block this many times before giving up (and stopping the receiver). */
const STORE_ATTEMPTS = 4;

/** The records fetched since the last store began, with their ranges: the next block. */
interface PendingBlock<K, V> {
  readonly records: [K, V][];
  /** `topic-partition` → [fromOffset, untilOffset). */
  readonly ranges: Map<string, [number, number]>;
  readonly stored: Deferred<void>;
}

/**
 * The reliable receiver-based Kafka stream's receiver: Spark's `ReliableKafkaReceiver` (kafka-0-8), on a kafkajs
 * consumer group instead of ZooKeeper. Used by `KafkaUtils.createStream` when
 * `spark.streaming.receiver.writeAheadLog.enable` is on.
 *
 * - It consumes as a member of `group.id` (`eachBatch`, auto-commit off, offsets resolved by hand).
 * - Each fetched batch (batches of several partitions arriving together make one block) is stored with the reliable
 *   `store(records, metadata)`: the block is in the WAL and recorded by the driver before the store resolves. The
 *   metadata holds the block's offset ranges and the next offset of every partition stored so far
 *   ({@link KafkaBlockMetadata}). Stores run one at a time, in order.
 * - Only then are the block's offsets committed to Kafka, and only then does `eachBatch` return: kafkajs rejoins the
 *   group (a rebalance) only between batches, so what this member stored is committed before its partitions go
 *   to another member.
 * - On every assignment (start, restart, rebalance) it resumes each partition from
 *   `max(committed offset, next offset in lastStoredMetadata())` — the partitions are paused when the assignment
 *   arrives, positioned with `seek`, then resumed (kafkajs only seeks after `run()`). A crash between a store and its
 *   commit therefore neither loses nor repeats a record: exactly-once into the stream, where Spark's receiver was
 *   at-least-once. The stored offsets of every stream of the same group in this context count (see
 *   `storedOffsetsOfGroup`), so partitions moving between such streams keep the guarantee too.
 *
 * A restart after a crash is quick: a killed member stays in the group until its session times out, and the new
 * member's join would wait for it; so before joining, the receiver removes the members that its earlier processes left
 * (ReceiverGroupIdentity). A stop leaves the group (kafkajs' disconnect).
 *
 * Faults: a kafkajs crash (brokers gone after the retries, a fatal protocol error) restarts the receiver
 * (`Receiver.restart`, after `spark.streaming.receiverRestartDelay`); a block that cannot be stored after 4 attempts
 * stops it (the ReceiverTracker launches it again), as Spark's; a record that fails to deserialize is reported
 * (`reportError`, a KafkaDeserializationException naming topic, partition and offset) and left out. Rates:
 * `spark.streaming.receiver.maxRate` and backpressure apply per record, as for every receiver.
 */
export class ReliableKafkaReceiver<K, V> extends Receiver<[K, V]> {
  /** Bumped on every start: callbacks of an older consumer see a different value and do nothing. */
  private session = 0;
  private active = false;
  private consumer: Consumer | undefined;
  /** Next offset of every partition stored (cumulative; what each block's metadata carries). */
  private storedOffsets = new Map<string, number>();
  /** Where the current assignment's partitions were positioned, then advanced as batches are stored. */
  private positions = new Map<string, number>();
  private positioned = new Set<string>();
  private assignment = 0;
  private pending: PendingBlock<K, V> | undefined;
  private flushQueued = false;
  private storeChain: Promise<void> = Promise.resolve();
  private limiter: BlockGenerator | undefined;
  private readonly sleepers = new Set<() => void>();

  constructor(
    readonly params: KafkaReceiverParams<K, V>,
    readonly topics: ReadonlyMap<string, number>,
    storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER_2,
    /**
     * The stored offsets of every stream consuming the same group in this context (KafkaInputDStream passes it); by
     * default only this receiver's own `lastStoredMetadata()`.
     */
    private readonly storedOffsetsOfGroup?: () => ReadonlyMap<string, number>,
    /**
     * The group consumer's client id when it names this receiver across restarts (receiverClientId: KafkaInputDStream
     * passes it); a restarted receiver then removes the members its killed predecessors left before joining.
     */
    private readonly groupClientId?: string,
  ) {
    super(storageLevel);
  }

  get groupId(): string {
    return this.params.groupId;
  }

  onStart(): void {
    const session = ++this.session;
    this.active = true;
    this.pending = undefined;
    this.flushQueued = false;
    this.storeChain = Promise.resolve();
    this.positions = new Map();
    this.positioned = new Set();
    this.storedOffsets = nextOffsetsOf(this.lastStoredMetadata());
    const conf = this.supervisor.conf;
    if (receiverMaxRate(conf) < UNLIMITED_RATE || StreamingConf.BACKPRESSURE_ENABLED.read(conf)) {
      // Registered with the supervisor, so backpressure's rate updates reach it; only its limiter is used.
      this.limiter = this.supervisor.createBlockGenerator({
        onAddData: () => undefined,
        onGenerateBlock: () => undefined,
        onPushBlock: () => undefined,
        onError: (message, e) => this.reportError(message, e),
      });
      this.limiter.start();
    }
    log.info({ streamId: this.streamId, groupId: this.groupId, topics: Object.fromEntries(this.topics) }, 'Starting the reliable Kafka receiver');
    void this.run(session).catch((e: unknown) => {
      if (this.isCurrent(session)) this.restart(`Error starting the Kafka consumer of group '${this.groupId}'`, e);
    });
  }

  async onStop(): Promise<void> {
    // No batch appends records from here on (onBatch checks this synchronously before each append).
    this.active = false;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    // The blocks being stored are stored and committed while this member is still running in the group (kafkajs
    // drops commits once its runner stops)...
    await this.storeChain.catch(() => undefined);
    // ...then the consumer leaves the group.
    const consumer = this.consumer;
    if (consumer) await consumer.disconnect().catch((e: unknown) => log.warn({ err: e, streamId: this.streamId }, 'Error disconnecting the Kafka consumer'));
    this.consumer = undefined;
    const limiter = this.limiter;
    this.limiter = undefined;
    await limiter?.stop();
    log.info({ streamId: this.streamId, groupId: this.groupId }, 'Stopped the reliable Kafka receiver');
  }

  /** The next offset of each partition in the blocks stored by this stream (and by the group's other streams). */
  lastStoredOffsets(): Map<string, number> {
    const out = nextOffsetsOf(this.lastStoredMetadata());
    if (this.storedOffsetsOfGroup) mergeMaxOffsets(out, this.storedOffsetsOfGroup());
    return out;
  }

  private isCurrent(session: number): boolean {
    return this.active && this.session === session;
  }

  private async run(session: number): Promise<void> {
    if (this.groupClientId !== undefined) await removeEarlierIncarnations(this.params, this.groupClientId, this.streamId);
    if (!this.isCurrent(session)) return;
    const consumer = createGroupConsumer(this.params, this.groupClientId);
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => this.onAssignment(session, consumer, e.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (e) => {
      if (this.isCurrent(session)) this.restart(`The Kafka consumer of group '${this.groupId}' failed`, e.payload.error);
    });
    let threads = 0;
    for (const n of this.topics.values()) threads += n;
    await startGroupConsumer(consumer, this.params, [...this.topics.keys()], () => this.isCurrent(session), {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: threads,
      eachBatch: (payload) => this.onBatch(session, payload),
    });
  }

  /**
   * A new assignment (GROUP_JOIN): pause its partitions before kafkajs fetches them (the event is synchronous),
   * find where each resumes, seek, resume.
   */
  private onAssignment(session: number, consumer: Consumer, memberAssignment: Record<string, number[]>): void {
    if (!this.isCurrent(session)) return;
    const generation = ++this.assignment;
    this.positioned = new Set();
    const tps: TopicPartition[] = [];
    for (const [topic, partitions] of Object.entries(memberAssignment)) for (const p of partitions) tps.push(new TopicPartition(topic, p));
    log.info({ streamId: this.streamId, groupId: this.groupId, partitions: tps.map(String) }, 'Partitions assigned');
    if (tps.length === 0) return;
    const byTopic = Object.entries(memberAssignment).map(([topic, partitions]) => ({ topic, partitions }));
    consumer.pause(byTopic);
    void this.position(session, generation, consumer, tps).then(
      () => {
        if (this.isCurrent(session) && generation === this.assignment) consumer.resume(byTopic);
      },
      (e: unknown) => {
        if (this.isCurrent(session)) this.restart(`Could not find where to resume the partitions of group '${this.groupId}'`, e);
      },
    );
  }

  private async position(session: number, generation: number, consumer: Consumer, tps: readonly TopicPartition[]): Promise<void> {
    await this.storeChain.catch(() => undefined);
    const lease = await KafkaClientCache.acquire(this.params.kafka);
    let committed: Map<string, number>;
    try {
      committed = await lease.client.committedOffsets(this.groupId, tps);
    } finally {
      lease.release();
    }
    if (!this.isCurrent(session) || generation !== this.assignment) return;
    const stored = mergeMaxOffsets(this.lastStoredOffsets(), this.storedOffsets);
    const unknown: string[] = [];
    for (const tp of tps) {
      const key = tp.toString();
      const c = committed.get(key);
      const s = stored.get(key);
      if (s !== undefined && (c === undefined || s > c)) {
        log.info({ streamId: this.streamId, partition: key, committed: c, stored: s }, `Resuming ${key} at offset ${s}, after the last block stored (committed: ${c ?? 'none'})`);
        consumer.seek({ topic: tp.topic, partition: tp.partition, offset: String(s) });
        this.positions.set(key, s);
      } else if (c !== undefined) {
        this.positions.set(key, c);
      } else {
        this.positions.delete(key);
        unknown.push(key);
      }
      this.positioned.add(key);
    }
    if (unknown.length > 0 && this.params.kafka.autoOffsetReset === 'none') {
      throw new NoOffsetForPartitionException(unknown, this.groupId);
    }
  }

  private async onBatch(session: number, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const key = topicPartitionKey(batch.topic, batch.partition);
    // Not resolving a batch means kafkajs reads it again: right for a stopped receiver and for unpositioned partitions.
    if (!this.isCurrent(session) || !this.positioned.has(key)) return;
    const messages = batch.messages;
    let i = 0;
    const pos = this.positions.get(key);
    if (pos !== undefined) while (i < messages.length && Number(messages[i].offset) < pos) i++;
    if (i === messages.length) {
      if (messages.length > 0) payload.resolveOffset(messages[messages.length - 1].offset);
      return;
    }
    while (i < messages.length) {
      if (!this.isCurrent(session) || !payload.isRunning() || payload.isStale()) return;
      const end = Math.min(messages.length, i + this.chunkSize());
      const from = Number(messages[i].offset);
      const until = Number(messages[end - 1].offset) + 1;
      const pairs = decodePairs(this.params.kafka, batch.topic, batch.partition, messages, i, end, (e) => this.reportError(e.message, e));
      const wait = this.limiter?.reservePermits(end - i) ?? 0;
      try {
        await this.append(session, pairs, key, from, until);
      } catch (e) {
        if (this.isCurrent(session)) this.stop('Error while storing block into Spark', e);
        return;
      }
      payload.resolveOffset(messages[end - 1].offset);
      this.positions.set(key, until);
      await payload.heartbeat();
      if (wait > 0) await this.sleepWithHeartbeats(wait, payload);
      i = end;
    }
  }

  /** Records per store when a rate limit applies (about 200 ms worth), else the whole batch. */
  private chunkSize(): number {
    if (!this.limiter) return Number.MAX_SAFE_INTEGER;
    const rate = this.limiter.getCurrentLimit();
    return rate >= UNLIMITED_RATE ? Number.MAX_SAFE_INTEGER : Math.max(1, Math.floor(rate / 5));
  }

  private async sleepWithHeartbeats(ms: number, payload: EachBatchPayload): Promise<void> {
    const until = Date.now() + ms;
    while (this.active && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(until - Date.now(), this.params.heartbeatIntervalMs));
        this.sleepers.add(wake);
      });
      if (this.active) await payload.heartbeat();
    }
  }

  /** Adds records to the next block; resolves once that block is stored and its offsets committed. */
  private append(session: number, pairs: readonly [K, V][], key: string, from: number, until: number): Promise<void> {
    let block = this.pending;
    if (!block) this.pending = block = { records: [], ranges: new Map(), stored: new Deferred<void>() };
    for (let j = 0; j < pairs.length; j++) block.records.push(pairs[j]);
    const r = block.ranges.get(key);
    if (r) r[1] = until;
    else block.ranges.set(key, [from, until]);
    if (!this.flushQueued) {
      this.flushQueued = true;
      // After the store in flight (if any) and one turn of the event loop, so batches handled together share a block.
      this.storeChain = this.storeChain
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => {
          this.flushQueued = false;
          return this.storePending(session);
        });
    }
    return block.stored.promise;
  }

  private async storePending(session: number): Promise<void> {
    const block = this.pending;
    this.pending = undefined;
    if (!block) return;
    const next = new Map(this.storedOffsets);
    const offsetRanges: [string, number, number, number][] = [];
    for (const [key, [from, until]] of block.ranges) {
      const tp = TopicPartition.parse(key);
      offsetRanges.push([tp.topic, tp.partition, from, until]);
      next.set(key, until);
    }
    const metadata: KafkaBlockMetadata = { groupId: this.groupId, offsetRanges, nextOffsets: Object.fromEntries(next) };
    let error: unknown;
    for (let attempt = 1; attempt <= STORE_ATTEMPTS; attempt++) {
      try {
        await this.store(block.records, metadata);
        error = undefined;
        break;
      } catch (e) {
        error = e;
        log.warn({ err: e, streamId: this.streamId, attempt }, `Failed to store a block of ${block.records.length} Kafka records (attempt ${attempt} of ${STORE_ATTEMPTS})`);
        if (this.session !== session) break;
      }
    }
    if (error !== undefined) {
      block.stored.reject(error);
      return;
    }
    mergeMaxOffsets(this.storedOffsets, next);
    await this.commit(offsetRanges);
    block.stored.resolve();
  }

  /** Commits the stored ranges as the group member; a failure leaves them to lastStoredMetadata (logged, not fatal). */
  private async commit(ranges: readonly [string, number, number, number][]): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || ranges.length === 0) return;
    try {
      await consumer.commitOffsets(ranges.map(([topic, partition, , until]) => ({ topic, partition, offset: String(until) })));
    } catch (e) {
      log.warn(
        { err: e, streamId: this.streamId, groupId: this.groupId, ranges },
        'Stored Kafka records could not be committed; this stream resumes after them (lastStoredMetadata), another member of the group would read them again',
      );
    }
  }
}
