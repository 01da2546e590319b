/**
 * Kafka output for DStreams, added to the class here (declaration merging; receivers/kafka/index.ts imports this):
 * `toKafka(topic[, serializer])`, exactly-once output in the batch's Kafka transaction, and `through(topic)`,
 * group mode's repartition by key through a topic (Kafka Streams' `through`). Spark has neither (its Kafka sink is
 * Structured Streaming's).
 */
import '../../../lib/streaming';
import type { Time } from '../../../lib/core/Time';
import type { RDD } from '../../../lib/rdd/RDD';
import { DStream } from '../../../lib/streaming/dstream/DStream';
import { ForEachDStream } from '../../../lib/streaming/dstream/ForEachDStream';
import type { ConsumerRecord } from '../ConsumerRecord';
import { ConsumerStrategies } from '../ConsumerStrategy';
import { DirectKafkaInputDStream } from '../DirectKafkaInputDStream';
import { KafkaClientCache } from '../KafkaClientCache';
import { LocationStrategies } from '../LocationStrategy';
import type { BatchCommitter, TransactionRecord } from './BatchCommitter';
import { GroupModeConfigException } from './GroupErrors';
import { kafkaPartitionOf, kafkaSourcesOf } from './GroupLineage';
import { ensureTopic } from './KafkaTopics';

/** What toKafka writes for one element: Kafka's `ProducerRecord` fields (the topic is toKafka's). */
export interface KafkaOutputRecord {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  /** Kafka's partitioner (murmur2 of the key, as Java's) picks one when absent. */
  readonly partition?: number;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
}

declare module '../../../lib/streaming/dstream/DStream' {
  interface DStream<T> {
    /**
     * Writes each batch to Kafka `topic` in a Kafka transaction together with the batch's input offsets (the
     * `group.id` of the direct stream it reads), committed once every output operation of the batch ran: a consumer
     * with `isolation.level=read_committed` sees each batch's output once, across kills, restarts and (group mode)
     * rebalances. Elements become records by `serializer`; by default a `[key, value]` pair is key and value, any
     * other element the value, strings as they are and other values as JSON. In group mode each input partition's
     * output goes in that partition's transaction, so the stream must keep the Kafka partitioning (no shuffle).
     * No Spark equivalent (Structured Streaming's Kafka sink is at-least-once).
     */
    toKafka(topic: string, serializer?: (element: T) => KafkaOutputRecord): void;
    /**
     * Group mode: writes the pairs to `topic` keyed by their key (in the batch's transactions) and reads them back as
     * a new group-mode stream, so that each key's records are in one partition, owned by one member: what
     * updateStateByKey and mapWithState need after the key changed (Kafka Streams' `through`). Keys and values go
     * as JSON; the topic is made (as many partitions as the input) if missing. Outside group mode every process sees
     * every partition already, and `through` returns the stream itself.
     */
    through<K, V>(this: DStream<[K, V]>, topic: string): DStream<[K, V]>;
  }
}

function text(v: unknown): string | Buffer | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  return JSON.stringify(v);
}

/** The default serializer: a pair is key and value, anything else the value. */
function defaultRecord(element: unknown): KafkaOutputRecord {
  if (Array.isArray(element) && element.length === 2) return { key: text(element[0]), value: text(element[1]) };
  return { key: null, value: text(element) };
}

/** The direct streams `stream` reads and the committer its batches write into. */
function committerOf(stream: DStream<unknown>, operator: string): { sources: DirectKafkaInputDStream<unknown, unknown>[]; group: boolean; single?: BatchCommitter } {
  const sources = kafkaSourcesOf(stream);
  if (sources.length === 0) {
    throw new GroupModeConfigException(`${operator} (${stream})`, 'it commits the input offsets of each batch with its output, so it must read a direct Kafka stream (createDirectStream)');
  }
  const grouped = sources.filter((s) => s.group !== undefined).length;
  if (grouped > 0 && grouped < sources.length) {
    throw new GroupModeConfigException(`${operator} (${stream})`, `it reads ${grouped} group-mode and ${sources.length - grouped} other direct streams; their batches commit differently`);
  }
  if (grouped > 0) return { sources, group: true };
  if (sources.length > 1) {
    throw new GroupModeConfigException(`${operator} (${stream})`, `outside group mode it commits one stream's offsets with its output, and it reads ${sources.length}`);
  }
  return { sources, group: false, single: sources[0].transactionalCommitter() };
}

/**
 * Puts each partition's records into batch `time`'s transaction: in group mode the transaction of the Kafka
 * partition the RDD partition came from (whichever source stream reads it), else the batch's one transaction.
 */
async function writeBatch<T>(
  rdd: RDD<T>,
  time: Time,
  operator: string,
  target: ReturnType<typeof committerOf>,
  toRecords: (element: T, out: TransactionRecord[]) => void,
): Promise<void> {
  const t = time.milliseconds;
  await rdd.sc.dagScheduler.runJob(
    rdd,
    (ctx) => {
      const out: TransactionRecord[] = [];
      return {
        sink: (x: T) => toRecords(x, out),
        finish: () => {
          if (!target.group) {
            target.single!.add(t, '*', out);
            return;
          }
          const partition = kafkaPartitionOf(rdd.partitions[ctx.partitionId]);
          if (partition === undefined) {
            throw new GroupModeConfigException(
              operator,
              `partition ${ctx.partitionId} of ${rdd} holds no single Kafka partition's records (a shuffle or repartition came after the direct stream), so no transaction of an input partition can take it`,
            );
          }
          const committer = target.sources.find((s) => s.group!.committer.rangesOf(t)?.some((r) => `${r.topic}-${r.partition}` === partition))?.group!.committer;
          if (!committer) throw new GroupModeConfigException(operator, `batch ${time} has no open transaction for ${partition}`);
          committer.add(t, partition, out);
        },
      };
    },
    operator,
  );
}

/** Fails (once, naming the topic) when `topic` does not exist: toKafka does not create its output topics. */
function topicCheck(sources: readonly DirectKafkaInputDStream<unknown, unknown>[], topic: string): () => Promise<void> {
  let checked: Promise<void> | undefined;
  return () => {
    checked ??= (async () => {
      const lease = await KafkaClientCache.acquire(sources[0].consumerStrategy.kafkaParams, true);
      try {
        await lease.client.partitionsFor([topic]);
      } finally {
        lease.release();
      }
    })();
    checked.catch(() => (checked = undefined));
    return checked;
  };
}

DStream.prototype.toKafka = function <T>(this: DStream<T>, topic: string, serializer?: (element: T) => KafkaOutputRecord): void {
  const target = committerOf(this as DStream<unknown>, 'toKafka');
  const check = topicCheck(target.sources, topic);
  const serialize = serializer ?? (defaultRecord as (element: T) => KafkaOutputRecord);
  new ForEachDStream(
    this,
    async (rdd, time) => {
      await check();
      await writeBatch(rdd, time, 'toKafka', target, (x, out) => {
        const r = serialize(x);
        out.push({ topic, key: r.key, value: r.value, partition: r.partition, headers: r.headers as TransactionRecord['headers'] });
      });
    },
    'toKafka',
  );
};

DStream.prototype.through = function <K, V>(this: DStream<[K, V]>, topic: string): DStream<[K, V]> {
  const sources = kafkaSourcesOf(this as DStream<unknown>);
  const grouped = sources.filter((s) => s.group !== undefined);
  if (grouped.length === 0) return this;
  const target = committerOf(this as DStream<unknown>, 'through');
  const source = grouped[0];
  const params = source.consumerStrategy.kafkaParams;
  new ForEachDStream(
    this,
    (rdd, time) => writeBatch(rdd, time, 'through', target, (x, out) => void out.push({ topic, key: JSON.stringify(x[0]), value: JSON.stringify(x[1]) })),
    'through',
  );
  const reader = new DirectKafkaInputDStream<string, string>(
    this.ssc,
    LocationStrategies.PreferConsistent(),
    ConsumerStrategies.Subscribe<string, string>([topic], {
      ...params.original,
      'key.deserializer': 'StringDeserializer',
      'value.deserializer': 'StringDeserializer',
      'isolation.level': 'read_committed',
      'auto.offset.reset': 'earliest',
    }),
    source.perPartitionConfig,
  );
  // A transactional topic has offsets without records (its commit markers).
  reader.allowNonConsecutiveOffsets = true;
  const inputTopics = source.group!.options.topics;
  reader.beforeStart.push(async () => {
    const lease = await KafkaClientCache.acquire(params, true);
    let partitions = 0;
    try {
      for (const n of (await lease.client.partitionsFor(inputTopics)).values()) partitions = Math.max(partitions, n.length);
    } finally {
      lease.release();
    }
    await ensureTopic(params, topic, partitions, {});
  });
  return reader.map((r: ConsumerRecord<string, string>) => [JSON.parse(r.key) as K, JSON.parse(r.value) as V] as [K, V]);
};
