/**
 * file-stream: one batch of `textFileStream` -> `count()` over `--files` new files of 50-byte lines (`--mb` in total),
 * and one batch of `binaryRecordsStream(100)` -> `count()` over the same bytes, on the manual clock; beside them, in
 * the same run, a raw Node loop that reads the same files (`fs.promises.readFile`) and splits them into lines
 * (`toString().split('\n')`). Lines or records per second, medians of `--reps` runs after `--warmup`; the page cache
 * is warm for every side (the files are read once before measuring).
 *
 *   npm run bench -- file-stream [--mb 200] [--files 20] [--reps 3] [--warmup 1]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type DStream, Seconds, SparkConf, StreamingContext } from '../lib';
import { ManualClock } from '../lib/core/clock/ManualClock';
import { arg, writeResult } from './report';

const MB = arg('mb', 200);
const FILES = arg('files', 20);
const REPS = arg('reps', 3);
const WARMUP = arg('warmup', 1);
const LINE = 'x'.repeat(49) + '\n'; // 50 bytes
const RECORD = 100;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-bench-fs-'));
const src = path.join(root, 'src');
fs.mkdirSync(src);
const perFile = Math.floor((MB * 1024 * 1024) / FILES / (LINE.length * 2)) * LINE.length * 2; // whole lines and records
const content = Buffer.from(LINE.repeat(perFile / LINE.length));
for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(src, `f${i}`), content);
const totalBytes = perFile * FILES;
const totalLines = totalBytes / LINE.length;
const totalRecords = totalBytes / RECORD;

/** Runs one batch over a fresh folder into which the files are moved, returns [count, seconds]. */
async function oneBatch(make: (ssc: StreamingContext, dir: string) => DStream<unknown>): Promise<[number, number]> {
  const dir = path.join(root, `in-${Math.random().toString(36).slice(2)}`);
  fs.mkdirSync(dir);
  const conf = new SparkConf(false).setMaster('local[2]').setAppName('file-stream-bench').set('spark.streaming.clock', 'manual');
  const ssc = new StreamingContext(conf, Seconds(1));
  const clock = ssc.clock as ManualClock;
  clock.setTime(1000);
  let count = -1;
  make(ssc, dir)
    .count()
    .foreachRDD(async (rdd) => {
      count = (await rdd.collect())[0] ?? 0;
    });
  await ssc.start();
  for (let i = 0; i < FILES; i++) {
    const p = path.join(dir, `f${i}`);
    fs.linkSync(path.join(src, `f${i}`), p);
    fs.utimesSync(p, 1.5, 1.5);
  }
  const t0 = performance.now();
  await ssc.step();
  const secs = (performance.now() - t0) / 1000;
  await ssc.stop(true);
  fs.rmSync(dir, { recursive: true, force: true });
  return [count, secs];
}

async function raw(): Promise<[number, number]> {
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < FILES; i++) {
    const lines = (await fs.promises.readFile(path.join(src, `f${i}`))).toString('utf8').split('\n');
    n += lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  }
  return [n, (performance.now() - t0) / 1000];
}

async function measure(name: string, expected: number, run: () => Promise<[number, number]>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < WARMUP + REPS; r++) {
    const [count, secs] = await run();
    if (count !== expected) throw new Error(`${name}: counted ${count}, expected ${expected}`);
    if (r >= WARMUP) times.push(secs);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  try {
    const rawSecs = await measure('raw', totalLines, raw);
    const textSecs = await measure('textFileStream', totalLines, () => oneBatch((ssc, dir) => ssc.textFileStream(dir)));
    const binSecs = await measure('binaryRecordsStream', totalRecords, () => oneBatch((ssc, dir) => ssc.binaryRecordsStream(dir, RECORD)));
    const rate = (n: number, s: number): number => Math.round(n / s);
    writeResult('file-stream', {
      params: { mb: MB, files: FILES, lineBytes: LINE.length, recordBytes: RECORD, reps: REPS, warmup: WARMUP },
      totalBytes,
      rawNodeSplit: { seconds: rawSecs, linesPerSec: rate(totalLines, rawSecs), mbPerSec: Math.round(totalBytes / 1048576 / rawSecs) },
      textFileStreamCount: { seconds: textSecs, linesPerSec: rate(totalLines, textSecs), mbPerSec: Math.round(totalBytes / 1048576 / textSecs) },
      binaryRecordsStreamCount: { seconds: binSecs, recordsPerSec: rate(totalRecords, binSecs), mbPerSec: Math.round(totalBytes / 1048576 / binSecs) },
      textVsRaw: Number((rawSecs / textSecs).toFixed(3)),
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
