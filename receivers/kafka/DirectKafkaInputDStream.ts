import '../../lib/streaming'; // installs the DStream operations (map, foreachRDD, ...) on this stream
import { SparkException } from '../../lib/core/errors';
import { getLogger } from '../../lib/core/logging';
import { StreamingConf } from '../../lib/core/StreamingConf';
import { Time } from '../../lib/core/Time';
import { streamInputInfo, METADATA_KEY_DESCRIPTION } from '../../lib/scheduler/StreamInputInfo';
import type { StreamingListener, StreamingListenerBatchCompleted } from '../../lib/scheduler/StreamingListener';
import { InputDStream } from '../../lib/streaming/dstream/InputDStream';
import type { StreamingContext } from '../../lib/streaming/StreamingContext';
import { createRateEstimator } from '../rate/RateEstimator';
import type { RateController } from '../rate/RateController';
import type { ConsumerRecord } from './ConsumerRecord';
import type { ConsumerStrategy } from './ConsumerStrategy';
import { DirectKafkaRateController } from './DirectKafkaRateController';
import type { CanCommitOffsets, OffsetCommitCallback } from './HasOffsetRanges';
import type { KafkaClient } from './KafkaClient';
import { KafkaClientCache, type KafkaClientLease } from './KafkaClientCache';
import {
  CommitFailedException,
  InvalidGroupIdException,
  KafkaBrokerUnreachableException,
  NoOffsetForPartitionException,
  OffsetOutOfRangeException,
  UnknownTopicException,
} from './KafkaExceptions';
import { KafkaRDD } from './KafkaRDD';
import type { LocationStrategy } from './LocationStrategy';
import { clampOffsets, maxMessagesPerPartition } from './MaxMessagesPerPartition';
import { OffsetRange, type OffsetRangeTuple } from './OffsetRange';
import type { PerPartitionConfig } from './PerPartitionConfig';
import { compareTopicPartitions, TopicPartition } from './TopicPartition';
import type { BatchCommitter } from './group/BatchCommitter';
import { groupMemberFor, singleProcessCommitter } from './group/GroupMode';
import { checkGroupModeGraph } from './group/GroupModeGuard';
import { claimCheckpointDir } from './group/MemberCheckpointDir';
import type { KafkaGroupMember } from './group/KafkaGroupMember';

const log = getLogger('DirectKafkaInputDStream');

/**
 * The direct stream's checkpoint data (Spark's `DirectKafkaInputDStreamCheckpointData` plus the `currentOffsets`
 * field Spark serializes with the stream): plain JSON. The checkpoint machinery stores the stream's
 * `checkpointData` and gives it back before `restoreCheckpointData()`.
 */
export interface DirectKafkaCheckpointData {
  readonly kind: 'DirectKafkaInputDStream';
  /** Batch time (ms) → the offset ranges of its KafkaRDD, for every batch the stream still remembers. */
  readonly batches: ReadonlyArray<readonly [timeMs: number, ranges: readonly OffsetRangeTuple[]]>;
  /** The next offset to read per partition when the checkpoint was taken: `[topic, partition, offset]`. */
  readonly currentOffsets: ReadonlyArray<readonly [topic: string, partition: number, offset: number]>;
}

/**
 * A stream of Kafka records read without a receiver: Spark's `DirectKafkaInputDStream` (kafka-0-10), made by
 * `KafkaUtils.createDirectStream`. Each batch's offset ranges are fixed on the driver before the batch runs:
 *
 * 1. before jobs are generated for time t (`prepareForBatch`), the consumer strategy says which partitions exist now
 *    (new partitions start at the group's committed offset, else per `auto.offset.reset`), and the latest offsets are
 *    read from the brokers;
 * 2. the ranges `[current, min(current + maxMessagesPerPartition, latest))` are capped by
 *    `spark.streaming.kafka.maxRatePerPartition` × batch seconds and, with `spark.streaming.backpressure.enabled`, by
 *    the rate controller's estimate (or `spark.streaming.backpressure.initialRate` before the first one);
 * 3. `compute(t)` returns a KafkaRDD over exactly those ranges, one RDD partition per Kafka partition.
 *
 * Offsets live in the stream (and in the checkpoint: recovery re-reads the same ranges). `commitAsync(ranges)`
 * stores them in Kafka for the `group.id` too: right after the batch's output operations complete, and on stop,
 * not at the next batch as in Spark (SPARK-20050). Offsets that left the log (retention) or point past its end (a
 * recreated topic) follow `auto.offset.reset`: `earliest`/`latest` move there with a warning, `none` is an
 * OffsetOutOfRangeException. When the brokers cannot be reached while a batch is planned, that batch reads nothing
 * and the next batch resumes from the same offsets (a warning is logged); at start, it is an error.
 *
 * Group mode (`dstreams.kafka.groupMode`, docs/scaling-out.md; no Spark equivalent): with `Subscribe`, the stream
 * joins its consumer group ({@link group}) and each batch reads only the partitions the group gave this process;
 * partitions move at batch boundaries, and each batch commits its offsets (with its Kafka output and state
 * changelogs) in Kafka transactions, so the group's offsets, not the checkpoint, say where a partition resumes.
 */
export class DirectKafkaInputDStream<K, V> extends InputDStream<ConsumerRecord<K, V>> implements CanCommitOffsets {
  /** The next offset to read, per `topic-partition` (Spark's `currentOffsets`). */
  readonly currentOffsets = new Map<string, number>();
  /** Plain-JSON checkpoint data, updated with each checkpoint (see {@link DirectKafkaCheckpointData}). */
  checkpointData: DirectKafkaCheckpointData | undefined;
  /** Backpressure (Spark's `rateController`): present when `spark.streaming.backpressure.enabled`; tests may replace it before start. */
  rateController: RateController | undefined;

  private lease: KafkaClientLease | undefined;
  /** Until-offsets fixed by `prepareForBatch`, by batch time. */
  private readonly planned = new Map<number, Map<string, number>>();
  private readonly initialRate: number;
  private commitQueue: OffsetRange[] = [];
  private commitCallbacks: OffsetCommitCallback[] = [];
  private commitChain: Promise<void> = Promise.resolve();
  private listener: StreamingListener | undefined;
  /** The consumer-group side in group mode (`dstreams.kafka.groupMode` with `Subscribe`); undefined otherwise. */
  readonly group: KafkaGroupMember | undefined;
  /** Reads its ranges allowing gaps whatever the conf says (set by `through`: a transactional topic has markers). */
  allowNonConsecutiveOffsets: boolean | undefined;
  /** Async work before the stream connects (`through` makes its topic). */
  readonly beforeStart: Array<() => Promise<void>> = [];
  private singleCommitter: BatchCommitter | undefined;

  constructor(
    ssc: StreamingContext,
    readonly locationStrategy: LocationStrategy,
    readonly consumerStrategy: ConsumerStrategy<K, V>,
    readonly perPartitionConfig: PerPartitionConfig,
  ) {
    super(ssc, 'createDirectStream');
    const conf = ssc.conf;
    this.group = groupMemberFor(ssc, this.name, consumerStrategy as ConsumerStrategy<unknown, unknown>);
    this.initialRate = StreamingConf.BACKPRESSURE_INITIAL_RATE.read(conf) ?? 0;
    if (StreamingConf.BACKPRESSURE_ENABLED.read(conf)) {
      this.rateController = new DirectKafkaRateController(this.id, createRateEstimator(conf, ssc.graph.batchDuration!), (e) =>
        ssc.scheduler.listenerBus.post('onRateUpdate', e),
      );
    }
  }

  /** `Kafka 0.10 direct stream [0]`, Spark's name. */
  override get name(): string {
    return `Kafka 0.10 direct stream [${this.id}]`;
  }

  private get params() {
    return this.consumerStrategy.kafkaParams;
  }

  /**
   * Where the batches' Kafka transactions go (output written with toKafka and through, state changelogs, input
   * offsets): the group member's per-partition transactions in group mode, else one transaction per batch (made on
   * first use). Undefined until something writes transactionally outside group mode.
   */
  get committer(): BatchCommitter | undefined {
    return this.group?.committer ?? this.singleCommitter;
  }

  /** The committer, made if needed (toKafka outside group mode). */
  transactionalCommitter(): BatchCommitter {
    const c = this.committer;
    if (c) return c;
    this.singleCommitter = singleProcessCommitter(this.ssc, this.name, this.consumerStrategy as ConsumerStrategy<unknown, unknown>);
    return this.singleCommitter;
  }

  private client(): KafkaClient {
    if (!this.lease) throw new SparkException(`${this.name} is not started`);
    return this.lease.client;
  }

  /** In group mode, also refuses the operators that would need other members' partitions (GroupModeGuard.ts). */
  override validateAtStart(): void {
    super.validateAtStart();
    if (this.group) checkGroupModeGraph(this.ssc, (d) => d instanceof DirectKafkaInputDStream && d.group !== undefined, this.group.options.groupId);
  }

  // ---- lifecycle

  /**
   * Connects (bounded retries: a KafkaBrokerUnreachableException when the brokers do not answer), and fixes the
   * starting offsets of the strategy's partitions unless a checkpoint restored them. A missing topic is an
   * UnknownTopicException naming it.
   */
  async start(): Promise<void> {
    for (const hook of this.beforeStart) await hook();
    if (this.group && this.ssc.checkpointDir !== undefined) claimCheckpointDir(this.ssc.checkpointDir, this.group.name);
    this.lease = await KafkaClientCache.acquire(this.params, true);
    try {
      await this.group?.start();
      await this.latestOffsets();
    } catch (e) {
      this.lease.release();
      this.lease = undefined;
      log.error({ stream: this.name, err: e }, `${this.name} (${this.consumerStrategy}) could not start: ${(e as Error).message}`);
      throw e;
    }
    const listener: StreamingListener = {
      onBatchCompleted: (e: StreamingListenerBatchCompleted) => {
        this.rateController?.onBatchCompleted(e);
        this.committer?.onBatchCompleted(e.batchInfo.batchTime.milliseconds, e.batchInfo.failureReasons.size > 0);
        // Commits queued by this batch's output operations go out now that every output has run.
        void this.commitQueued();
      },
    };
    this.listener = listener;
    this.ssc.addStreamingListener(listener);
    log.info({ stream: this.name, strategy: String(this.consumerStrategy), offsets: Object.fromEntries(this.currentOffsets) }, 'Started');
  }

  /**
   * Commits what `commitAsync` queued (the final commit Spark loses: SPARK-20050) and the transactions of the batches
   * that completed (group mode: then leaves the group), then lets the connection go.
   */
  async stop(): Promise<void> {
    // Completed batches reach the committer through the listener bus: deliver them before it stops listening.
    if (this.committer) await this.ssc.scheduler.listenerBus.waitUntilEmpty();
    if (this.listener) this.ssc.removeStreamingListener(this.listener);
    this.listener = undefined;
    await this.commitQueued();
    if (this.group) await this.group.stop();
    else await this.singleCommitter?.close();
    this.lease?.release();
    this.lease = undefined;
  }

  // ---- batches

  /** Fixes the until-offsets of batch `time` (driver side, before its jobs exist). */
  override async prepareForBatch(time: Time): Promise<void> {
    if (this.generatedRDDs.has(time.milliseconds) || this.planned.has(time.milliseconds)) return;
    // Spark commits at the next batch; outputs of a batch already committed when it completed. This catches
    // commits queued from elsewhere (e.g. a listener).
    void this.commitQueued();
    let until: Map<string, number>;
    try {
      const latest = await this.latestOffsets();
      until = clampOffsets(latest, this.currentOffsets, this.maxMessagesPerPartition(latest));
    } catch (e) {
      if (!(e instanceof KafkaBrokerUnreachableException)) throw e;
      log.warn(
        { stream: this.name, time: String(time), err: e.message },
        `${this.name}: ${e.message}. Batch ${time} reads nothing; the next batch resumes from the same offsets`,
      );
      until = new Map(this.currentOffsets);
    }
    this.planned.set(time.milliseconds, until);
  }

  compute(validTime: Time): KafkaRDD<K, V> {
    let until = this.planned.get(validTime.milliseconds);
    this.planned.delete(validTime.milliseconds);
    if (!until) {
      log.warn({ stream: this.name, time: String(validTime) }, 'compute without prepareForBatch: an empty batch');
      until = new Map(this.currentOffsets);
    }
    const ranges: OffsetRange[] = [];
    for (const [key, u] of until) {
      const tp = TopicPartition.parse(key);
      ranges.push(new OffsetRange(tp.topic, tp.partition, this.currentOffsets.get(key) ?? u, u));
    }
    ranges.sort((a, b) => compareTopicPartitions(a, b));
    const rdd = new KafkaRDD<K, V>(this.ssc.sparkContext, this.params, ranges, 'createDirectStream', this.allowNonConsecutiveOffsets);
    let count = 0;
    for (const r of ranges) count += r.count();
    const description = ranges
      .filter((r) => r.fromOffset !== r.untilOffset)
      .sort((a, b) => b.count() - a.count())
      .map((r) => `topic: ${r.topic}\tpartition: ${r.partition}\toffsets: ${r.fromOffset} to ${r.untilOffset}\tcount: ${r.count()}`)
      .join('\n');
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, streamInputInfo(this.id, count, { offsets: ranges, [METADATA_KEY_DESCRIPTION]: description }));
    for (const [key, u] of until) this.currentOffsets.set(key, u);
    this.committer?.planned(validTime.milliseconds, ranges);
    return rdd;
  }

  /**
   * Records per partition the next batch may read, or `undefined` for no limit: Spark's `maxMessagesPerPartition`
   * (see MaxMessagesPerPartition.ts), from the current offsets and `latest`.
   */
  maxMessagesPerPartition(latest: ReadonlyMap<string, number>): Map<string, number> | undefined {
    let estimatedRate: number | undefined;
    if (this.rateController) {
      const lr = this.rateController.getLatestRate();
      estimatedRate = lr > 0 ? lr : this.initialRate;
    }
    return maxMessagesPerPartition({
      latest,
      current: this.currentOffsets,
      batchDurationMs: this.ssc.graph.batchDuration!.milliseconds,
      estimatedRate,
      perPartitionConfig: this.perPartitionConfig,
    });
  }

  /**
   * The latest offsets of the strategy's partitions now. On the way, partitions seen for the first time get their
   * starting offsets, partitions that are gone are dropped (or are an error), and current offsets outside the log
   * are reset per `auto.offset.reset`.
   */
  private async latestOffsets(): Promise<Map<string, number>> {
    const client = this.client();
    const parts = this.group ? (await this.group.partitionsForBatch()).map((k) => TopicPartition.parse(k)) : await this.consumerStrategy.partitions(client);
    const present = new Set(parts.map(String));
    const gone = [...this.currentOffsets.keys()].filter((k) => !present.has(k));
    if (gone.length > 0 && this.group) {
      // Released to another member (or lost): whoever reads them next starts at the group's committed offset.
      log.info({ stream: this.name, partitions: gone }, `${this.name}: no longer reads ${gone.join(', ')} (moved to another member of group ${this.params.groupId})`);
      for (const k of gone) this.currentOffsets.delete(k);
    } else if (gone.length > 0) {
      const where = gone.map((k) => `${k} at offset ${this.currentOffsets.get(k)}`).join(', ');
      if (this.consumerStrategy.onPartitionGone === 'error') {
        const topics = [...new Set(gone.map((k) => TopicPartition.parse(k).topic))];
        throw new UnknownTopicException(topics, `disappeared while ${this.name} read it (${where}): it was deleted`);
      }
      log.warn({ stream: this.name, partitions: gone }, `${this.name}: ${where} no longer exist (topic deleted or no longer matching); dropped`);
      for (const k of gone) this.currentOffsets.delete(k);
    }
    const low = await client.listOffsets(parts, 'earliest');
    const high = await client.listOffsets(parts, 'latest');
    const added = parts.filter((tp) => !this.currentOffsets.has(tp.toString()));
    if (added.length > 0) await this.assignStartingOffsets(client, added, low, high);
    for (const tp of parts) this.checkInRange(tp, low, high);
    const latest = new Map<string, number>();
    for (const tp of parts) latest.set(tp.toString(), high.get(tp.toString())!);
    return latest;
  }

  /**
   * Program-given offsets, else the group's committed ones, else `auto.offset.reset`. With transactional commits
   * (group mode, toKafka) the group's committed offsets come first: they say what the committed output covers.
   */
  private async assignStartingOffsets(client: KafkaClient, tps: TopicPartition[], low: Map<string, number>, high: Map<string, number>): Promise<void> {
    const given = this.consumerStrategy.offsets;
    const committedFirst = this.committer !== undefined;
    const rest = committedFirst ? tps : tps.filter((tp) => !given.has(tp.toString()));
    const groupId = this.params.groupId;
    const committed = groupId !== undefined ? await client.committedOffsets(groupId, rest) : new Map<string, number>();
    const undefinedOffsets: string[] = [];
    for (const tp of tps) {
      const key = tp.toString();
      const g = committedFirst ? (committed.get(key) ?? given.get(key)) : (given.get(key) ?? committed.get(key));
      if (g !== undefined) this.currentOffsets.set(key, g);
      else if (this.params.autoOffsetReset === 'earliest') this.currentOffsets.set(key, low.get(key)!);
      else if (this.params.autoOffsetReset === 'latest') this.currentOffsets.set(key, high.get(key)!);
      else undefinedOffsets.push(key);
    }
    if (undefinedOffsets.length > 0) throw new NoOffsetForPartitionException(undefinedOffsets, groupId);
    log.info({ stream: this.name, offsets: tps.map((tp) => `${tp}=${this.currentOffsets.get(tp.toString())}`) }, 'starting offsets');
  }

  /** A current offset outside `[logStart, logEnd]` moves per `auto.offset.reset` (or fails with `none`). */
  private checkInRange(tp: TopicPartition, low: Map<string, number>, high: Map<string, number>): void {
    const key = tp.toString();
    const cur = this.currentOffsets.get(key)!;
    const lo = low.get(key)!;
    const hi = high.get(key)!;
    if (cur >= lo && cur <= hi) return;
    const policy = this.params.autoOffsetReset;
    if (policy === 'none') {
      throw new OffsetOutOfRangeException(tp.topic, tp.partition, cur, lo, hi, `${this.name} would read from offset ${cur} and auto.offset.reset is 'none'`);
    }
    const reset = policy === 'earliest' ? lo : hi;
    const lost = cur < lo ? `; records [${cur}, ${lo}) were deleted before they were read` : '';
    log.warn(
      { stream: this.name, partition: key, offset: cur, logStart: lo, logEnd: hi, reset },
      `${this.name}: offset ${cur} of ${key} is out of range [${lo}, ${hi}]; reset to ${reset} (auto.offset.reset=${policy})${lost}`,
    );
    this.currentOffsets.set(key, reset);
  }

  // ---- commits

  /**
   * Queues `offsetRanges` to be committed to Kafka for the stream's `group.id`: Spark's `commitAsync`. Call it in
   * `foreachRDD` after your output succeeded; the commit (per partition, the highest `untilOffset` queued) goes out
   * as soon as the batch's output operations have all completed, and on stop. `callback` is called once the commit
   * is done, with the error if it failed (a failed commit is not retried: the next one carries higher offsets).
   */
  commitAsync(offsetRanges: readonly OffsetRange[], callback?: OffsetCommitCallback): void {
    if (this.params.groupId === undefined) throw new InvalidGroupIdException(`${this.name}.commitAsync`);
    const committer = this.committer;
    if (committer) {
      // The batch's transactions commit these offsets already; the callback hears when they did.
      const offsets = new Map<string, number>();
      for (const r of offsetRanges) offsets.set(`${r.topic}-${r.partition}`, r.untilOffset);
      void committer.flush().then(() => {
        if (typeof callback === 'function') callback(offsets, undefined);
        else callback?.onComplete(offsets, undefined);
      });
      return;
    }
    this.commitQueue.push(...offsetRanges);
    if (callback) this.commitCallbacks.push(callback);
  }

  /** Sends the queued commits (one commit at a time, in order); resolves when they are done. */
  private commitQueued(): Promise<void> {
    if (this.commitQueue.length === 0 && this.commitCallbacks.length === 0) return this.commitChain;
    const ranges = this.commitQueue;
    const callbacks = this.commitCallbacks;
    this.commitQueue = [];
    this.commitCallbacks = [];
    const offsets = new Map<string, number>();
    for (const r of ranges) {
      const key = `${r.topic}-${r.partition}`;
      offsets.set(key, Math.max(offsets.get(key) ?? 0, r.untilOffset));
    }
    const groupId = this.params.groupId!;
    this.commitChain = this.commitChain.then(async () => {
      let error: Error | undefined;
      let lease: KafkaClientLease | undefined;
      try {
        lease = await KafkaClientCache.acquire(this.params, true);
        await lease.client.commitOffsets(groupId, offsets);
        log.debug({ stream: this.name, groupId, offsets: Object.fromEntries(offsets) }, 'committed offsets');
      } catch (e) {
        error = new CommitFailedException(groupId, offsets, e);
        log.warn({ stream: this.name, err: error.message }, error.message);
      } finally {
        lease?.release();
      }
      for (const cb of callbacks) {
        try {
          if (typeof cb === 'function') cb(offsets, error);
          else cb.onComplete(offsets, error);
        } catch (e) {
          log.error({ stream: this.name, err: e }, 'an offset commit callback threw');
        }
      }
    });
    return this.commitChain;
  }

  // ---- checkpoints

  /** Records the ranges of every remembered batch and the current offsets (Spark's checkpoint data `update`). */
  override updateCheckpointData(time: Time): void {
    const batches: [number, OffsetRangeTuple[]][] = [];
    for (const [t, rdd] of [...this.generatedRDDs].sort((a, b) => a[0] - b[0])) {
      batches.push([t, (rdd as KafkaRDD<K, V>).offsetRanges().map((r) => r.toTuple())]);
    }
    const currentOffsets: [string, number, number][] = [];
    for (const [key, offset] of this.currentOffsets) {
      const tp = TopicPartition.parse(key);
      currentOffsets.push([tp.topic, tp.partition, offset]);
    }
    this.checkpointData = { kind: 'DirectKafkaInputDStream', batches, currentOffsets };
    super.updateCheckpointData(time);
  }

  /**
   * Rebuilds the KafkaRDDs of the checkpointed batches over the same ranges, and the current offsets. Not with
   * transactional commits (group mode, toKafka): the group's committed offsets say where each partition resumes, and
   * the recovered batches plan their ranges afresh.
   */
  override restoreCheckpointData(): void {
    const data = this.checkpointData;
    if (data !== undefined && this.committer) {
      log.info({ stream: this.name }, `${this.name}: the checkpoint's offsets are not used; partitions resume at the committed offsets of group ${this.params.groupId}`);
    } else if (data !== undefined) {
      checkShape(this.name, data);
      for (const [t, tuples] of [...data.batches].sort((a, b) => a[0] - b[0])) {
        const ranges = tuples.map((x) => OffsetRange.fromTuple(x));
        log.info({ stream: this.name, time: t, ranges: ranges.map(String) }, `Restoring KafkaRDD for time ${new Time(t)}`);
        this.generatedRDDs.set(t, new KafkaRDD<K, V>(this.ssc.sparkContext, this.params, ranges, 'createDirectStream'));
      }
      this.currentOffsets.clear();
      for (const [topic, partition, offset] of data.currentOffsets) this.currentOffsets.set(new TopicPartition(topic, partition).toString(), offset);
    }
    super.restoreCheckpointData();
  }
}

function checkShape(name: string, d: unknown): asserts d is DirectKafkaCheckpointData {
  const c = d as Partial<DirectKafkaCheckpointData> | null;
  const isTuple = (x: unknown): boolean =>
    Array.isArray(x) && x.length === 4 && typeof x[0] === 'string' && [x[1], x[2], x[3]].every((n) => Number.isSafeInteger(n));
  const ok =
    c !== null &&
    typeof c === 'object' &&
    c.kind === 'DirectKafkaInputDStream' &&
    Array.isArray(c.batches) &&
    c.batches.every((b) => Array.isArray(b) && Number.isSafeInteger(b[0]) && Array.isArray(b[1]) && b[1].every(isTuple)) &&
    Array.isArray(c.currentOffsets) &&
    c.currentOffsets.every((o) => Array.isArray(o) && typeof o[0] === 'string' && Number.isSafeInteger(o[1]) && Number.isSafeInteger(o[2]));
  if (!ok) throw new SparkException(`The checkpoint data of ${name} is malformed (expected kind, batches and currentOffsets): ${JSON.stringify(d).slice(0, 200)}`);
}
