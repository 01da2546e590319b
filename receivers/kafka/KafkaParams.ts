import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { getLogger } from '../../lib/core/logging';
import { type Deserializer, type DeserializerSpec, resolveDeserializer } from './Deserializer';
import { KafkaConfigException } from './KafkaExceptions';

const log = getLogger('KafkaParams');

/**
 * Consumer parameters with Kafka's own names, as Spark's `kafkaParams: Map[String, Object]`. The ones dstreams uses:
 *
 * | key | default | meaning here |
 * |---|---|---|
 * | `bootstrap.servers` | (required) | `host:port[,host:port]` or an array |
 * | `key.deserializer`, `value.deserializer` | (required) | a function `(data, topic) => T` or a Kafka name (`'StringDeserializer'`) |
 * | `group.id` | none | committed offsets are read from and `commitAsync` writes to this group |
 * | `auto.offset.reset` | `latest` | where a partition without a committed (or given) offset starts; `earliest`, `latest`, `none` (error) |
 * | `enable.auto.commit` | (ignored) | dstreams never auto-commits; set it to `false` as Spark's docs say |
 * | `isolation.level` | `read_uncommitted` | `read_committed` skips aborted transactions and stops at the last stable offset |
 * | `max.partition.fetch.bytes` | 1048576 | bytes per partition per fetch request |
 * | `fetch.max.wait.ms`, `fetch.min.bytes` | 500, 1 | broker-side wait of a fetch |
 * | `request.timeout.ms` | 30000 | per request |
 * | `socket.connection.setup.timeout.ms` | 10000 | TCP connect timeout |
 * | `retries`, `retry.backoff.ms`, `retry.backoff.max.ms` | 10, 100, 1000 | retries of each broker operation (exponential backoff) |
 * | `metadata.max.age.ms` | 300000 | cached metadata lifetime |
 * | `allow.auto.create.topics` | `false` | dstreams' default: a missing topic is an error naming it, not silently created |
 * | `client.id` | `dstreams` | |
 * | `security.protocol`, `sasl.mechanism`, `sasl.jaas.config` | `PLAINTEXT` | `SSL`/`SASL_SSL`/`SASL_PLAINTEXT`; PLAIN and SCRAM credentials from the JAAS line |
 * | `kafkajs` | none | dstreams' escape hatch: a kafkajs `KafkaConfig` merged last (ssl options, custom sasl, socketFactory) |
 *
 * Other Kafka consumer keys are accepted and ignored (group membership and polling do not exist here); unknown keys
 * are logged as a warning, as Kafka's "supplied but isn't a known config".
 */
export type KafkaParams = Readonly<Record<string, unknown>>;

/** The parameters after validation, in the form the client and the readers use. */
export interface ResolvedKafkaParams<K = unknown, V = unknown> {
  readonly original: KafkaParams;
  readonly bootstrapServers: readonly string[];
  readonly groupId: string | undefined;
  readonly clientId: string;
  readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  readonly isolationLevel: 'read_uncommitted' | 'read_committed';
  readonly maxPartitionFetchBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMinBytes: number;
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly metadataMaxAgeMs: number;
  readonly allowAutoCreateTopics: boolean;
  readonly keyDeserializer: Deserializer<K>;
  readonly valueDeserializer: Deserializer<V>;
  /** kafkajs connection settings: ssl, sasl and the `kafkajs` override. */
  readonly connection: Partial<KafkaConfig>;
  /** Identifies the connection settings, to share a client between readers with the same ones. */
  readonly connectionKey: string;
}

/** Typed view of the two deserializer keys, for `createDirectStream<K, V>`. */
export interface TypedKafkaParams<K, V> {
  readonly 'key.deserializer'?: DeserializerSpec<K>;
  readonly 'value.deserializer'?: DeserializerSpec<V>;
  readonly [key: string]: unknown;
}

const USED = new Set([
  'bootstrap.servers', 'group.id', 'client.id', 'auto.offset.reset', 'enable.auto.commit', 'isolation.level',
  'max.partition.fetch.bytes', 'fetch.max.wait.ms', 'fetch.min.bytes', 'request.timeout.ms',
  'socket.connection.setup.timeout.ms', 'retries', 'retry.backoff.ms', 'retry.backoff.max.ms', 'metadata.max.age.ms',
  'allow.auto.create.topics', 'key.deserializer', 'value.deserializer', 'security.protocol', 'sasl.mechanism',
  'sasl.jaas.config', 'kafkajs',
]);

/** Kafka consumer keys that have no effect here (no group membership, no poll loop). */
const IGNORED = new Set([
  'session.timeout.ms', 'heartbeat.interval.ms', 'max.poll.records', 'max.poll.interval.ms', 'receive.buffer.bytes',
  'send.buffer.bytes', 'auto.commit.interval.ms', 'partition.assignment.strategy', 'reconnect.backoff.ms',
  'reconnect.backoff.max.ms', 'connections.max.idle.ms', 'default.api.timeout.ms', 'client.rack',
  'exclude.internal.topics', 'check.crcs', 'interceptor.classes', 'group.instance.id', 'fetch.max.bytes',
  'socket.connection.setup.timeout.max.ms', 'client.dns.lookup', 'metrics.sample.window.ms', 'metrics.num.samples',
  'metrics.recording.level', 'metric.reporters', 'security.providers', 'ssl.endpoint.identification.algorithm',
]);

const warnedUnknown = new Set<string>();

/** Validates `kafkaParams`; every error names the key. */
export function resolveKafkaParams<K = unknown, V = unknown>(params: KafkaParams): ResolvedKafkaParams<K, V> {
  if (params === null || typeof params !== 'object') throw new KafkaConfigException('kafkaParams', `kafkaParams must be an object of Kafka consumer settings, got ${String(params)}`);
  const p = params instanceof Map ? (Object.fromEntries(params as Map<string, unknown>) as KafkaParams) : params;
  for (const key of Object.keys(p)) {
    if (USED.has(key) || IGNORED.has(key) || key.startsWith('ssl.') || key.startsWith('sasl.')) continue;
    if (!warnedUnknown.has(key)) {
      warnedUnknown.add(key);
      log.warn({ key }, `The configuration '${key}' was supplied but isn't a known config.`);
    }
  }
  const bootstrapServers = parseServers(p['bootstrap.servers']);
  const groupId = optionalString(p, 'group.id');
  const autoOffsetReset = choice(p, 'auto.offset.reset', ['latest', 'earliest', 'none'] as const, 'latest');
  const autoCommit = bool(p, 'enable.auto.commit', false);
  if (autoCommit) {
    log.warn('enable.auto.commit is true: dstreams never commits automatically; commit with stream.commitAsync(offsetRanges) after your output');
  }
  const connection = connectionConfig(p);
  const resolved: ResolvedKafkaParams<K, V> = {
    original: p,
    bootstrapServers,
    groupId,
    clientId: optionalString(p, 'client.id') ?? 'dstreams',
    autoOffsetReset,
    isolationLevel: choice(p, 'isolation.level', ['read_uncommitted', 'read_committed'] as const, 'read_uncommitted'),
    maxPartitionFetchBytes: int(p, 'max.partition.fetch.bytes', 1_048_576, 1),
    fetchMaxWaitMs: int(p, 'fetch.max.wait.ms', 500, 0),
    fetchMinBytes: int(p, 'fetch.min.bytes', 1, 0),
    requestTimeoutMs: int(p, 'request.timeout.ms', 30_000, 1),
    connectionTimeoutMs: int(p, 'socket.connection.setup.timeout.ms', 10_000, 1),
    retries: int(p, 'retries', 10, 0),
    retryBackoffMs: int(p, 'retry.backoff.ms', 100, 0),
    retryBackoffMaxMs: int(p, 'retry.backoff.max.ms', 1000, 0),
    metadataMaxAgeMs: int(p, 'metadata.max.age.ms', 300_000, 0),
    allowAutoCreateTopics: bool(p, 'allow.auto.create.topics', false),
    keyDeserializer: resolveDeserializer<K>('key.deserializer', p['key.deserializer']),
    valueDeserializer: resolveDeserializer<V>('value.deserializer', p['value.deserializer']),
    connection,
    connectionKey: '',
  };
  return {
    ...resolved,
    connectionKey: JSON.stringify([
      bootstrapServers, resolved.clientId, resolved.isolationLevel, resolved.requestTimeoutMs, resolved.connectionTimeoutMs,
      resolved.retries, resolved.retryBackoffMs, resolved.retryBackoffMaxMs, resolved.metadataMaxAgeMs, resolved.allowAutoCreateTopics,
      p['security.protocol'], p['sasl.mechanism'], p['sasl.jaas.config'], p.kafkajs === undefined ? null : identity(p.kafkajs),
    ]),
  };
}

/** Objects given under `kafkajs` are compared by identity (they may hold functions). */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;
function identity(o: unknown): number {
  if (o === null || typeof o !== 'object') return -1;
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
}

function parseServers(v: unknown): string[] {
  const key = 'bootstrap.servers';
  if (v === undefined || v === null || v === '') throw new KafkaConfigException(key, `Missing required configuration "${key}" which has no default value.`);
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : undefined;
  if (!list) throw new KafkaConfigException(key, `Invalid value ${String(v)} for configuration ${key}: expected "host:port[,host:port...]" or an array of them`);
  const servers = list.map((s) => s.trim()).filter((s) => s.length > 0);
  for (const s of servers) {
    if (!/^\[?[^\s[\]]+\]?:\d{1,5}$/.test(s)) {
      throw new KafkaConfigException(key, `Invalid url in ${key}: ${s} (expected host:port)`);
    }
  }
  if (servers.length === 0) throw new KafkaConfigException(key, `No resolvable bootstrap urls given in ${key}`);
  return servers;
}

function optionalString(p: KafkaParams, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new KafkaConfigException(key, `Invalid value ${String(v)} for configuration ${key}: expected a string`);
  return v.length === 0 ? undefined : v;
}

function choice<T extends string>(p: KafkaParams, key: string, allowed: readonly T[], dflt: T): T {
  const v = p[key];
  if (v === undefined || v === null) return dflt;
  const s = String(v).toLowerCase();
  if (!(allowed as readonly string[]).includes(s)) {
    throw new KafkaConfigException(key, `Invalid value ${String(v)} for configuration ${key}: String must be one of: ${allowed.join(', ')}`);
  }
  return s as T;
}

function bool(p: KafkaParams, key: string, dflt: boolean): boolean {
  const v = p[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new KafkaConfigException(key, `Invalid value ${String(v)} for configuration ${key}: Expected value to be either true or false`);
}

function int(p: KafkaParams, key: string, dflt: number, min: number): number {
  const v = p[key];
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new KafkaConfigException(key, `Invalid value ${String(v)} for configuration ${key}: Not a number of type INT`);
  if (n < min) throw new KafkaConfigException(key, `Invalid value ${n} for configuration ${key}: Value must be at least ${min}`);
  return n;
}

/** `security.protocol` + `sasl.*` as kafkajs options, then the `kafkajs` override object. */
function connectionConfig(p: KafkaParams): Partial<KafkaConfig> {
  const protocol = choice(p, 'security.protocol', ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const, 'plaintext');
  const out: Partial<KafkaConfig> = {};
  if (protocol === 'ssl' || protocol === 'sasl_ssl') out.ssl = true;
  if (protocol === 'sasl_plaintext' || protocol === 'sasl_ssl') {
    const mechanism = choice(p, 'sasl.mechanism', ['plain', 'scram-sha-256', 'scram-sha-512'] as const, 'plain');
    const jaas = optionalString(p, 'sasl.jaas.config');
    const username = jaas && /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    const password = jaas && /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
    if (username === undefined || username === null || password === undefined || password === null) {
      throw new KafkaConfigException('sasl.jaas.config', `security.protocol ${protocol.toUpperCase()} needs sasl.jaas.config with username="..." and password="..."`);
    }
    out.sasl = { mechanism, username, password } as SASLOptions;
  }
  const extra = p.kafkajs;
  if (extra !== undefined && (extra === null || typeof extra !== 'object')) {
    throw new KafkaConfigException('kafkajs', `Invalid value ${String(extra)} for configuration kafkajs: expected a kafkajs KafkaConfig object`);
  }
  return { ...out, ...(extra as Partial<KafkaConfig> | undefined) };
}
