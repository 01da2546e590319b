import { getLogger } from '../../lib/core/logging';
import { KafkaConfigException } from './KafkaExceptions';
import { type KafkaParams, type ResolvedKafkaParams, resolveKafkaParams } from './KafkaParams';

const log = getLogger('KafkaReceiverParams');

/**
 * The topics of a receiver-based Kafka stream: Spark's `topics: Map[String, Int]` (topic → number of consumer
 * threads). A list of names means one thread each.
 */
export type TopicThreadsSpec = Readonly<Record<string, number>> | ReadonlyMap<string, number> | readonly string[];

/** What the receivers need beyond the direct stream's parameters: the consumer-group settings. */
export interface KafkaReceiverParams<K = unknown, V = unknown> {
  readonly kafka: ResolvedKafkaParams<K, V>;
  readonly groupId: string;
  /** `enable.auto.commit` as given (Kafka's default `true`); the reliable receiver never auto-commits. */
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** `max.poll.interval.ms`: how long the group waits for members to rejoin in a rebalance (kafkajs' rebalanceTimeout). */
  readonly rebalanceTimeoutMs: number;
  /** `fetch.min.bytes`, or the receiver default (see {@link resolveKafkaReceiverParams}). */
  readonly fetchMinBytes: number;
  /** `fetch.max.wait.ms`, or the block interval. */
  readonly fetchMaxWaitMs: number;
  /** `fetch.max.bytes`: bytes of one fetch over all partitions (Kafka's default 52428800). */
  readonly fetchMaxBytes: number;
}

/** The receiver's default `fetch.min.bytes`: a broker-side wait for data, so that a trickle makes blocks, not records. */
const RECEIVER_FETCH_MIN_BYTES = 1024 * 1024;

/**
 * Validates `kafkaParams` for `KafkaUtils.createStream` (every error names the key). On top of the direct stream's
 * keys: `group.id` is required; `enable.auto.commit` (default true) and `auto.commit.interval.ms` (5000) drive the
 * plain receiver; `session.timeout.ms` (45000), `heartbeat.interval.ms` (3000) and `max.poll.interval.ms` (300000) the
 * group membership. Spark 0.8's `auto.offset.reset` values `smallest`/`largest` are accepted as `earliest`/`latest`.
 * Unless set, `fetch.max.wait.ms` is the block interval and `fetch.min.bytes` 1 MiB, so the broker gathers about a
 * block interval of data per fetch, as the BlockGenerator would.
 */
export function resolveKafkaReceiverParams<K, V>(params: KafkaParams, blockIntervalMs: number): KafkaReceiverParams<K, V> {
  if (params === null || typeof params !== 'object') throw new KafkaConfigException('kafkaParams', `kafkaParams must be an object of Kafka consumer settings, got ${String(params)}`);
  const p: Record<string, unknown> = params instanceof Map ? Object.fromEntries(params as Map<string, unknown>) : { ...params };
  const reset = p['auto.offset.reset'];
  if (reset === 'smallest') p['auto.offset.reset'] = 'earliest';
  else if (reset === 'largest') p['auto.offset.reset'] = 'latest';
  // The receivers read these themselves; resolveKafkaParams would warn that the direct stream ignores them.
  const autoCommit = bool(p, 'enable.auto.commit', true);
  delete p['enable.auto.commit'];
  const kafka = resolveKafkaParams<K, V>(p);
  const groupId = kafka.groupId;
  if (groupId === undefined) {
    throw new KafkaConfigException('group.id', 'Missing required configuration "group.id": a receiver-based Kafka stream consumes as a member of a consumer group');
  }
  const sessionTimeoutMs = int(p, 'session.timeout.ms', 45_000, 1);
  const heartbeatIntervalMs = int(p, 'heartbeat.interval.ms', Math.min(3000, Math.floor(sessionTimeoutMs / 3)), 1);
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new KafkaConfigException('heartbeat.interval.ms', `heartbeat.interval.ms (${heartbeatIntervalMs}) must be lower than session.timeout.ms (${sessionTimeoutMs})`);
  }
  const resolved: KafkaReceiverParams<K, V> = {
    kafka,
    groupId,
    autoCommit,
    autoCommitIntervalMs: int(p, 'auto.commit.interval.ms', 5000, 0),
    sessionTimeoutMs,
    heartbeatIntervalMs,
    rebalanceTimeoutMs: int(p, 'max.poll.interval.ms', 300_000, 1),
    fetchMinBytes: p['fetch.min.bytes'] === undefined ? RECEIVER_FETCH_MIN_BYTES : kafka.fetchMinBytes,
    fetchMaxWaitMs: p['fetch.max.wait.ms'] === undefined ? Math.max(1, blockIntervalMs) : kafka.fetchMaxWaitMs,
    fetchMaxBytes: int(p, 'fetch.max.bytes', 52_428_800, 1),
  };
  log.debug({ groupId, sessionTimeoutMs, fetchMinBytes: resolved.fetchMinBytes, fetchMaxWaitMs: resolved.fetchMaxWaitMs }, 'Kafka receiver parameters');
  return resolved;
}

/** Topic → threads, validated: names non-empty, thread counts positive integers, at least one topic. */
export function resolveTopicThreads(topics: TopicThreadsSpec): ReadonlyMap<string, number> {
  const entries: [string, number][] = Array.isArray(topics)
    ? (topics as readonly string[]).map((t) => [t, 1])
    : topics instanceof Map
      ? [...(topics as ReadonlyMap<string, number>)]
      : Object.entries(topics as Readonly<Record<string, number>>);
  if (entries.length === 0) throw new KafkaConfigException('topics', 'createStream needs at least one topic');
  const out = new Map<string, number>();
  for (const [topic, threads] of entries) {
    if (typeof topic !== 'string' || topic.length === 0) throw new KafkaConfigException('topics', `Invalid topic name '${String(topic)}'`);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new KafkaConfigException('topics', `Invalid number of threads ${String(threads)} for topic '${topic}': expected an integer >= 1`);
    }
    out.set(topic, threads);
  }
  return out;
}

function bool(p: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = p[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new KafkaConfigException(key, `Invalid value ${String(v)} for configuration ${key}: Expected value to be either true or false`);
}

function int(p: Record<string, unknown>, key: string, dflt: number, min: number): number {
  const v = p[key];
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new KafkaConfigException(key, `Invalid value ${String(v)} for configuration ${key}: Not a number of type INT`);
  if (n < min) throw new KafkaConfigException(key, `Invalid value ${n} for configuration ${key}: Value must be at least ${min}`);
  return n;
}
