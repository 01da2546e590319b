/**
 * window-incremental: `reduceByKeyAndWindow` over a 60-batch window sliding by 1 batch, without an inverse function
 * (each slide reduces the 60 reduced batches of the window again) and with one (each slide adds the entering batch
 * to the previous window and takes out the leaving one). ManualClock, one `ssc.step()` per batch; the slides are
 * timed once the window is full. Reports per-slide time (median, p90, mean) for each and the ratio, and the same
 * pipeline without a window (the per-batch cost both forms share) to give the ratio of the window work alone.
 *
 *   npm run bench -- window-incremental [--window 60] [--records 50000] [--keys 10000] [--slides 30] [--partitions 4]
 *
 * Each form runs in its own child process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type RDD, Seconds, SparkConf, StreamingContext } from '../lib';
import { arg, writeResult } from './report';

function sarg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const WINDOW = arg('window', 60);
const RECORDS = arg('records', 50_000);
const KEYS = arg('keys', 10_000);
const SLIDES = arg('slides', 30);
const PARTITIONS = arg('partitions', 4);
const FORM = sarg('form', 'both');

interface FormResult {
  perSlideMs: { median: number; p90: number; mean: number; min: number; max: number };
  slidesMeasured: number;
  keysInLastWindow: number;
}

function stats(xs: number[]): FormResult['perSlideMs'] {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const round = (x: number): number => Math.round(x * 100) / 100;
  return { median: round(q(0.5)), p90: round(q(0.9)), mean: round(xs.reduce((a, b) => a + b, 0) / xs.length), min: round(s[0]), max: round(s[s.length - 1]) };
}

function makeBatches(n: number): [number, number][][] {
  let s = 0x1b873593 | 0;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % KEYS;
  };
  const out: [number, number][][] = [];
  for (let b = 0; b < n; b++) {
    const batch: [number, number][] = new Array(RECORDS);
    for (let i = 0; i < RECORDS; i++) batch[i] = [next(), 1];
    out.push(batch);
  }
  return out;
}

async function runForm(form: 'inverse' | 'recompute' | 'baseline'): Promise<FormResult> {
  const total = WINDOW + SLIDES;
  const batches = makeBatches(total);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dstreams-bench-window-`));
  const conf = new SparkConf(false)
    .setMaster(`local[${PARTITIONS}]`)
    .setAppName(`window-incremental-${form}`)
    .set('spark.streaming.clock', 'org.apache.spark.util.ManualClock');
  const batch = Seconds(1);
  const ssc = new StreamingContext(conf, batch);
  ssc.checkpoint(dir);
  const queue: RDD<[number, number]>[] = batches.map((b) => ssc.sparkContext.makeRDD(b, PARTITIONS));
  const pairs = ssc.queueStream(queue);
  const add = (a: number, b: number): number => a + b;
  const sub = (a: number, b: number): number => a - b;
  const windowed =
    form === 'inverse'
      ? pairs.reduceByKeyAndWindow(add, sub, batch.times(WINDOW), batch, PARTITIONS)
      : form === 'recompute'
        ? pairs.reduceByKeyAndWindow(add, batch.times(WINDOW), batch, PARTITIONS)
        : pairs.reduceByKey(add, PARTITIONS);
  let keys = 0;
  windowed.foreachRDD(async (rdd) => {
    keys = await rdd.count();
  });
  await ssc.start();
  const times: number[] = [];
  for (let b = 0; b < total; b++) {
    const t0 = performance.now();
    await ssc.step(1);
    const ms = performance.now() - t0;
    if (b >= WINDOW) times.push(ms);
  }
  await ssc.stop(true, false);
  fs.rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`${form}: median ${stats(times).median} ms per slide\n`);
  return { perSlideMs: stats(times), slidesMeasured: times.length, keysInLastWindow: keys };
}

function runChild(form: string): FormResult {
  const args = process.argv.slice(2).filter((_a, i, all) => all[i] !== '--form' && all[i - 1] !== '--form');
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, ...args, '--form', form, '--child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${form} run failed (exit ${r.status})`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as FormResult;
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    process.stdout.write(JSON.stringify(await runForm(FORM as 'inverse' | 'recompute' | 'baseline')) + '\n');
    return;
  }
  const baseline = runChild('baseline');
  const recompute = runChild('recompute');
  const inverse = runChild('inverse');
  const windowPart = (r: FormResult): number => Math.max(0.01, r.perSlideMs.median - baseline.perSlideMs.median);
  writeResult('window-incremental', {
    params: { windowBatches: WINDOW, slideBatches: 1, recordsPerBatch: RECORDS, distinctKeys: KEYS, slides: SLIDES, partitions: PARTITIONS },
    withoutInverse: recompute,
    withInverse: inverse,
    batchWithoutWindow: baseline,
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    ratioMedian: Math.round((recompute.perSlideMs.median / inverse.perSlideMs.median) * 100) / 100,
    ratioMean: Math.round((recompute.perSlideMs.mean / inverse.perSlideMs.mean) * 100) / 100,
    windowCostRatioMedian: Math.round((windowPart(recompute) / windowPart(inverse)) * 100) / 100,
    notes:
      'per-slide time includes the batch input (reduceByKey of the new batch), the window, a count() output and the per-batch ' +
      'bookkeeping (metadata checkpoint); without the inverse the window reduces all 60 reduced batches again every slide. ' +
      'batchWithoutWindow is the same pipeline with no window (reduceByKey per batch + count): windowCostRatioMedian compares ' +
      'the two forms with that per-batch cost taken out.',
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
