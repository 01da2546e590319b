import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import { ExperimentRunError } from './ExperimentErrors';

/**
 * The Kafka side of a group experiment (GroupExperiment.ts), through kafkajs' public API: topics, the seeded input
 * produced at a rate, a group's progress, and a topic's records as a `read_committed` consumer sees them.
 */
export class GroupExperimentKafka {
  private readonly kafka: Kafka;
  private admin: Admin | undefined;
  private producer: Producer | undefined;

  constructor(readonly bootstrap: string) {
    this.kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'dstreams-experiment', logLevel: logLevel.NOTHING, retry: { retries: 5 } });
  }

  async connect(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  async createTopic(topic: string, numPartitions: number): Promise<void> {
    await this.admin!.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  }

  /**
   * Writes `records` (`[key, value]`) to `topic` at `rate` records per second, in slices every 100 ms; resolves when
   * all are acknowledged. Kafka's partitioner puts every record of a key in one partition.
   */
  async produceAtRate(topic: string, records: ReadonlyArray<readonly [string, string]>, rate: number): Promise<void> {
    const slice = Math.max(1, Math.round(rate / 10));
    const started = Date.now();
    for (let i = 0; i < records.length; i += slice) {
      const due = started + (i / rate) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const messages = records.slice(i, i + slice).map(([key, value]) => ({ key, value }));
      await this.producer!.send({ topic, acks: -1, messages });
    }
  }

  /**
   * The sum of `group`'s committed offsets over `topic`'s partitions. kafkajs' admin asks the coordinator it found
   * once, so a coordinator still loading or moving (NOT_COORDINATOR on a fresh broker's first groups) is asked again.
   */
  async committed(group: string, topic: string): Promise<number> {
    let res: Awaited<ReturnType<Admin['fetchOffsets']>>;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await this.admin!.fetchOffsets({ groupId: group, topics: [topic] });
        break;
      } catch (e) {
        if ((e as { retriable?: boolean }).retriable !== true || attempt >= 20) throw e;
        await new Promise((r) => setTimeout(r, Math.min(100 * attempt, 1000)));
      }
    }
    let n = 0;
    for (const p of res[0]?.partitions ?? []) n += Math.max(0, Number(p.offset));
    return n;
  }

  /** `topic`'s end offsets (last stable: the end of what committed transactions wrote), per partition. */
  async endOffsets(topic: string): Promise<Map<number, number>> {
    return new Map((await this.admin!.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)] as [number, number]));
  }

  /** Every committed record of `topic` (`key\tvalue`), read as `read_committed` from the start to the end. */
  async readCommitted(topic: string, timeoutMs: number): Promise<string[]> {
    const end = await this.endOffsets(topic);
    const pending = new Set([...end].filter(([, e]) => e > 0).map(([p]) => p));
    const out: string[] = [];
    if (pending.size === 0) return out;
    const consumer = this.kafka.consumer({ groupId: `dstreams-experiment-reader-${process.pid}-${Date.now()}`, readUncommitted: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new ExperimentRunError('read', 0, `reading ${topic} took over ${timeoutMs} ms (partitions ${[...pending].join(', ')} not read to their end)`)), timeoutMs);
        // Every fetched batch ends here, also one of commit markers only (which eachBatch never sees): its last
        // offset reaches the partition's end.
        consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
          if (Number(payload.lastOffset) + 1 >= (end.get(payload.partition) ?? 0)) pending.delete(payload.partition);
          if (pending.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        });
        void consumer
          .run({
            eachBatch: async ({ batch }) => {
              for (const m of batch.messages) out.push(`${m.key?.toString() ?? ''}\t${m.value?.toString() ?? ''}`);
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return out;
  }
}
