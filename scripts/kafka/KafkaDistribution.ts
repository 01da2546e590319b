import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findMaven } from './JavaTools';
import { KafkaBrokerError } from './KafkaBrokerError';

/**
 * The Kafka broker's jars, fetched from Maven Central with `mvn` into a cache folder (Apache Kafka's own release
 * tarball is not used: Maven Central is what the project's machines reach, and `~/.m2` is cacheable in CI).
 *
 * Found when building this (2026-11, OpenJDK 17.0.15, Maven 3.8.7, kafkajs 2.2.4), correcting kafka.md §2.2:
 * - Default **4.3.1** (`org.apache.kafka:kafka_2.13:4.3.1`, Scala 2.13.18): its POM resolves a complete broker
 *   classpath transitively (46 jars, 44 MB) and kafkajs 2.2.4 works against it (admin, produce, consumer groups).
 *   4.4.0 is listed in Central's metadata but did NOT resolve here: `kafka-tools-api:4.4.0` is missing
 *   ("Could not find artifact org.apache.kafka:kafka-tools-api:jar:4.4.0"), so 4.4.0 cannot be used yet.
 *   3.9.2 also works (`DSTREAMS_KAFKA_VERSION=3.9.2`): 46 jars incl. zookeeper 3.8.4, which KRaft mode never loads.
 * - Logging backend, 4.x: `kafka-server` brings log4j-api and log4j-core 2.25.4 (runtime scope) but not the slf4j
 *   binding. We add `log4j-slf4j-impl` and pin log4j-api/-core to the same version (direct deps win in Maven's
 *   "nearest" rule, so all three agree). Configured with `-Dlog4j2.configurationFile=<file>.properties`.
 * - Logging backend, 3.9: `slf4j-reload4j:1.7.36` alone resolves reload4j **1.2.19** (its own POM's version), not
 *   the 1.2.25 Kafka 3.9 ships; we pin `ch.qos.reload4j:reload4j:1.2.25` too. Configured with
 *   `-Dlog4j.configuration=file:<file>`.
 * - The dependency plugin is pinned (3.8.1); `copy-dependencies -DincludeScope=runtime` on a `<packaging>pom`
 *   project is enough, no build. A cold fetch (empty ~/.m2) took ~4-5 s here; Maven keeps its downloads in
 *   `~/.m2/repository` (cache that in CI), and once our cache folder is complete no `mvn` runs at all.
 */

/** The Kafka version used when none is given (`DSTREAMS_KAFKA_VERSION` overrides it). */
export const DEFAULT_KAFKA_VERSION = '4.3.1';
/** log4j 2 version pinned for 4.x brokers: the one kafka-server 4.3.1 declares. */
export const LOG4J2_VERSION = '2.25.4';
/** 3.9's logging backend: the slf4j 1.7 binding and the reload4j Kafka 3.9 ships. */
export const SLF4J_RELOAD4J_VERSION = '1.7.36';
export const RELOAD4J_VERSION = '1.2.25';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/** Which logging backend a broker version needs (the broker's POM leaves it out on purpose). */
export type KafkaLogging = 'log4j2' | 'reload4j';

/** A fetched broker: its version, jar folder and logging backend. */
export interface KafkaDistribution {
  readonly version: string;
  readonly libsDir: string;
  readonly jars: readonly string[];
  readonly logging: KafkaLogging;
  /** The `-cp` argument for java (a wildcard over libsDir). */
  readonly classpath: string;
  /** True when this call ran Maven, false when the cache was complete. */
  readonly fetched: boolean;
}

export interface FetchKafkaOptions {
  /** Kafka version (`kafka_2.13`): 4.x or 3.9.x. Default: `DSTREAMS_KAFKA_VERSION` or {@link DEFAULT_KAFKA_VERSION}. */
  readonly version?: string;
  /** Cache root. Default: `DSTREAMS_CACHE_DIR`, else `$XDG_CACHE_HOME/dstreams`, else `~/.cache/dstreams`. */
  readonly cacheDir?: string;
  /** Progress messages (e.g. "fetching Kafka ... with Maven"); default: none. */
  readonly onProgress?: (message: string) => void;
}

/** The cache root for fetched brokers. */
export function kafkaCacheRoot(cacheDir?: string): string {
  if (cacheDir) return cacheDir;
  if (process.env.DSTREAMS_CACHE_DIR) return process.env.DSTREAMS_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'dstreams');
}

/** The Kafka version asked for: the option, else `DSTREAMS_KAFKA_VERSION`, else the default. */
export function kafkaVersion(version?: string): string {
  const v = version ?? process.env.DSTREAMS_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(v)) throw new KafkaBrokerError(`Invalid Kafka version '${v}': expected e.g. ${DEFAULT_KAFKA_VERSION}`);
  const major = Number.parseInt(v, 10);
  const minor = Number.parseInt(v.split('.')[1], 10);
  // KRaft-only harness: 3.9 is the first release with a complete KRaft storage tool and the last 3.x.
  if (major < 3 || (major === 3 && minor < 9)) throw new KafkaBrokerError(`Kafka ${v} is not supported: use 3.9.x or 4.x`);
  return v;
}

export function kafkaLogging(version: string): KafkaLogging {
  return Number.parseInt(version, 10) >= 4 ? 'log4j2' : 'reload4j';
}

/** The minimal POM whose runtime dependencies are a complete broker classpath. */
export function brokerPom(version: string): string {
  const dep = (g: string, a: string, v: string): string =>
    `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  const logging =
    kafkaLogging(version) === 'log4j2'
      ? [
          dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J2_VERSION),
          dep('org.apache.logging.log4j', 'log4j-core', LOG4J2_VERSION),
          dep('org.apache.logging.log4j', 'log4j-api', LOG4J2_VERSION),
        ]
      : [dep('org.slf4j', 'slf4j-reload4j', SLF4J_RELOAD4J_VERSION), dep('ch.qos.reload4j', 'reload4j', RELOAD4J_VERSION)];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Generated by dstreams scripts/kafka/KafkaDistribution.ts: the runtime classpath of a Kafka broker. -->',
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>dstreams.local</groupId>',
    `  <artifactId>kafka-broker-${version}</artifactId>`,
    '  <version>1</version>',
    '  <packaging>pom</packaging>',
    '  <dependencies>',
    dep('org.apache.kafka', 'kafka_2.13', version),
    ...logging,
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

interface Manifest {
  version: string;
  logging: KafkaLogging;
  jars: string[];
}

const MANIFEST = 'dstreams-kafka.json';

/** Reads a complete cache entry, or undefined when it is missing or incomplete (a jar gone). */
function readCached(dir: string): Manifest | undefined {
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  const libs = path.join(dir, 'libs');
  if (!Array.isArray(m.jars) || m.jars.length === 0) return undefined;
  for (const j of m.jars) if (!fs.existsSync(path.join(libs, j))) return undefined;
  return m;
}

function distribution(dir: string, m: Manifest, fetched: boolean): KafkaDistribution {
  const libsDir = path.join(dir, 'libs');
  return { version: m.version, libsDir, jars: m.jars, logging: m.logging, classpath: path.join(libsDir, '*'), fetched };
}

/**
 * Fetches the broker's jars into `<cache>/kafka-<version>/libs` unless they are there already (then it returns at
 * once, without running Maven). Safe to run concurrently: each run fills a private folder and renames it into place.
 */
export async function fetchKafka(options: FetchKafkaOptions = {}): Promise<KafkaDistribution> {
  const version = kafkaVersion(options.version);
  const root = kafkaCacheRoot(options.cacheDir);
  const dir = path.join(root, `kafka-${version}`);
  const cached = readCached(dir);
  if (cached) return distribution(dir, cached, false);

  const mvn = findMaven();
  fs.mkdirSync(root, { recursive: true });
  const work = fs.mkdtempSync(path.join(root, `.kafka-${version}-`));
  try {
    const pom = path.join(work, 'pom.xml');
    fs.writeFileSync(pom, brokerPom(version));
    options.onProgress?.(`fetching Apache Kafka ${version} (kafka_2.13) from Maven Central with ${mvn} into ${dir} ...`);
    const args = ['-B', '-q', '-f', pom, `${DEPENDENCY_PLUGIN}:copy-dependencies`, '-DincludeScope=runtime', `-DoutputDirectory=${path.join(work, 'libs')}`];
    const out = await run(mvn, args, work);
    if (out.code !== 0) {
      throw new KafkaBrokerError(
        `Fetching Kafka ${version} with Maven failed (exit ${out.code}): ${mvn} ${args.join(' ')}\n${tail(out.output, 30)}`,
      );
    }
    const jars = fs.readdirSync(path.join(work, 'libs')).filter((f) => f.endsWith('.jar')).sort();
    if (!jars.includes(`kafka_2.13-${version}.jar`)) {
      throw new KafkaBrokerError(`Fetching Kafka ${version}: Maven finished but kafka_2.13-${version}.jar is not among ${jars.length} jars in ${work}`);
    }
    const manifest: Manifest = { version, logging: kafkaLogging(version), jars };
    fs.writeFileSync(path.join(work, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    const raced = readCached(dir); // another process may have finished meanwhile
    if (raced) return distribution(dir, raced, true);
    fs.rmSync(dir, { recursive: true, force: true }); // an incomplete entry from an interrupted earlier run
    try {
      fs.renameSync(work, dir);
    } catch (e) {
      // Another process finished first; use its copy.
      const other = readCached(dir);
      if (!other) throw e;
      return distribution(dir, other, true);
    }
    return distribution(dir, manifest, true);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The last `n` non-empty lines of a text. */
export function tail(text: string, n: number): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}
