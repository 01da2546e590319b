/**
 * `scripts/kafka-broker`: a real single-node Apache Kafka broker (KRaft) for the tests and for running the Kafka
 * examples, fetched from Maven Central with `mvn` (needs a JDK 17+ and Maven; nothing else).
 *
 *   scripts/kafka-broker fetch  [--version V]                 check the JDK, fetch the jars into ~/.cache/dstreams
 *                                                             (idempotent; no Maven run once cached)
 *   scripts/kafka-broker start  [--version V] [--override k=v]... [--timeout-ms N]
 *                                                             start on free 127.0.0.1 ports, print JSON, run until
 *                                                             Ctrl-C / SIGTERM (then stop and clean up)
 *   scripts/kafka-broker start --detach [--state FILE]        start, print JSON, write FILE and return
 *   scripts/kafka-broker status [--state FILE]                print the detached broker's JSON (exit 1 if none)
 *   scripts/kafka-broker stop   [--state FILE]                SIGTERM the detached broker, wait, remove its folder
 *
 * The JSON has `bootstrap` ("127.0.0.1:<port>", the `bootstrap.servers` value), `pid`, `dir`, `logFile`, `version`
 * and `timings`. Environment: DSTREAMS_KAFKA_VERSION (default 4.3.1), DSTREAMS_CACHE_DIR, JAVA_HOME, DSTREAMS_MVN,
 * KAFKA_HEAP_OPTS (default "-Xms256m -Xmx512m"), DSTREAMS_KAFKA_LOG_LEVEL (broker log level, default INFO).
 * Findings (versions, classpath, logging, timings) are in the headers of scripts/kafka/KafkaDistribution.ts and
 * scripts/kafka/KafkaBroker.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { type KafkaBrokerInfo, startKafkaBroker, stopKafkaBrokerProcess } from './kafka/KafkaBroker';
import { findJava } from './kafka/JavaTools';
import { KafkaBrokerError } from './kafka/KafkaBrokerError';
import { fetchKafka, kafkaCacheRoot } from './kafka/KafkaDistribution';

const USAGE = 'usage: scripts/kafka-broker fetch|start|status|stop [--version V] [--detach] [--state FILE] [--override key=value]... [--timeout-ms N]';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      version: { type: 'string' },
      detach: { type: 'boolean', default: false },
      state: { type: 'string' },
      override: { type: 'string', multiple: true },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (rest.length > 0) throw new KafkaBrokerError(`unexpected arguments: ${rest.join(' ')}\n${USAGE}`);
  const stateFile = path.resolve(values.state ?? path.join(kafkaCacheRoot(), 'kafka-broker.json'));
  const progress = (m: string): void => void process.stderr.write(`${m}\n`);

  switch (command) {
    case 'fetch': {
      const t0 = Date.now();
      const java = findJava(); // jars without a JDK to run them are no use: say so now (CI runs this first)
      const d = await fetchKafka({ version: values.version, onProgress: progress });
      console.log(JSON.stringify({ version: d.version, libsDir: d.libsDir, jars: d.jars.length, logging: d.logging, fetched: d.fetched, java: java.version, ms: Date.now() - t0 }));
      return 0;
    }
    case 'start': {
      const overrides: Record<string, string> = {};
      for (const o of values.override ?? []) {
        const eq = o.indexOf('=');
        if (eq <= 0) throw new KafkaBrokerError(`--override '${o}': expected key=value`);
        overrides[o.slice(0, eq)] = o.slice(eq + 1);
      }
      const timeout = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
      if (timeout !== undefined && !(timeout > 0)) throw new KafkaBrokerError(`--timeout-ms '${values['timeout-ms']}': expected a positive number`);
      if (values.detach) {
        const old = readState(stateFile);
        if (old && isAlive(old.pid)) throw new KafkaBrokerError(`a detached broker already runs at ${old.bootstrap} (pid ${old.pid}, state ${stateFile}); stop it first or pass --state`);
      }
      const broker = await startKafkaBroker({ version: values.version, overrides, startTimeoutMs: timeout, detached: values.detach, onProgress: progress });
      const info = broker.info();
      console.log(JSON.stringify(info));
      if (values.detach) {
        fs.mkdirSync(path.dirname(stateFile), { recursive: true });
        fs.writeFileSync(stateFile, JSON.stringify(info, null, 2) + '\n');
        progress(`Kafka ${info.version} broker at ${info.bootstrap} (pid ${info.pid}); stop it with: scripts/kafka-broker stop${values.state ? ` --state ${values.state}` : ''}`);
        return 0;
      }
      progress(`Kafka ${info.version} broker at ${info.bootstrap} (pid ${info.pid}, log ${info.logFile}); Ctrl-C stops it`);
      // The broker's child handles are unref'd (so library users never hang on them); this keeps the CLI alive.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      const signalled = new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      const outcome = await Promise.race([signalled.then(() => 'signal' as const), broker.exited().then(() => 'exited' as const)]);
      clearInterval(keepAlive);
      if (outcome === 'exited') {
        progress(`the Kafka broker exited unexpectedly; last log lines:\n${broker.logTail(20)}`);
        await broker.stop();
        return 1;
      }
      await broker.stop();
      progress('Kafka broker stopped');
      return 0;
    }
    case 'status': {
      const info = readState(stateFile);
      if (!info || !isAlive(info.pid)) {
        progress(`no detached Kafka broker (state file ${stateFile})`);
        return 1;
      }
      console.log(JSON.stringify(info));
      return 0;
    }
    case 'stop': {
      const info = readState(stateFile);
      if (!info) {
        progress(`no detached Kafka broker (state file ${stateFile} not found)`);
        return 0;
      }
      const r = await stopKafkaBrokerProcess(info);
      fs.rmSync(stateFile, { force: true });
      progress(r === 'stopped' ? `Kafka broker ${info.bootstrap} (pid ${info.pid}) stopped` : `Kafka broker ${info.bootstrap} was not running; cleaned up ${info.dir}`);
      return 0;
    }
    default:
      throw new KafkaBrokerError(`unknown command '${command}'\n${USAGE}`);
  }
}

function readState(file: string): KafkaBrokerInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as KafkaBrokerInfo;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KafkaBrokerError(`cannot read the broker state file ${file}: ${(e as Error).message}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof KafkaBrokerError ? `kafka-broker: ${e.message}` : e);
    process.exit(1);
  },
);
