import { faultPoint } from '../../../lib/core/FaultPoints';
import { getLogger } from '../../../lib/core/logging';
import { StreamingConf } from '../../../lib/core/StreamingConf';
import type { SparkConf } from '../../../lib/core/SparkConf';
import type { ConsumerRecord } from '../ConsumerRecord';
import { KafkaClientCache } from '../KafkaClientCache';
import { readOffsetRange } from '../KafkaDataConsumer';
import { type ResolvedKafkaParams, resolveKafkaParams } from '../KafkaParams';
import { OffsetRange } from '../OffsetRange';
import { TopicPartition } from '../TopicPartition';
import type { TransactionRecord } from './BatchCommitter';
import type { KafkaGroupEvents } from './KafkaGroupEvents';
import { ensureTopic } from './KafkaTopics';
import type { PartitionStateStore, StateEntry } from './PartitionStateStore';

const log = getLogger('StateChangelog');

/** How the changelog encodes a state (updateStateByKey: the state; mapWithState: the state and its update time). */
export interface ChangelogCodec<S> {
  encode(entry: StateEntry<S>): string;
  decode(text: string, batchMs: number): StateEntry<S>;
}

/** updateStateByKey: the state as JSON. */
export function stateCodec<S>(): ChangelogCodec<S> {
  return {
    encode: (e) => JSON.stringify(e.state),
    decode: (text, batchMs) => ({ state: JSON.parse(text) as S, updatedMs: batchMs }),
  };
}

/** mapWithState: `[state, updateTimeMs]` as JSON (timeouts continue where they were). */
export function timedStateCodec<S>(): ChangelogCodec<S> {
  return {
    encode: (e) => JSON.stringify([e.state, e.updatedMs]),
    decode: (text) => {
      const [state, updatedMs] = JSON.parse(text) as [S, number];
      return { state, updatedMs };
    },
  };
}

/** `<appName>-<streamName>-changelog`, with the characters Kafka refuses in topic names replaced by `_`. */
export function changelogTopicName(appName: string, streamName: string): string {
  return `${appName}-${streamName}-changelog`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 249);
}

/**
 * The compacted changelog topic of one group-mode stateful stream (Kafka Streams' store changelog): partition `p`
 * holds the state changes of input partition `p`, one record per changed key (key and state as JSON, `null` for a
 * removed key). Changes are written in the batch's transaction for that input partition, with its output and input
 * offset, so what the changelog holds (read `read_committed`) is the state after exactly the committed input.
 * A member that gains a partition reads its changelog partition from the start to the end before the partition's
 * first batch: with compaction that is about one record per key.
 */
export class StateChangelog<K, S> {
  private ensured: Promise<void> | undefined;
  private readonly readParams: ResolvedKafkaParams<string, string>;
  private readonly pollTimeoutMs: number;

  constructor(
    readonly topic: string,
    readonly streamName: string,
    private readonly inputTopic: string,
    private readonly params: ResolvedKafkaParams,
    private readonly codec: ChangelogCodec<S>,
    private readonly events: KafkaGroupEvents,
    conf: SparkConf,
  ) {
    this.readParams = resolveKafkaParams<string, string>({
      ...params.original,
      'isolation.level': 'read_committed',
      'key.deserializer': 'StringDeserializer',
      'value.deserializer': 'StringDeserializer',
    });
    this.pollTimeoutMs = StreamingConf.KAFKA_CONSUMER_POLL_MS.read(conf) ?? 120_000;
  }

  /** The change record of `key` (`entry` undefined: removed) for input partition `partition`. */
  record(partition: number, key: K, entry: StateEntry<S> | undefined): TransactionRecord {
    return { topic: this.topic, partition, key: JSON.stringify(key), value: entry === undefined ? null : this.codec.encode(entry) };
  }

  /** Makes the topic (compacted, one partition per input partition) the first time a member needs it. */
  ensure(): Promise<void> {
    this.ensured ??= (async () => {
      const lease = await KafkaClientCache.acquire(this.params, true);
      let partitions: number;
      try {
        partitions = (await lease.client.partitionsFor([this.inputTopic])).get(this.inputTopic)!.length;
      } finally {
        lease.release();
      }
      await ensureTopic(this.params, this.topic, partitions, { 'cleanup.policy': 'compact' });
    })();
    this.ensured.catch(() => (this.ensured = undefined));
    return this.ensured;
  }

  /**
   * Fills `store` with input partition `partition`'s state: the changelog partition from its start to its last
   * stable offset, the last record of each key winning. Stops early (returns false) once `cancelled()`.
   */
  async restore(store: PartitionStateStore<K, S, unknown>, cancelled: () => boolean): Promise<boolean> {
    await this.ensure();
    const started = Date.now();
    const p = TopicPartition.parse(store.partition).partition;
    const tp = new TopicPartition(this.topic, p);
    const lease = await KafkaClientCache.acquire(this.readParams, true);
    let records = 0;
    try {
      const client = lease.client;
      const low = (await client.listOffsets([tp], 'earliest')).get(tp.toString())!;
      const high = (await client.listOffsets([tp], 'latest')).get(tp.toString())!;
      if (high > low) {
        const half = low + Math.floor((high - low) / 2);
        let faulted = false;
        const map = store.map;
        const codec = this.codec;
        await readOffsetRange(
          client,
          this.readParams,
          new OffsetRange(this.topic, p, low, high),
          (r: ConsumerRecord<string, string>) => {
            records++;
            const key = JSON.parse(r.key) as K;
            if (r.value === null) map.delete(key);
            else map.set(key, codec.decode(r.value, r.timestamp));
            if (!faulted && r.offset >= half) {
              faulted = true;
              faultPoint('group.mid-restore');
            }
          },
          { pollTimeoutMs: this.pollTimeoutMs, allowNonConsecutiveOffsets: true },
        );
      }
      if (cancelled()) return false;
    } finally {
      lease.release();
    }
    const ms = Date.now() - started;
    log.info({ stream: this.streamName, partition: store.partition, changelog: tp.toString(), keys: store.map.size, records, ms }, 'restored state from the changelog');
    this.events.emit({ kind: 'restored', stream: this.streamName, partition: store.partition, changelog: tp.toString(), keys: store.map.size, records, ms });
    return true;
  }
}
