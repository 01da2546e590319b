import { createRequire } from 'node:module';
import type { KafkaConfig } from 'kafkajs';
import { getLogger } from '../../lib/core/logging';
import { KafkaClientIncompatibleException } from './KafkaExceptions';

/**
 * The parts of kafkajs that KafkaRDD reads through, below its public API. Why not the public consumer: kafkajs has no
 * manual `assign()`, its fetches cannot stop at an offset, and seek/pause only work inside a running group member
 * (kafka.md §1.3); a consumer group per read would cost a JoinGroup/SyncGroup round (3 s by default on a real broker:
 * `group.initial.rebalance.delay.ms`) per partition per batch and leave a group behind each time. Instead a KafkaRDD
 * partition issues Kafka Fetch requests itself, at exact offsets, to the partition's leader, the way Kafka's own
 * consumer does under `assign()` + `seek()`:
 *
 * - `kafkajs/src/cluster` (Cluster): connections, metadata, leader lookup, ListOffsets, group coordinator lookup;
 * - `Broker#describeGroups`, `#leaveGroup`: a restarted reliable receiver removes its killed predecessor from the
 *   group (kafkajs' admin client cannot remove a member that has no `group.instance.id`);
 * - `Broker#fetch`, `#offsetCommit`, `#offsetFetch`: the protocol requests, decoded by kafkajs (record batches,
 *   compression codecs, headers); `#joinGroup`, `#syncGroup`, `#heartbeat`, `#leaveGroup` for group mode, whose
 *   member runs the classic group protocol itself (kafkajs' consumer rebalances eagerly only); `Broker#connectionPool` to open the fetch connection before concurrent fetches
 *   (kafkajs opens it lazily and without a lock, so racing first fetches leak a socket);
 * - `kafkajs/src/consumer/filterAbortedMessages`: the read_committed filter kafkajs' consumer applies.
 *
 * These are exactly the functions kafkajs' own consumer calls (src/consumer/consumerGroup.js). kafkajs 2.2.4 is its
 * last release and the project is unmaintained (kafka.md §1.1), so these internals do not move; the version and shape
 * are still checked once at load, and a mismatch is a KafkaClientIncompatibleException saying what was found.
 */

/** A decoded record as kafkajs' RecordBatch decoder returns it. */
export interface RawMessage {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | Buffer[] | undefined>;
  readonly isControlRecord?: boolean;
  readonly batchContext?: {
    readonly firstOffset: string;
    readonly lastOffsetDelta: number;
    /** 0 CreateTime, 1 LogAppendTime (kafkajs' TimestampTypes). */
    readonly timestampType?: number;
  };
}

export interface RawFetchPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: string;
  readonly lastStableOffset?: string;
  readonly abortedTransactions?: readonly { producerId: string; firstOffset: string }[];
  readonly messages: RawMessage[];
}

export interface PartitionMetadata {
  readonly partitionId: number;
  readonly leader: number;
  readonly partitionErrorCode: number;
}

export interface TopicMetadata {
  readonly topic: string;
  readonly isInternal?: boolean;
  readonly topicErrorCode: number;
  readonly partitionMetadata: PartitionMetadata[];
}

export interface RawBroker {
  fetch(request: {
    replicaId?: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: RawFetchPartition[] }[] }>;
  listOffsets(request: {
    replicaId?: number;
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number; offset: string }[] }[] }>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[] }>;
  offsetFetch(request: {
    groupId: string;
    topics: { topic: string; partitions: { partition: number }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[] }>;
  metadata(topics?: string[]): Promise<{ topicMetadata: TopicMetadata[] }>;
  describeGroups(request: { groupIds: string[] }): Promise<{ groups: { errorCode: number; groupId: string; state: string; members: { memberId: string; clientId: string; clientHost: string }[] }[] }>;
  /** The classic group protocol (group mode, receivers/kafka/group/GroupMembership.ts). */
  joinGroup(request: {
    groupId: string;
    sessionTimeout: number;
    rebalanceTimeout: number;
    memberId: string;
    protocolType?: string;
    groupProtocols: { name: string; metadata: Buffer }[];
  }): Promise<{ generationId: number; groupProtocol: string; leaderId: string; memberId: string; members: { memberId: string; memberMetadata: Buffer }[] }>;
  syncGroup(request: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupAssignment: { memberId: string; memberAssignment: Buffer }[];
  }): Promise<{ memberAssignment: Buffer }>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  /** Connection 0 serves every request but Fetch, connection 1 serves Fetch; each is opened on first use. */
  readonly connectionPool?: { getConnection(index: number): Promise<unknown> };
}

export interface RawCluster {
  readonly targetTopics: Set<string>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  metadata(options?: { topics?: string[] }): Promise<{ topicMetadata: TopicMetadata[] }>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<RawBroker>;
  findGroupCoordinator(options: { groupId: string }): Promise<RawBroker>;
}

type ClusterCtor = new (options: Record<string, unknown>) => RawCluster;

interface KafkajsModules {
  version: string;
  Cluster: ClusterCtor;
  createLogger: (o: { level: number; logCreator: (level: number) => (entry: LogEntry) => void }) => unknown;
  defaultSocketFactory: () => unknown;
  filterAbortedMessages: (o: { messages: RawMessage[]; abortedTransactions: readonly { producerId: string; firstOffset: string }[] }) => RawMessage[];
  isolationLevel: { READ_UNCOMMITTED: number; READ_COMMITTED: number };
  LEVELS: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
}

interface LogEntry {
  namespace: string;
  label: string;
  log: { message: string } & Record<string, unknown>;
}

let modules: KafkajsModules | undefined;

/** Loads (once) and checks the kafkajs internals. */
export function kafkajs(): KafkajsModules {
  if (modules) return modules;
  const req = createRequire(__filename);
  let version = 'unknown';
  try {
    version = (req('kafkajs/package.json') as { version: string }).version;
    const m: KafkajsModules = {
      version,
      Cluster: req('kafkajs/src/cluster') as ClusterCtor,
      createLogger: (req('kafkajs/src/loggers') as { createLogger: KafkajsModules['createLogger'] }).createLogger,
      LEVELS: (req('kafkajs/src/loggers') as { LEVELS: KafkajsModules['LEVELS'] }).LEVELS,
      defaultSocketFactory: req('kafkajs/src/network/socketFactory') as () => unknown,
      filterAbortedMessages: req('kafkajs/src/consumer/filterAbortedMessages') as KafkajsModules['filterAbortedMessages'],
      isolationLevel: req('kafkajs/src/protocol/isolationLevel') as KafkajsModules['isolationLevel'],
    };
    const Broker = req('kafkajs/src/broker') as { prototype: Record<string, unknown> };
    const shapeOk =
      version.startsWith('2.') &&
      typeof m.Cluster === 'function' &&
      typeof m.Cluster.prototype.findLeaderForPartitions === 'function' &&
      typeof m.Cluster.prototype.findGroupCoordinator === 'function' &&
      ['fetch', 'listOffsets', 'offsetCommit', 'offsetFetch', 'metadata', 'describeGroups', 'joinGroup', 'syncGroup', 'heartbeat', 'leaveGroup'].every((f) => typeof Broker.prototype[f] === 'function') &&
      typeof m.filterAbortedMessages === 'function' &&
      typeof m.isolationLevel.READ_COMMITTED === 'number';
    if (!shapeOk) throw new Error('unexpected module shape');
    modules = m;
    return m;
  } catch (e) {
    throw new KafkaClientIncompatibleException(
      `dstreams' Kafka integration reads through kafkajs 2.x internals (src/cluster, Broker#fetch); the installed kafkajs is ${version} ` +
        `and does not have them (${(e as Error).message}). Install kafkajs 2.2.4.`,
    );
  }
}

const kafkajsLog = getLogger('kafkajs');

/** Creates an internal Cluster whose kafkajs logs go to the `kafkajs` pino logger (errors as debug: we report them). */
export function createRawCluster(config: KafkaConfig & { metadataMaxAge: number; allowAutoTopicCreation: boolean; isolationLevel: number }): RawCluster {
  const k = kafkajs();
  const logger = k.createLogger({
    level: k.LEVELS.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      // kafkajs logs every failed connection attempt as an error; the caller reports the final failure with context.
      kafkajsLog.debug({ namespace: entry.namespace, level: entry.label, ...extra }, message);
    },
  });
  return new k.Cluster({
    logger,
    socketFactory: config.socketFactory ?? k.defaultSocketFactory(),
    brokers: config.brokers,
    ssl: config.ssl,
    sasl: config.sasl,
    clientId: config.clientId,
    connectionTimeout: config.connectionTimeout,
    authenticationTimeout: config.authenticationTimeout,
    reauthenticationThreshold: config.reauthenticationThreshold,
    requestTimeout: config.requestTimeout,
    enforceRequestTimeout: config.enforceRequestTimeout ?? true,
    // Retrying is ours (KafkaClient.withRetry), with the stream's settings and an error that names what failed.
    retry: { retries: 0 },
    metadataMaxAge: config.metadataMaxAge,
    allowAutoTopicCreation: config.allowAutoTopicCreation,
    maxInFlightRequests: null,
    isolationLevel: config.isolationLevel,
  });
}
