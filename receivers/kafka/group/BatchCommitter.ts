import type { Message } from 'kafkajs';
import { errorMessage } from '../../../lib/core/errors';
import { faultPoint } from '../../../lib/core/FaultPoints';
import { getLogger } from '../../../lib/core/logging';
import type { OffsetRange } from '../OffsetRange';
import type { ResolvedKafkaParams } from '../KafkaParams';
import { KafkaTransactionException } from './GroupErrors';
import type { KafkaGroupEvents } from './KafkaGroupEvents';
import { TransactionalProducers } from './TransactionalProducers';

const log = getLogger('BatchCommitter');

/** A record a batch writes inside its transaction: output (toKafka, through) or a changelog entry. */
export interface TransactionRecord extends Message {
  readonly topic: string;
}

/**
 * How a stream's batches commit: `partition`, one transaction per input partition (group mode: the partition's
 * output, changelog records and offset), or `batch`, one transaction for the whole batch (a single process).
 */
export type CommitMode = 'partition' | 'batch';

/** What happened to a partition whose transaction did not commit. */
export type PartitionFailure = 'fenced' | 'failed';

interface BatchBuffer {
  readonly ranges: readonly OffsetRange[];
  readonly records: Map<string, TransactionRecord[]>;
}

/** The key of the whole batch's buffer in `batch` mode. */
const WHOLE = '*';

/**
 * Commits each batch's Kafka output together with its input offsets, once the batch's output operations have all
 * run: a transaction holds the records the batch wrote (toKafka, through, state changelogs) and `sendOffsets` of
 * the batch's ranges for the stream's group, and is committed or aborted as one. A `read_committed` consumer
 * therefore sees a batch's output once or not at all, and the group's offsets say exactly which input it covers:
 * after a kill, the next owner of a partition starts from there, with the state its changelog holds then.
 *
 * Transactions of successive batches are committed in order, one batch at a time; a batch whose jobs failed, or whose
 * transaction for a partition failed, aborts there and the partition is reset by its owner (read back from Kafka)
 * before its next batch, so a later batch never commits offsets past input whose output was lost.
 */
export class BatchCommitter {
  /** Called for partitions whose commit failed (`partition` mode); their later batches are not committed. */
  onPartitionFailed: (partitions: readonly string[], failure: PartitionFailure, error: Error) => void = () => undefined;
  /** Called when a `batch`-mode commit fails: the stream cannot go on without losing that batch's output. */
  onBatchFailed: (error: Error) => void = () => undefined;

  readonly producers: TransactionalProducers;
  private readonly buffers = new Map<number, BatchBuffer>();
  private chain: Promise<void> = Promise.resolve();
  /** Partitions whose transaction failed: nothing more is committed for them until they are reset. */
  private readonly poisoned = new Set<string>();
  private lastPlanned = -1;
  private readonly committedWaiters: Array<{ timeMs: number; resolve: () => void }> = [];
  private lastCommitted = -1;
  private lastCompleted = -1;
  private readonly completedWaiters: Array<{ timeMs: number; resolve: () => void }> = [];

  constructor(
    readonly streamName: string,
    readonly groupId: string,
    params: ResolvedKafkaParams,
    readonly mode: CommitMode,
    transactionTimeoutMs: number,
    readonly events: KafkaGroupEvents,
  ) {
    this.producers = new TransactionalProducers(params, transactionTimeoutMs);
  }

  /** The `transactional.id` of a partition (`partition` mode) or of the whole stream (`batch` mode). */
  transactionalId(partition: string): string {
    return this.mode === 'partition' ? `dstreams-${this.groupId}-${partition}` : `dstreams-${this.groupId}`;
  }

  /** The ranges of batch `timeMs` (the stream calls this in `compute`). */
  planned(timeMs: number, ranges: readonly OffsetRange[]): void {
    this.buffers.set(timeMs, { ranges, records: new Map() });
    if (timeMs > this.lastPlanned) this.lastPlanned = timeMs;
  }

  /** Whether batch `timeMs` is planned and not committed yet (toKafka refuses writes into other batches). */
  isOpen(timeMs: number): boolean {
    return this.buffers.has(timeMs);
  }

  /** The ranges of an open batch. */
  rangesOf(timeMs: number): readonly OffsetRange[] | undefined {
    return this.buffers.get(timeMs)?.ranges;
  }

  /** Adds records to batch `timeMs`'s transaction for `partition` (any key in `batch` mode). */
  add(timeMs: number, partition: string, records: readonly TransactionRecord[]): void {
    if (records.length === 0) return;
    const b = this.buffers.get(timeMs);
    if (!b) throw new KafkaTransactionException(this.transactionalId(partition), timeMs, `is not open (${this.streamName} has no such batch, or it was committed already)`);
    const key = this.mode === 'batch' ? WHOLE : partition;
    let list = b.records.get(key);
    if (!list) b.records.set(key, (list = []));
    for (let i = 0; i < records.length; i++) list.push(records[i]);
  }

  /** Fences every other producer of `partition`'s transactional id (a partition being acquired). */
  async fence(partition: string): Promise<void> {
    this.poisoned.delete(partition);
    await this.producers.get(this.transactionalId(partition));
  }

  /** Lets a released partition's producer go. */
  async release(partition: string): Promise<void> {
    await this.producers.close(this.transactionalId(partition));
  }

  /** Batch `timeMs` completed (its outputs ran; `failed` if one of them failed): commit it, after the batches before it. */
  onBatchCompleted(timeMs: number, failed: boolean): void {
    const b = this.buffers.get(timeMs);
    if (!b) return;
    this.buffers.delete(timeMs);
    this.lastCompleted = Math.max(this.lastCompleted, timeMs);
    for (const w of this.completedWaiters.splice(0)) {
      if (w.timeMs <= this.lastCompleted) w.resolve();
      else this.completedWaiters.push(w);
    }
    this.chain = this.chain.then(async () => {
      try {
        if (failed) this.abandon(timeMs, b, 'one of its output operations failed');
        else if (this.mode === 'partition') await this.commitPartitions(timeMs, b);
        else await this.commitWhole(timeMs, b);
      } catch (e) {
        log.error({ stream: this.streamName, batch: timeMs, err: e }, `committing batch ${timeMs} failed`);
      }
      this.lastCommitted = Math.max(this.lastCommitted, timeMs);
      for (const w of this.committedWaiters.splice(0)) {
        if (w.timeMs <= this.lastCommitted) w.resolve();
        else this.committedWaiters.push(w);
      }
    });
  }

  /** Resolves once every batch planned so far is committed (or abandoned); a rebalance waits for this. */
  flush(): Promise<void> {
    const t = this.lastPlanned;
    if (t <= this.lastCommitted) return this.chain;
    return new Promise((resolve) => this.committedWaiters.push({ timeMs: t, resolve }));
  }

  /**
   * Resolves once every batch planned so far has completed (its outputs ran; its commit may still be under way): the
   * group-mode stream plans a batch only then, so batches do not queue up while the commit of one overlaps the
   * next batch's work.
   */
  completed(): Promise<void> {
    const t = this.lastPlanned;
    if (t <= this.lastCompleted) return Promise.resolve();
    return new Promise((resolve) => this.completedWaiters.push({ timeMs: t, resolve }));
  }

  /** Resolves once batch `timeMs` (or a later one) is committed or abandoned. */
  whenCommitted(timeMs: number): Promise<void> {
    if (timeMs <= this.lastCommitted) return Promise.resolve();
    return new Promise((resolve) => this.committedWaiters.push({ timeMs, resolve }));
  }

  /** Forgets open batches (a stop that did not let them complete) and closes the producers. */
  async close(): Promise<void> {
    await this.chain;
    for (const [t] of this.buffers) log.info({ stream: this.streamName, batch: t }, 'batch not completed at stop: nothing of it committed');
    this.buffers.clear();
    for (const w of this.committedWaiters.splice(0)) w.resolve();
    for (const w of this.completedWaiters.splice(0)) w.resolve();
    await this.producers.closeAll();
  }

  private abandon(timeMs: number, b: BatchBuffer, why: string): void {
    const parts = b.ranges.map((r) => `${r.topic}-${r.partition}`);
    log.warn({ stream: this.streamName, batch: timeMs, partitions: parts }, `batch ${timeMs} not committed: ${why}`);
    const error = new KafkaTransactionException(this.transactionalId(parts[0] ?? WHOLE), timeMs, `was not committed: ${why}`);
    if (this.mode === 'batch') this.onBatchFailed(error);
    else {
      for (const p of parts) this.poisoned.add(p);
      this.onPartitionFailed(parts, 'failed', error);
    }
  }

  private async commitPartitions(timeMs: number, b: BatchBuffer): Promise<void> {
    const started = Date.now();
    const done: string[] = [];
    let records = 0;
    let inputRecords = 0;
    const failures = new Map<string, { failure: PartitionFailure; error: Error }>();
    await Promise.all(
      b.ranges.map(async (r) => {
        const partition = `${r.topic}-${r.partition}`;
        if (this.poisoned.has(partition)) return;
        const out = b.records.get(partition) ?? [];
        if (r.count() === 0 && out.length === 0) return;
        const id = this.transactionalId(partition);
        try {
          await this.transact(id, out, [r]);
          done.push(partition);
          records += out.length;
          inputRecords += r.count();
        } catch (e) {
          const fenced = isFenced(e);
          if (fenced) this.producers.forget(id);
          this.poisoned.add(partition);
          failures.set(partition, { failure: fenced ? 'fenced' : 'failed', error: new KafkaTransactionException(id, timeMs, fenced ? 'was fenced: another member owns the partition now' : `failed: ${errorMessage(e)}`, e) });
        }
      }),
    );
    for (const [key] of b.records) {
      if (!b.ranges.some((r) => `${r.topic}-${r.partition}` === key)) log.error({ stream: this.streamName, batch: timeMs, partition: key }, 'records for a partition the batch does not read were dropped');
    }
    if (done.length > 0) this.events.emit({ kind: 'committed', batch: timeMs, partitions: done.sort(), records, inputRecords, ms: Date.now() - started });
    for (const [partition, f] of failures) {
      log.warn({ stream: this.streamName, batch: timeMs, partition, err: f.error.message }, f.error.message);
      this.onPartitionFailed([partition], f.failure, f.error);
    }
  }

  private async commitWhole(timeMs: number, b: BatchBuffer): Promise<void> {
    const out = b.records.get(WHOLE) ?? [];
    const ranges = b.ranges.filter((r) => r.count() > 0);
    if (out.length === 0 && ranges.length === 0) return;
    const started = Date.now();
    const id = this.transactionalId(WHOLE);
    try {
      await this.transact(id, out, ranges);
    } catch (e) {
      const error = new KafkaTransactionException(id, timeMs, `failed: ${errorMessage(e)}`, e);
      this.onBatchFailed(error);
      throw error;
    }
    let inputRecords = 0;
    for (const r of ranges) inputRecords += r.count();
    this.events.emit({ kind: 'committed', batch: timeMs, partitions: ranges.map((r) => `${r.topic}-${r.partition}`), records: out.length, inputRecords, ms: Date.now() - started });
  }

  /** One transaction: the records, then the ranges' until-offsets for the group, then commit (abort on failure). */
  private async transact(id: string, records: readonly TransactionRecord[], ranges: readonly OffsetRange[]): Promise<void> {
    const producer = await this.producers.get(id);
    const tx = await producer.transaction();
    try {
      if (records.length > 0) {
        const byTopic = new Map<string, Message[]>();
        for (const r of records) {
          let list = byTopic.get(r.topic);
          if (!list) byTopic.set(r.topic, (list = []));
          list.push({ key: r.key, value: r.value, partition: r.partition, headers: r.headers });
        }
        await tx.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      }
      const offsets = new Map<string, { partition: number; offset: string }[]>();
      for (const r of ranges) {
        let list = offsets.get(r.topic);
        if (!list) offsets.set(r.topic, (list = []));
        list.push({ partition: r.partition, offset: String(r.untilOffset) });
      }
      if (offsets.size > 0) await tx.sendOffsets({ consumerGroupId: this.groupId, topics: [...offsets].map(([topic, partitions]) => ({ topic, partitions })) });
      faultPoint('kafka.txn-open');
      await tx.commit();
    } catch (e) {
      if (tx.isActive()) await tx.abort().catch(() => undefined);
      throw e;
    }
  }
}

/** Whether a kafkajs error says another producer took this transactional id. */
function isFenced(e: unknown): boolean {
  const err = e as { type?: string; cause?: unknown; message?: string } | undefined;
  for (let x: typeof err = err, i = 0; x && i < 5; x = x.cause as typeof err, i++) {
    if (x.type === 'INVALID_PRODUCER_EPOCH' || x.type === 'PRODUCER_FENCED' || x.type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED') return true;
    if (/fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/i.test(x.message ?? '')) return true;
  }
  return false;
}
