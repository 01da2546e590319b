import { Kafka, type LogEntry, logLevel, Partitioners, type Producer } from 'kafkajs';
import { errorMessage } from '../../../lib/core/errors';
import { getLogger } from '../../../lib/core/logging';
import type { ResolvedKafkaParams } from '../KafkaParams';

const log = getLogger('TransactionalProducers');
const kafkajsLog = getLogger('kafkajs');

/**
 * The transactional kafkajs producers of one stream, one per `transactional.id`, connected on first use. Connecting
 * is Kafka's `initTransactions()`: it bumps the producer epoch of that id, so a producer of another process with the
 * same id (a member that was SIGKILLed, or one that lost its partitions without knowing it) is fenced, and its open
 * transaction is aborted before this one may start. Group mode uses one id per input partition (as Kafka Streams'
 * first exactly-once mode): whoever owns the partition holds the only live producer for it.
 */
export class TransactionalProducers {
  private readonly kafka: Kafka;
  private readonly producers = new Map<string, Promise<Producer>>();

  constructor(
    params: ResolvedKafkaParams,
    private readonly transactionTimeoutMs: number,
  ) {
    this.kafka = new Kafka({
      ...params.connection,
      brokers: [...params.bootstrapServers],
      clientId: `${params.clientId}-txn`,
      connectionTimeout: params.connectionTimeoutMs,
      requestTimeout: params.requestTimeoutMs,
      retry: { retries: Math.max(params.retries, 5), initialRetryTime: Math.max(50, params.retryBackoffMs), maxRetryTime: Math.max(1000, params.retryBackoffMaxMs) },
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        kafkajsLog.debug({ namespace: entry.namespace, level: entry.label, ...extra }, message);
      },
    });
  }

  /** The connected producer of `transactionalId` (connecting it fences every older producer of that id). */
  get(transactionalId: string): Promise<Producer> {
    let p = this.producers.get(transactionalId);
    if (!p) {
      const producer = this.kafka.producer({
        transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: this.transactionTimeoutMs,
        allowAutoTopicCreation: false,
        // Java's murmur2 partitioner: a keyed record lands where a Java producer (or Kafka Streams) would put it.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const started = Date.now();
      p = producer.connect().then(() => {
        log.debug({ transactionalId, ms: Date.now() - started }, 'transactional producer ready');
        return producer;
      });
      const created = p;
      created.catch(() => {
        if (this.producers.get(transactionalId) === created) this.producers.delete(transactionalId);
      });
      this.producers.set(transactionalId, created);
    }
    return p;
  }

  has(transactionalId: string): boolean {
    return this.producers.has(transactionalId);
  }

  /** Disconnects the producer of `transactionalId` (its partition was released). */
  async close(transactionalId: string): Promise<void> {
    const p = this.producers.get(transactionalId);
    if (!p) return;
    this.producers.delete(transactionalId);
    await p.then((producer) => producer.disconnect()).catch((e: unknown) => log.debug({ transactionalId, err: errorMessage(e) }, 'closing a producer failed'));
  }

  /** Forgets a producer that was fenced (another process took its id): it can do nothing any more. */
  forget(transactionalId: string): void {
    const p = this.producers.get(transactionalId);
    this.producers.delete(transactionalId);
    void p?.then((producer) => producer.disconnect()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((id) => this.close(id)));
  }
}
