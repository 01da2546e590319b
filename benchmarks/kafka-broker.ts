/**
 * `npm run bench -- kafka-broker [runs]`: how long the test/user Kafka broker (scripts/kafka/KafkaBroker.ts) takes to
 * fetch, format, start, restart after a crash, and stop, and how much memory it holds. Writes
 * benchmarks/results/kafka-broker.json. The fetch is measured into an empty temp cache (Maven itself still uses
 * ~/.m2, so "cold" means "our cache empty", not "nothing downloaded").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startKafkaBroker } from '../scripts/kafka/KafkaBroker';
import { fetchKafka } from '../scripts/kafka/KafkaDistribution';
import { writeResult } from './report';

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const tmpCache = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-bench-cache-'));
  let t = Date.now();
  const dist = await fetchKafka({ cacheDir: tmpCache });
  const fetchIntoEmptyCacheMs = Date.now() - t;
  fs.rmSync(tmpCache, { recursive: true, force: true });
  t = Date.now();
  await fetchKafka();
  const fetchCachedMs = Date.now() - t;

  const format: number[] = [];
  const start: number[] = [];
  const total: number[] = [];
  const stop: number[] = [];
  const rssMiB: number[] = [];
  const restartAfterKill: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = Date.now();
    const broker = await startKafkaBroker();
    total.push(Date.now() - t);
    format.push(broker.timings.formatMs);
    start.push(broker.timings.startMs);
    rssMiB.push(Math.round((broker.rssBytes() ?? 0) / 2 ** 20));
    await broker.kill('SIGKILL');
    t = Date.now();
    await broker.restart();
    restartAfterKill.push(Date.now() - t);
    t = Date.now();
    await broker.stop();
    stop.push(Date.now() - t);
  }
  // The same start without the class-data-sharing archive, for comparison.
  const startNoCds: number[] = [];
  process.env.DSTREAMS_KAFKA_CDS = '0';
  for (let i = 0; i < runs; i++) {
    const broker = await startKafkaBroker();
    startNoCds.push(broker.timings.startMs);
    await broker.stop();
  }
  delete process.env.DSTREAMS_KAFKA_CDS;

  writeResult('kafka-broker', {
    kafkaVersion: dist.version,
    jars: dist.jars.length,
    logging: dist.logging,
    runs,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    fetchIntoEmptyCacheMs,
    fetchCachedMs,
    formatMs: stats(format),
    jvmStartUntilReadyMs: stats(start),
    jvmStartUntilReadyWithoutCdsMs: stats(startNoCds),
    startTotalMs: stats(total),
    restartAfterSigkillMs: stats(restartAfterKill),
    gracefulStopMs: stats(stop),
    rssAfterStartMiB: stats(rssMiB),
  });
}

void main();
