/**
 * rdd-wordcount: `flatMap(split) -> map([w, 1]) -> reduceByKey(+)` via `collect` over 10M words drawn from ~1000
 * distinct ones, beside a hand-written fused loop (split, count in one Map) over the same lines in the same run.
 * Each side runs `--warmup` times, then `--reps` measured times; the medians are reported.
 *
 *   npm run bench -- rdd-wordcount [--words 10000000] [--distinct 1000] [--per-line 10] [--partitions 4] [--reps 5]
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SparkContext } from '../lib';
import { arg, writeResult } from './report';
import { wordLines } from './wordLines';

const WORDS = arg('words', 10_000_000);
const DISTINCT = arg('distinct', 1000);
const PER_LINE = arg('per-line', 10);
const PARTITIONS = arg('partitions', 4);
const WARMUP = arg('warmup', 2);
const REPS = arg('reps', 5);

/** Deterministic input: `WORDS / PER_LINE` lines of `PER_LINE` words each (xorshift32, fixed seed). */
function makeLines(): string[] {
  return wordLines(WORDS, DISTINCT, PER_LINE);
}

/** The hand-written fused loop: what a single function doing the same job would run. */
function handLoop(lines: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const ws = lines[i].split(' ');
    for (let j = 0; j < ws.length; j++) {
      const w = ws[j];
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return [...counts];
}

async function pipeline(sc: SparkContext, lines: string[]): Promise<[string, number][]> {
  return sc
    .parallelize(lines, PARTITIONS)
    .flatMap((l) => l.split(' '))
    .map((w): [string, number] => [w, 1])
    .reduceByKey((a, b) => a + b)
    .collect();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  const lines = makeLines();
  const sc = new SparkContext(`local[${PARTITIONS}]`, 'rdd-wordcount');
  const checksum = (r: [string, number][]): number => r.reduce((a, [, c]) => a + c, 0);

  const pipeMs: number[] = [];
  const handMs: number[] = [];
  let distinctSeen = 0;
  // Alternate the two sides so that drift of the machine affects both alike.
  for (let rep = 0; rep < WARMUP + REPS; rep++) {
    gc();
    let t = performance.now();
    const a = await pipeline(sc, lines);
    const pt = performance.now() - t;
    gc();
    t = performance.now();
    const b = handLoop(lines);
    const ht = performance.now() - t;
    if (checksum(a) !== WORDS || checksum(b) !== WORDS || a.length !== b.length) {
      throw new Error(`results differ: pipeline ${a.length} keys/${checksum(a)} words, hand loop ${b.length} keys/${checksum(b)} words`);
    }
    distinctSeen = a.length;
    if (rep >= WARMUP) {
      pipeMs.push(pt);
      handMs.push(ht);
    }
  }
  sc.stop();

  const pipelineMs = median(pipeMs);
  const handLoopMs = median(handMs);
  const recordsPerSecPipeline = Math.round(WORDS / (pipelineMs / 1000));
  const recordsPerSecHandLoop = Math.round(WORDS / (handLoopMs / 1000));
  writeResult('rdd-wordcount', {
    recordsPerSecPipeline,
    recordsPerSecHandLoop,
    ratio: Number((recordsPerSecPipeline / recordsPerSecHandLoop).toFixed(3)),
    aim: 'pipeline >= 0.5 x hand loop',
    words: WORDS,
    distinctWords: distinctSeen,
    lines: lines.length,
    wordsPerLine: PER_LINE,
    partitions: PARTITIONS,
    master: `local[${PARTITIONS}]`,
    warmupRuns: WARMUP,
    measuredRuns: REPS,
    pipelineMsMedian: Number(pipelineMs.toFixed(1)),
    handLoopMsMedian: Number(handLoopMs.toFixed(1)),
    pipelineMsAll: pipeMs.map((x) => Number(x.toFixed(1))),
    handLoopMsAll: handMs.map((x) => Number(x.toFixed(1))),
    // Other work on the machine slows both sides alike (they alternate), but shows in the absolute figures.
    loadAverage1mBefore: Number(loadBefore.toFixed(2)),
    loadAverage1mAfter: Number(os.loadavg()[0].toFixed(2)),
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
