/**
 * queue-wordcount: the streaming core's cost over the RDD engine. A queueStream of pre-built RDDs (1M words per
 * batch, 10 words per line, ~1000 distinct) runs `flatMap(split) -> map([w, 1]) -> reduceByKey(+) -> foreachRDD(collect)`
 * for 30 batches; the same 30 RDDs also go through the same pipeline as plain RDD jobs (no streaming) in the same
 * process. Both sides run `--warmup` times and then `--reps` measured times, alternating; medians are reported.
 *
 * The streaming side runs on the ManualClock and `ssc.step(30)` runs the batches back to back: on the system clock
 * a run would take 30 batch intervals whatever the engine costs, so the wall time would measure the clock, not the
 * scheduler. Everything else (timer, JobGenerator event loop, JobScheduler, listener bus, metadata cleanup) runs as
 * it does on the system clock.
 *
 * Both wall time and this process's CPU time are reported: on a busy machine the CPU-time ratio is the steadier one.
 *
 * Scheduling overhead: the wall time per batch of `--empty` empty batches (the same word-count graph over empty
 * RDDs, and a bare `queueStream.foreachRDD(noop)` graph), stepped one batch at a time, i.e. everything a batch costs
 * when there is no data.
 *
 *   npm run bench -- queue-wordcount [--words-per-batch 1000000] [--batches 30] [--partitions 4] [--reps 3] [--empty 2000]
 */
import { performance } from 'node:perf_hooks';
import { type DStream, type RDD, Seconds, SparkConf, SparkContext, StreamingContext, type BatchInfo } from '../lib';
import { arg, writeResult } from './report';
import { wordLines } from './wordLines';

const WORDS = arg('words-per-batch', 1_000_000);
const BATCHES = arg('batches', 30);
const DISTINCT = arg('distinct', 1000);
const PER_LINE = arg('per-line', 10);
const PARTITIONS = arg('partitions', 4);
const WARMUP = arg('warmup', 1);
const REPS = arg('reps', 3);
const EMPTY = arg('empty', 2000);

/** One batch of input: `WORDS / PER_LINE` lines (xorshift32 with a per-batch seed). */
function makeLines(seed: number): string[] {
  return wordLines(WORDS, DISTINCT, PER_LINE, seed);
}

function wordCount(rdd: RDD<string>): RDD<[string, number]> {
  return rdd
    .flatMap((l) => l.split(' '))
    .map((w): [string, number] => [w, 1])
    .reduceByKey((a, b) => a + b);
}

/** The same pipeline on a DStream (each batch's RDD goes through exactly `wordCount`'s operations). */
function wordCountStream(stream: DStream<string>): DStream<[string, number]> {
  return stream
    .flatMap((l) => l.split(' '))
    .map((w): [string, number] => [w, 1])
    .reduceByKey((a, b) => a + b);
}

function manualContext(sc: SparkContext): StreamingContext {
  sc.conf.set('spark.streaming.clock', 'manual');
  return new StreamingContext(sc, Seconds(1));
}

/** CPU time (user + system) of this process in ms: less disturbed than wall time when the machine is busy. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The streaming side: 30 pre-built RDDs through a queueStream; returns [wall ms, cpu ms, words counted]. */
async function streamingRun(sc: SparkContext, batches: string[][]): Promise<[number, number, number]> {
  const ssc = manualContext(sc);
  const queue: RDD<string>[] = batches.map((lines) => sc.makeRDD(lines, PARTITIONS));
  let counted = 0;
  wordCountStream(ssc.queueStream(queue)).foreachRDD(async (rdd) => {
    for (const [, c] of await rdd.collect()) counted += c;
  });
  await ssc.start();
  const c = cpuMs();
  const t = performance.now();
  await ssc.step(batches.length);
  const ms = performance.now() - t;
  const cpu = cpuMs() - c;
  await ssc.stop(false);
  return [ms, cpu, counted];
}

/** The RDD-only side: the same RDDs through the same pipeline as plain jobs, one after another. */
async function rddRun(sc: SparkContext, batches: string[][]): Promise<[number, number, number]> {
  const rdds = batches.map((lines) => sc.makeRDD(lines, PARTITIONS));
  let counted = 0;
  const c = cpuMs();
  const t = performance.now();
  for (const rdd of rdds) for (const [, n] of await wordCount(rdd).collect()) counted += n;
  return [performance.now() - t, cpuMs() - c, counted];
}

/** Wall time per empty batch (stepped one at a time) and the mean processing delay the listener saw. */
async function emptyBatches(sc: SparkContext, graph: 'wordcount' | 'bare'): Promise<{ msPerBatch: number; meanProcessingDelayMs: number }> {
  const ssc = manualContext(sc);
  const input = ssc.queueStream<string>([]);
  if (graph === 'wordcount') wordCountStream(input).foreachRDD(async (rdd) => void (await rdd.collect()));
  else input.foreachRDD(() => undefined);
  const delays: number[] = [];
  ssc.addStreamingListener({ onBatchCompleted: (e: { batchInfo: BatchInfo }) => void delays.push(e.batchInfo.processingDelay ?? 0) });
  await ssc.start();
  await ssc.step(Math.min(200, EMPTY)); // warm up
  delays.length = 0;
  const t = performance.now();
  for (let i = 0; i < EMPTY; i++) await ssc.step(1);
  const ms = performance.now() - t;
  await ssc.stop(false);
  return { msPerBatch: ms / EMPTY, meanProcessingDelayMs: delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const r3 = (x: number): number => Number(x.toFixed(3));

async function main(): Promise<void> {
  // A few distinct batches, cycled, keep memory modest while each batch is a real 1M-word input.
  const distinctBatches = Array.from({ length: Math.min(BATCHES, 5) }, (_, i) => makeLines(i + 1));
  const batches = Array.from({ length: BATCHES }, (_, i) => distinctBatches[i % distinctBatches.length]);
  const total = WORDS * BATCHES;
  const sc = new SparkContext(new SparkConf(false).setMaster(`local[${PARTITIONS}]`).setAppName('queue-wordcount'));

  const streamMs: number[] = [];
  const rddMs: number[] = [];
  const streamCpu: number[] = [];
  const rddCpu: number[] = [];
  for (let rep = 0; rep < WARMUP + REPS; rep++) {
    gc();
    const [sMs, sCpu, sCount] = await streamingRun(sc, batches);
    gc();
    const [rMs, rCpu, rCount] = await rddRun(sc, batches);
    if (sCount !== total || rCount !== total) throw new Error(`word counts differ: streaming ${sCount}, rdd ${rCount}, expected ${total}`);
    if (rep >= WARMUP) {
      streamMs.push(sMs);
      rddMs.push(rMs);
      streamCpu.push(sCpu);
      rddCpu.push(rCpu);
    }
  }
  gc();
  const emptyWordCount = await emptyBatches(sc, 'wordcount');
  const emptyBare = await emptyBatches(sc, 'bare');
  sc.stop();

  const streamingMs = median(streamMs);
  const rddOnlyMs = median(rddMs);
  const recordsPerSecStreaming = Math.round(total / (streamingMs / 1000));
  const recordsPerSecRddOnly = Math.round(total / (rddOnlyMs / 1000));
  writeResult('queue-wordcount', {
    recordsPerSecStreaming,
    recordsPerSecRddOnly,
    ratio: r3(recordsPerSecStreaming / recordsPerSecRddOnly),
    recordsPerCpuSecStreaming: Math.round(total / (median(streamCpu) / 1000)),
    recordsPerCpuSecRddOnly: Math.round(total / (median(rddCpu) / 1000)),
    cpuRatio: r3(median(rddCpu) / median(streamCpu)),
    emptyBatchMsWordCountGraph: r3(emptyWordCount.msPerBatch),
    emptyBatchMsBareGraph: r3(emptyBare.msPerBatch),
    emptyBatchMeanProcessingDelayMs: r3(emptyWordCount.meanProcessingDelayMs),
    aim: 'ratio >= 0.8 (within 20% of the RDD-only pipeline); empty batch < 1 ms',
    clock: 'manual (ssc.step runs batches back to back)',
    wordsPerBatch: WORDS,
    batches: BATCHES,
    distinctWords: DISTINCT,
    wordsPerLine: PER_LINE,
    partitions: PARTITIONS,
    master: `local[${PARTITIONS}]`,
    emptyBatchesMeasured: EMPTY,
    warmupRuns: WARMUP,
    measuredRuns: REPS,
    streamingMsMedian: Number(streamingMs.toFixed(1)),
    rddOnlyMsMedian: Number(rddOnlyMs.toFixed(1)),
    streamingMsAll: streamMs.map((x) => Number(x.toFixed(1))),
    rddOnlyMsAll: rddMs.map((x) => Number(x.toFixed(1))),
    streamingCpuMsAll: streamCpu.map((x) => Number(x.toFixed(1))),
    rddOnlyCpuMsAll: rddCpu.map((x) => Number(x.toFixed(1))),
    note: 'ratio compares wall time, cpuRatio CPU time of this process (less disturbed by other load on the machine)',
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
