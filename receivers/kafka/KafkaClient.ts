import { getLogger } from '../../lib/core/logging';
import { createRawCluster, kafkajs, type RawBroker, type RawCluster, type RawFetchPartition, type TopicMetadata } from './kafkajsInternals';
import { KafkaBrokerUnreachableException, UnknownTopicException } from './KafkaExceptions';
import type { ResolvedKafkaParams } from './KafkaParams';
import { TopicPartition, topicPartitionKey } from './TopicPartition';

const log = getLogger('KafkaClient');

/** Errors that mean "the broker (or the path to it) is not there right now". */
const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
  'NoBrokerAnsweredError',
]);

/** Protocol errors that are final even though kafkajs marks some of them retriable. */
const FINAL_TYPES = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'OFFSET_OUT_OF_RANGE', 'TOPIC_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED']);

/** A transient condition of ours (no leader known yet) that the retry loop retries. */
class RetriableConditionError extends Error {
  readonly retriable = true;
}

/** kafkajs' metadata call tried every known broker and none answered (it returns null instead of throwing). */
class NoBrokerAnsweredError extends Error {
  readonly retriable = true;
  override readonly name = 'NoBrokerAnsweredError';
}

interface KafkaJSLikeError {
  name?: string;
  type?: string;
  code?: string;
  retriable?: boolean;
  message?: string;
}

/** Whether a kafkajs error means the brokers could not be reached (rather than a protocol answer). */
export function isConnectionError(e: unknown): boolean {
  const err = e as KafkaJSLikeError | undefined;
  if (!err || typeof err !== 'object') return false;
  if (err.name !== undefined && CONNECTION_ERRORS.has(err.name)) return true;
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|ETIMEDOUT|EPIPE|Connection (error|timeout|closed)|Closed connection/i.test(err.message ?? '');
}

function isRetriable(e: unknown): boolean {
  const err = e as KafkaJSLikeError | undefined;
  if (!err || typeof err !== 'object') return false;
  if (err.type !== undefined && FINAL_TYPES.has(err.type)) return false;
  return err.retriable === true || isConnectionError(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One connection to a Kafka cluster, with what the direct stream and KafkaRDD need: topic metadata, the earliest and
 * latest offsets of partitions, a group's committed offsets, offset commits, and fetches at an exact offset. Not a
 * Spark class: Spark uses a KafkaConsumer on the driver and another per executor task.
 *
 * Every operation retries `retries` times with exponential backoff (`retry.backoff.ms` doubling up to
 * `retry.backoff.max.ms`), refreshing metadata between attempts (a leader moved, a broker restarted); when the brokers
 * stay unreachable it fails with a KafkaBrokerUnreachableException naming `bootstrap.servers` and the operation.
 * Group offsets are read and committed as a standalone consumer (generation -1, no member id), as Kafka's consumer
 * does after `assign()`: the stream never joins the group.
 */
export class KafkaClient {
  private readonly cluster: RawCluster;
  private closed = false;

  constructor(readonly params: ResolvedKafkaParams) {
    const k = kafkajs();
    this.cluster = createRawCluster({
      ...params.connection,
      brokers: [...params.bootstrapServers],
      clientId: params.clientId,
      connectionTimeout: params.connectionTimeoutMs,
      requestTimeout: params.requestTimeoutMs,
      metadataMaxAge: params.metadataMaxAgeMs,
      allowAutoTopicCreation: params.allowAutoCreateTopics,
      isolationLevel: params.isolationLevel === 'read_committed' ? k.isolationLevel.READ_COMMITTED : k.isolationLevel.READ_UNCOMMITTED,
    });
  }

  get bootstrapServers(): readonly string[] {
    return this.params.bootstrapServers;
  }

  /** Connects to a bootstrap broker (retried; a KafkaBrokerUnreachableException when none answers). */
  async connect(): Promise<void> {
    await this.withRetry('connecting', () => this.cluster.connect());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.cluster.disconnect().catch((e: unknown) => log.debug({ err: e }, 'error closing the Kafka connection'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Metadata of every topic on the cluster (internal topics included; see `isInternal`). */
  async listTopics(): Promise<TopicMetadata[]> {
    return this.withRetry('listing topics', () => this.allTopics());
  }

  /** One metadata request for every topic. */
  private async allTopics(): Promise<TopicMetadata[]> {
    const r = await this.cluster.metadata({ topics: [] });
    if (!r) throw new NoBrokerAnsweredError('no broker answered a metadata request');
    return r.topicMetadata;
  }

  /**
   * The partition numbers of each topic, from fresh metadata. A topic that does not exist is an
   * UnknownTopicException naming it.
   */
  async partitionsFor(topics: readonly string[]): Promise<Map<string, number[]>> {
    if (topics.length === 0) return new Map();
    const wanted = [...new Set(topics)];
    return this.withRetry(`reading metadata of ${wanted.join(', ')}`, async () => {
      let meta: TopicMetadata[] | undefined;
      try {
        // Ask for the cached target topics too: kafkajs keeps only the last answer as its metadata cache.
        meta = (await this.cluster.metadata({ topics: [...new Set([...this.cluster.targetTopics, ...wanted])] }))?.topicMetadata;
      } catch (e) {
        if ((e as KafkaJSLikeError).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw e;
      }
      if (!meta) {
        // kafkajs answers null when every broker failed the request, e.g. with UNKNOWN_TOPIC_OR_PARTITION for a
        // deleted topic: find out which topics are gone.
        await this.forgetMissingTopics(wanted);
        throw new RetriableConditionError('a cached topic was deleted; metadata refreshed');
      }
      const out = new Map<string, number[]>();
      for (const t of meta) {
        if (!wanted.includes(t.topic)) continue;
        out.set(t.topic, t.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b));
      }
      const missing = wanted.filter((t) => !out.has(t));
      if (missing.length > 0) throw this.unknownTopics(missing);
      return out;
    });
  }

  /** Offsets per partition: the log start (`earliest`) or the end (`latest`, the last stable offset under read_committed). */
  async listOffsets(partitions: readonly TopicPartition[], which: 'earliest' | 'latest'): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (partitions.length === 0) return out;
    const byTopic = groupByTopic(partitions);
    const topics = [...byTopic.keys()];
    return this.withRetry(`listing ${which} offsets of ${topics.join(', ')}`, async () => {
      await this.ensureTopics(topics);
      const result = await (this.cluster as unknown as {
        fetchTopicsOffset(t: { topic: string; partitions: { partition: number }[]; fromBeginning: boolean }[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
      }).fetchTopicsOffset(topics.map((topic) => ({ topic, partitions: byTopic.get(topic)!.map((partition) => ({ partition })), fromBeginning: which === 'earliest' })));
      for (const t of result) for (const p of t.partitions) out.set(topicPartitionKey(t.topic, p.partition), Number(p.offset));
      const missing = partitions.filter((tp) => !out.has(tp.toString()));
      if (missing.length > 0) {
        // No leader for them in the cached metadata: new partitions or a leader change.
        await this.cluster.refreshMetadata().catch(() => undefined);
        throw new RetriableConditionError(`no leader known for ${missing.join(', ')}`);
      }
      return out;
    });
  }

  /** The group's committed offsets of these partitions (partitions without a commit are absent). */
  async committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (partitions.length === 0) return out;
    const byTopic = groupByTopic(partitions);
    return this.withRetry(`reading committed offsets of group '${groupId}'`, async () => {
      const coordinator = await this.cluster.findGroupCoordinator({ groupId });
      const res = await coordinator.offsetFetch({
        groupId,
        topics: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps.map((partition) => ({ partition })) })),
      });
      for (const t of res.responses) {
        for (const p of t.partitions) {
          const o = Number(p.offset);
          if (o >= 0) out.set(topicPartitionKey(t.topic, p.partition), o);
        }
      }
      return out;
    });
  }

  /** Commits `offsets` (topic-partition key → next offset to read) for the group, as a standalone consumer. */
  async commitOffsets(groupId: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    if (offsets.size === 0) return;
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const [key, offset] of offsets) {
      const tp = TopicPartition.parse(key);
      let list = byTopic.get(tp.topic);
      if (!list) byTopic.set(tp.topic, (list = []));
      list.push({ partition: tp.partition, offset: String(offset) });
    }
    await this.withRetry(`committing offsets of group '${groupId}'`, async () => {
      const coordinator = await this.cluster.findGroupCoordinator({ groupId });
      await coordinator.offsetCommit({
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      });
    });
  }

  /** The members of a consumer group (id, client id, host), as DescribeGroups gives them; none when it has none. */
  async groupMembers(groupId: string): Promise<Array<{ memberId: string; clientId: string; clientHost: string }>> {
    return this.withRetry(`describing group '${groupId}'`, async () => {
      const coordinator = await this.cluster.findGroupCoordinator({ groupId });
      const res = await coordinator.describeGroups({ groupIds: [groupId] });
      return res.groups.find((g) => g.groupId === groupId)?.members.map(({ memberId, clientId, clientHost }) => ({ memberId, clientId, clientHost })) ?? [];
    });
  }

  /**
   * Removes a member from a consumer group on its behalf (a LeaveGroup with its member id), as the member itself does
   * when it stops cleanly; false when the group no longer has it.
   */
  async removeGroupMember(groupId: string, memberId: string): Promise<boolean> {
    return this.withRetry(`removing member ${memberId} from group '${groupId}'`, async () => {
      const coordinator = await this.cluster.findGroupCoordinator({ groupId });
      try {
        await coordinator.leaveGroup({ groupId, memberId });
        return true;
      } catch (e) {
        if ((e as KafkaJSLikeError).type === 'UNKNOWN_MEMBER_ID') return false;
        throw e;
      }
    });
  }

  /**
   * One Fetch request for one partition at `offset`, to its leader: the records of the first batches at or after
   * `offset`, up to `max.partition.fetch.bytes` (at least one whole batch). Kafka errors (e.g. OFFSET_OUT_OF_RANGE)
   * are thrown as kafkajs errors; the caller names the range.
   */
  async fetch(topic: string, partition: number, offset: number): Promise<RawFetchPartition> {
    const p = this.params;
    const isolationLevel = p.isolationLevel === 'read_committed' ? kafkajs().isolationLevel.READ_COMMITTED : kafkajs().isolationLevel.READ_UNCOMMITTED;
    return this.withRetry(`fetching ${topic}-${partition} at offset ${offset}`, async () => {
      const broker = await this.leaderOf(topic, partition);
      const res = await broker.fetch({
        replicaId: -1,
        isolationLevel,
        maxWaitTime: p.fetchMaxWaitMs,
        minBytes: p.fetchMinBytes,
        maxBytes: Math.max(p.maxPartitionFetchBytes, 1),
        topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: p.maxPartitionFetchBytes }] }],
      });
      const part = res.responses[0]?.partitions.find((x) => x.partition === partition);
      if (!part) throw new RetriableConditionError(`the fetch response has no data for ${topic}-${partition}`);
      return part;
    });
  }

  /**
   * The partition leader, with its fetch connection open. Lookups run one at a time: kafkajs opens a broker's fetch
   * connection lazily on the first Fetch, and two concurrent first Fetches each open a socket and keep only one
   * (ConnectionPool#getConnection has no lock); the forgotten socket keeps the process alive after `close()`.
   */
  private leaderOf(topic: string, partition: number): Promise<RawBroker> {
    const next = this.leaderLookups.then(() => this.findLeader(topic, partition));
    this.leaderLookups = next.catch(() => undefined);
    return next;
  }

  private leaderLookups: Promise<unknown> = Promise.resolve();

  private async findLeader(topic: string, partition: number): Promise<RawBroker> {
    await this.ensureTopics([topic]);
    const leaders = this.cluster.findLeaderForPartitions(topic, [partition]);
    const nodeId = Object.keys(leaders)[0];
    if (nodeId === undefined) {
      await this.cluster.refreshMetadata().catch(() => undefined);
      if (!this.cluster.findTopicPartitionMetadata(topic).length) throw this.unknownTopics([topic]);
      throw new RetriableConditionError(`no leader known for ${topic}-${partition}`);
    }
    const broker = await this.cluster.findBroker({ nodeId });
    // kafkajs' ConnectionPool: connection 1 serves Fetch requests (src/network/connectionPool.js).
    await broker.connectionPool?.getConnection(1);
    return broker;
  }

  /** Makes the cached metadata cover `topics` (kafkajs' target topics). */
  private async ensureTopics(topics: readonly string[]): Promise<void> {
    try {
      await this.cluster.addMultipleTargetTopics([...topics]);
      await (this.cluster as unknown as { refreshMetadataIfNecessary(): Promise<void> }).refreshMetadataIfNecessary();
    } catch (e) {
      if ((e as KafkaJSLikeError).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw e;
      await this.forgetMissingTopics(topics);
      throw new RetriableConditionError('a cached topic was deleted; metadata refreshed');
    }
  }

  /**
   * After UNKNOWN_TOPIC_OR_PARTITION: drops deleted topics from kafkajs' target topics (or every later metadata
   * refresh fails), and throws UnknownTopicException if one of `wanted` is gone.
   */
  private async forgetMissingTopics(wanted: readonly string[]): Promise<void> {
    const existing = new Set((await this.allTopics()).map((t) => t.topic));
    for (const t of [...this.cluster.targetTopics]) if (!existing.has(t)) this.cluster.targetTopics.delete(t);
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) throw this.unknownTopics(missing);
  }

  private unknownTopics(topics: readonly string[]): UnknownTopicException {
    return new UnknownTopicException(topics, `${topics.length > 1 ? 'do' : 'does'} not exist on the Kafka cluster at ${this.params.bootstrapServers.join(',')}`);
  }

  /**
   * Runs `fn`, retrying retriable failures with exponential backoff; the final failure to reach the brokers is a
   * KafkaBrokerUnreachableException naming `operation`.
   */
  async withRetry<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const { retries, retryBackoffMs, retryBackoffMaxMs } = this.params;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof UnknownTopicException) throw e;
        if (!isRetriable(e) || attempt > retries || this.closed) {
          if (isConnectionError(e)) throw new KafkaBrokerUnreachableException(this.params.bootstrapServers, operation, attempt, e);
          throw e;
        }
        const wait = Math.min(retryBackoffMs * 2 ** (attempt - 1), retryBackoffMaxMs);
        log.debug({ operation, attempt, wait, err: (e as Error).message }, 'retrying a Kafka operation');
        await sleep(wait);
      }
    }
  }
}

function groupByTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const tp of partitions) {
    let l = m.get(tp.topic);
    if (!l) m.set(tp.topic, (l = []));
    if (!l.includes(tp.partition)) l.push(tp.partition);
  }
  return m;
}
