import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { freePorts } from './freePorts';
import { type JavaInfo, findJava } from './JavaTools';
import { KafkaBrokerError, KafkaBrokerStartError } from './KafkaBrokerError';
import { type FetchKafkaOptions, type KafkaDistribution, fetchKafka, tail } from './KafkaDistribution';

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker+controller) on free 127.0.0.1 ports, for the
 * tests and for users who want to run the Kafka examples without a Kafka install. The jars come from Maven Central
 * (KafkaDistribution.ts); each broker gets a fresh temp folder with its config, log and data.
 *
 * Found when building this (OpenJDK 17.0.15, 2 cores; kafka.md §2 said "not run yet"):
 * - Static quorum (`controller.quorum.voters=1@127.0.0.1:<port>`) + `StorageTool format -t <id> -c <props>`
 *   (no `--standalone`) works on both 4.3.1 and 3.9.2, so one config serves both; kafka.md's 4.x
 *   `controller.quorum.bootstrap.servers` + `--standalone` route is not needed.
 * - Ready signal: "Kafka Server started" (KafkaRaftServer) appears on both; "Transitioning from RECOVERY to RUNNING"
 *   comes ~5 ms before it. We wait for the log line, then confirm with a kafkajs admin `describeCluster`.
 * - Measured here (4.3.1, 2 cores; `npm run bench -- kafka-broker`): on an idle machine format ~0.7-0.9 s (its own
 *   JVM), JVM start to "Kafka Server started" ~2.1 s, ~3 s in all; with other work loading the 2 cores (load 7-14)
 *   4.8-6 s. Graceful SIGTERM stop 0.3-1.6 s. RSS after start ~320-370 MB with -Xms256m -Xmx512m (kafka.md
 *   guessed 5-10 s and 512 MB heap: the heap is right, the time is lower).
 * - Class-data sharing (JDK 17 dynamic archive, `-XX:ArchiveClassesAtExit` on the first attached broker, then
 *   `-XX:SharedArchiveFile` from `<cache>/kafka-<v>/classes-java<version>.jsa`, ~50 MB) loads ~1660 of the
 *   broker's classes from the archive and cut JVM start by 35-45% in A/B runs here. DSTREAMS_KAFKA_CDS=0 turns it off.
 * - After a SIGKILL, a restarted broker is refused with DUPLICATE_BROKER_REGISTRATION until the old incarnation's
 *   session expires (`broker.session.timeout.ms`, 9 s by default); we set 3 s (heartbeat 500 ms).
 * - Cluster ids must not start with '-': StorageTool's parser takes `-t -xyz` for an option ("argument
 *   --cluster-id/-t: expected one argument"); Kafka's own Uuid.randomUuid avoids them for that reason.
 * - kafkajs 2.2.4 works against 4.3.1 (topics, produce incl. the idempotent producer, consumer groups, offsets),
 *   as kafka.md §1.2 predicted. The first consumer-group join / InitProducerId logs one retried "coordinator not
 *   available / loading" while `__consumer_offsets` (1 partition) or the transaction log is created.
 * - A plain (non-idempotent) kafkajs producer duplicated a batch on a loaded machine (a retried send): tests that
 *   count records use `idempotent: true`.
 * - When the Node process that started a broker dies without stopping it (jest killed, Ctrl-C), a small `sh`
 *   watchdog sees its stdin pipe close and SIGTERMs the JVM, then removes the temp folder: no orphaned brokers.
 *   `detached: true` (the CLI's `start --detach`) skips the watchdog; stop it with `scripts/kafka-broker stop`.
 */

/** The line KafkaRaftServer logs when the broker serves requests (both 3.9 and 4.x). */
export const READY_LINE = 'Kafka Server started';
const BIND_ERROR = /Address already in use|BindException/;

export interface KafkaBrokerOptions extends FetchKafkaOptions {
  /** Extra or overriding `server.properties` entries (e.g. `{ 'log.retention.ms': '1000' }`). */
  readonly overrides?: Readonly<Record<string, string>>;
  /** How long to wait for the broker to become ready. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** JVM heap flags. Default: `$KAFKA_HEAP_OPTS`, else `-Xms256m -Xmx512m`. */
  readonly heapOpts?: string;
  /** Keep running after this Node process exits (no watchdog). Default false. */
  readonly detached?: boolean;
  /** Where the broker's temp folder is made. Default `os.tmpdir()`. */
  readonly tmpDir?: string;
}

/** What a running broker looks like from outside; the CLI stores it as its state file. */
export interface KafkaBrokerInfo {
  readonly bootstrap: string;
  readonly version: string;
  readonly pid: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly dir: string;
  readonly logFile: string;
  readonly clusterId: string;
  /** Milliseconds: fetch (0 when cached), format, JVM start until ready, and the whole start. */
  readonly timings: KafkaBrokerTimings;
}

export interface KafkaBrokerTimings {
  readonly fetchMs: number;
  readonly formatMs: number;
  readonly startMs: number;
  readonly totalMs: number;
}

/**
 * Starts a fresh broker and resolves when it serves requests: `const b = await startKafkaBroker();
 * ... b.bootstrap ...; await b.stop()`.
 */
export function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  return KafkaBroker.start(options);
}

/** One broker process and its temp folder. Not a Spark class: Spark's tests use Kafka's own test kit. */
export class KafkaBroker {
  private child: ChildProcess | undefined;
  private javaPid: number | undefined;
  private exit: Promise<number | null> = Promise.resolve(null);
  private stopped = false;
  private lastStartMs = 0;
  private dumpingArchive = false;

  private constructor(
    private readonly options: KafkaBrokerOptions,
    private readonly java: JavaInfo,
    private readonly dist: KafkaDistribution,
    readonly brokerPort: number,
    readonly controllerPort: number,
    readonly dir: string,
    readonly clusterId: string,
    private readonly fetchMs: number,
    private readonly formatMs: number,
  ) {}

  /** `127.0.0.1:<port>`: the `bootstrap.servers` / kafkajs `brokers` value. */
  get bootstrap(): string {
    return `127.0.0.1:${this.brokerPort}`;
  }
  get version(): string {
    return this.dist.version;
  }
  /** The JVM's pid while it runs. */
  get pid(): number | undefined {
    return this.javaPid;
  }
  get logFile(): string {
    return path.join(this.dir, 'server.log');
  }
  get running(): boolean {
    return this.javaPid !== undefined;
  }
  get timings(): KafkaBrokerTimings {
    return { fetchMs: this.fetchMs, formatMs: this.formatMs, startMs: this.lastStartMs, totalMs: this.fetchMs + this.formatMs + this.lastStartMs };
  }

  info(): KafkaBrokerInfo {
    if (this.javaPid === undefined) throw new KafkaBrokerError(`Kafka broker ${this.bootstrap} is not running`);
    return {
      bootstrap: this.bootstrap,
      version: this.version,
      pid: this.javaPid,
      brokerPort: this.brokerPort,
      controllerPort: this.controllerPort,
      dir: this.dir,
      logFile: this.logFile,
      clusterId: this.clusterId,
      timings: this.timings,
    };
  }

  /** Resident memory of the JVM in bytes (Linux), or undefined. */
  rssBytes(): number | undefined {
    if (this.javaPid === undefined) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.javaPid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Resolves with the JVM's exit code (or null after a signal) when it ends, for whatever reason. */
  exited(): Promise<number | null> {
    return this.exit;
  }

  static async start(options: KafkaBrokerOptions): Promise<KafkaBroker> {
    const t0 = Date.now();
    const java = findJava();
    const dist = await fetchKafka(options);
    const fetchMs = Date.now() - t0;
    let lastError: unknown;
    // A free port can be taken by someone else between our probe and the broker's bind: retry with new ports.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [brokerPort, controllerPort] = await freePorts(2);
      const dir = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'dstreams-kafka-'));
      const clusterId = newClusterId();
      try {
        writeConfig(dir, dist, brokerPort, controllerPort, options.overrides ?? {});
        const tf = Date.now();
        await format(java.java, dist, dir, clusterId, existingArchive(dist, java));
        const broker = new KafkaBroker(options, java, dist, brokerPort, controllerPort, dir, clusterId, fetchMs, Date.now() - tf);
        await broker.launch();
        return broker;
      } catch (e) {
        fs.rmSync(dir, { recursive: true, force: true });
        lastError = e;
        if (!(e instanceof KafkaBrokerStartError && BIND_ERROR.test(e.logTail))) throw e;
      }
    }
    throw lastError;
  }

  /** Starts the JVM on the existing folder and waits until it is ready; on failure the JVM is gone. */
  private async launch(): Promise<void> {
    const t0 = Date.now();
    // Class-data sharing: reuse the archive an earlier broker dumped, else dump one when this JVM exits
    // (attached brokers only: their stop() promotes it into the cache). Cuts JVM start by roughly a third here.
    const archive = existingArchive(this.dist, this.java);
    this.dumpingArchive = !archive && !this.options.detached && process.env.DSTREAMS_KAFKA_CDS !== '0';
    const cds = archive ? [`-XX:SharedArchiveFile=${archive}`] : this.dumpingArchive ? [`-XX:ArchiveClassesAtExit=${this.dumpFile}`] : [];
    const args = [...cds, ...jvmArgs(this.dist, this.dir, this.options.heapOpts)];
    // A restart appends to the same log: look for the ready line only in what this run writes.
    const logStart = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
    if (this.options.detached) {
      const fd = fs.openSync(this.logFile, 'a');
      try {
        this.child = spawn(this.java.java, args, { detached: true, stdio: ['ignore', fd, fd] });
      } finally {
        fs.closeSync(fd);
      }
      this.javaPid = this.child.pid;
      this.child.unref();
    } else {
      this.child = spawn('sh', ['-c', WATCHDOG, 'dstreams-kafka-watchdog', this.logFile, this.dir, this.java.java, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.javaPid = await firstLinePid(this.child);
      for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
      this.child.unref();
    }
    const child = this.child;
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
    void this.exit.then(() => {
      if (this.child === child) this.javaPid = undefined;
    });
    try {
      await this.waitReady(this.options.startTimeoutMs ?? 60_000, logStart);
    } catch (e) {
      await this.terminate('SIGKILL', 10_000);
      throw e;
    }
    this.lastStartMs = Date.now() - t0;
  }

  private async waitReady(timeoutMs: number, logStart: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exit.then(() => (exited = true));
    let seen = '';
    let offset = logStart;
    for (;;) {
      const chunk = readFrom(this.logFile, offset);
      offset += chunk.length;
      // Keep a window big enough to hold a line split across two reads.
      seen = (seen + chunk.toString('utf8')).slice(-64 * 1024);
      if (seen.includes(READY_LINE)) break;
      if (exited) throw new KafkaBrokerStartError('start', this.dir, `the JVM exited with ${await this.exit} before "${READY_LINE}"`, this.logTail());
      if (Date.now() > deadline) throw new KafkaBrokerStartError('ready', this.dir, `no "${READY_LINE}" within ${timeoutMs} ms`, this.logTail());
      await delay(100);
    }
    // The log line is the broker's word; one metadata round trip is ours.
    const admin = new Kafka({ clientId: 'dstreams-kafka-broker', brokers: [this.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 } }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length !== 1) throw new Error(`expected 1 broker in metadata, got ${cluster.brokers.length}`);
    } catch (e) {
      throw new KafkaBrokerStartError('ready', this.dir, `"${READY_LINE}" was logged but a metadata request failed: ${(e as Error).message}`, this.logTail());
    } finally {
      await admin.disconnect();
    }
  }

  /** The last lines of the broker's log (for error messages). */
  logTail(lines = 40): string {
    return tail(readFrom(this.logFile, 0).toString('utf8'), lines);
  }

  /** Sends `signal` to the JVM and waits for it to end (SIGKILL after `timeoutMs`). The data folder stays. */
  private async terminate(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const pid = this.javaPid;
    if (pid === undefined) return;
    const graceful = signal !== 'SIGKILL';
    signalPid(pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exit.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      signalPid(pid, 'SIGKILL');
      await this.exit;
    }
    this.javaPid = undefined;
    if (graceful && !timedOut && this.dumpingArchive) promoteArchive(this.dumpFile, this.dist, this.java);
  }

  private get dumpFile(): string {
    return path.join(this.dir, 'classes.jsa');
  }

  /** Simulates a crash: kills the JVM (default SIGKILL) and waits for it to end. The data stays for {@link restart}. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.terminate(signal, 30_000);
  }

  /** Stops the JVM gracefully if it runs, then starts it again on the same ports and data (a broker restart). */
  async restart(): Promise<void> {
    if (this.stopped) throw new KafkaBrokerError(`Kafka broker ${this.bootstrap} was stopped and its folder removed; start a new one`);
    await this.terminate('SIGTERM', 30_000);
    await this.launch();
  }

  /** Graceful stop (SIGTERM: controlled shutdown; SIGKILL after 30 s), then removes the temp folder. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.terminate('SIGTERM', 30_000);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Stops a broker started by another process (the CLI's `stop` after `start --detach`): checks that the pid is
 * still that broker's JVM, SIGTERMs it, waits (SIGKILL after `timeoutMs`) and removes its folder.
 */
export async function stopKafkaBrokerProcess(info: Pick<KafkaBrokerInfo, 'pid' | 'dir'>, timeoutMs = 30_000): Promise<'stopped' | 'not-running'> {
  let state: 'stopped' | 'not-running' = 'not-running';
  if (isBrokerProcess(info.pid, info.dir)) {
    signalPid(info.pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (isBrokerProcess(info.pid, info.dir) && Date.now() < deadline) await delay(50);
    if (isBrokerProcess(info.pid, info.dir)) signalPid(info.pid, 'SIGKILL');
    while (isBrokerProcess(info.pid, info.dir)) await delay(50);
    state = 'stopped';
  }
  fs.rmSync(info.dir, { recursive: true, force: true });
  return state;
}

/** True when `pid` is alive (not a zombie) and its command line is a kafka.Kafka JVM on `dir`; guards against pid reuse. */
function isBrokerProcess(pid: number, dir: string): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('kafka.Kafka') && cmd.includes(dir);
  } catch {
    // No /proc (macOS): fall back to "is the pid alive".
    if (fs.existsSync('/proc/self')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The attached-mode wrapper (`sh -c`): runs java with its output appended to the log, prints java's pid, and
 * watches its own stdin (a pipe from the Node parent). EOF there means the parent died without stopping the
 * broker: it SIGTERMs java and removes the folder. A signal to the wrapper itself (Ctrl-C or a kill of the whole
 * process group; KafkaBroker signals java directly) is forwarded to java and also removes the folder afterwards.
 * Background commands get stdin from /dev/null in a non-interactive shell, hence the copy on fd 3.
 */
const WATCHDOG = `
log=$1; dir=$2; shift 2
exec 3<&0
"$@" >>"$log" 2>&1 </dev/null 3<&- &
j=$!
echo "$j"
( while read -r _ <&3; do :; done; : >"$dir/.orphaned"; kill -TERM "$j" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
w=$!
exec 3<&-
gone=
trap 'gone=1; kill -TERM "$j" 2>/dev/null' TERM INT HUP
while :; do wait "$j"; s=$?; kill -0 "$j" 2>/dev/null || break; done
kill "$w" 2>/dev/null
if [ -n "$gone" ] || [ -e "$dir/.orphaned" ]; then rm -rf "$dir"; fi
exit "$s"
`;

function writeConfig(dir: string, dist: KafkaDistribution, brokerPort: number, controllerPort: number, overrides: Readonly<Record<string, string>>): void {
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    // Static quorum: works for 3.9 and 4.x with a plain `format` (no --standalone); see the header.
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${brokerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': path.join(dir, 'data'),
    'num.partitions': '1',
    // One broker: every internal topic must have replication factor 1, or group coordination never starts.
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1', // faster first group join (Testcontainers does the same)
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    // After a crash (SIGKILL) the restarted broker is refused (DUPLICATE_BROKER_REGISTRATION) until the old
    // incarnation's session expires: 9 s by default, 3 s here (heartbeats must be well inside it).
    'broker.session.timeout.ms': '3000',
    'broker.heartbeat.interval.ms': '500',
    ...(dist.logging === 'log4j2' ? { 'share.coordinator.state.topic.replication.factor': '1', 'share.coordinator.state.topic.min.isr': '1' } : {}),
    ...overrides,
  };
  const text = Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  fs.writeFileSync(path.join(dir, 'server.properties'), `# written by dstreams scripts/kafka/KafkaBroker.ts\n${text}\n`);
  const level = process.env.DSTREAMS_KAFKA_LOG_LEVEL ?? 'INFO';
  const log4j =
    dist.logging === 'log4j2'
      ? [
          'status = warn',
          'appender.out.type = Console',
          'appender.out.name = STDOUT',
          'appender.out.layout.type = PatternLayout',
          'appender.out.layout.pattern = [%d] %p %m (%c)%n',
          `rootLogger.level = ${level}`,
          'rootLogger.appenderRef.out.ref = STDOUT',
          // The ready line must be logged whatever the root level.
          'logger.ready.name = kafka.server.KafkaRaftServer',
          'logger.ready.level = INFO',
        ]
      : [
          `log4j.rootLogger=${level}, stdout`,
          'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
          'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
          'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
          'log4j.logger.kafka.server.KafkaRaftServer=INFO',
        ];
  fs.writeFileSync(path.join(dir, logConfigName(dist)), log4j.join('\n') + '\n');
}

/**
 * Kafka's `Uuid.randomUuid().toString()`: 22 url-safe base64 chars, never starting with '-' (StorageTool's argument
 * parser would take `-t -abc...` for an option: "argument --cluster-id/-t: expected one argument"; seen here).
 */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function logConfigName(dist: KafkaDistribution): string {
  return dist.logging === 'log4j2' ? 'log4j2.properties' : 'log4j.properties';
}

function logConfigFlag(dist: KafkaDistribution, dir: string): string {
  const file = path.join(dir, logConfigName(dist));
  return dist.logging === 'log4j2' ? `-Dlog4j2.configurationFile=${file}` : `-Dlog4j.configuration=file:${file}`;
}

/** The cached class-data-sharing archive for this Kafka and JDK (an archive only fits the JVM that dumped it). */
function archivePath(dist: KafkaDistribution, java: JavaInfo): string {
  return path.join(path.dirname(dist.libsDir), `classes-java${java.version.replace(/[^\w.-]/g, '_')}.jsa`);
}

function existingArchive(dist: KafkaDistribution, java: JavaInfo): string | undefined {
  if (process.env.DSTREAMS_KAFKA_CDS === '0') return undefined;
  const file = archivePath(dist, java);
  return fs.existsSync(file) ? file : undefined;
}

/** Moves a JVM's exit-time class dump into the cache (copy + rename: atomic, and /tmp may be another filesystem). */
function promoteArchive(dump: string, dist: KafkaDistribution, java: JavaInfo): void {
  const target = archivePath(dist, java);
  try {
    if (fs.existsSync(target) || !fs.existsSync(dump) || fs.statSync(dump).size === 0) return;
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.copyFileSync(dump, tmp);
    fs.renameSync(tmp, target);
  } catch {
    // Best effort: without the archive the next broker just starts a little slower.
  } finally {
    fs.rmSync(dump, { force: true });
  }
}

function jvmArgs(dist: KafkaDistribution, dir: string, heapOpts?: string): string[] {
  const heap = (heapOpts ?? process.env.KAFKA_HEAP_OPTS ?? '-Xms256m -Xmx512m').split(/\s+/).filter(Boolean);
  return [
    ...heap,
    // Kafka's default KAFKA_JVM_PERFORMANCE_OPTS (bin/kafka-run-class.sh).
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${path.join(dir, 'logs')}`,
    logConfigFlag(dist, dir),
    '-cp',
    dist.classpath,
    'kafka.Kafka',
    path.join(dir, 'server.properties'),
  ];
}

async function format(java: string, dist: KafkaDistribution, dir: string, clusterId: string, archive: string | undefined): Promise<void> {
  // A short-lived tool JVM: C1 only and a small heap start faster; the broker's class archive fits it too.
  const args = [...(archive ? [`-XX:SharedArchiveFile=${archive}`] : []), '-Xmx256m', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', logConfigFlag(dist, dir), '-cp', dist.classpath,
    'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', path.join(dir, 'server.properties')];
  const logFile = path.join(dir, 'format.log');
  const fd = fs.openSync(logFile, 'w');
  let code: number | null;
  try {
    const child = spawn(java, args, { stdio: ['ignore', fd, fd] });
    code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
  } finally {
    fs.closeSync(fd);
  }
  if (code !== 0) {
    throw new KafkaBrokerStartError('format', dir, `kafka.tools.StorageTool format exited with ${code}`, tail(fs.readFileSync(logFile, 'utf8'), 20));
  }
}

/** Reads the wrapper's first stdout line: java's pid. */
function firstLinePid(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    const onData = (d: string): void => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        child.stdout?.off('data', onData);
        const pid = Number.parseInt(out.slice(0, nl), 10);
        if (Number.isInteger(pid) && pid > 0) resolve(pid);
        else reject(new KafkaBrokerError(`Kafka broker wrapper printed '${out.slice(0, nl)}' instead of a pid`));
      }
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new KafkaBrokerError(`Kafka broker wrapper exited with ${code} before starting java: ${err.trim()}`)));
  });
}

function readFrom(file: string, offset: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    const n = fs.readSync(fd, buf, 0, buf.length, offset);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
