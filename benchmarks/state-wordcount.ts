/**
 * state-wordcount: a running word count over 1M distinct keys held in state, with 100K updates per batch drawn
 * from those keys, once with `updateStateByKey` and once with `mapWithState` (each in its own context, on the
 * ManualClock, one `ssc.step()` per batch). Reports per-batch time (median, p90, mean over the measured batches)
 * and heap per key in state (heap after the warm-up batches minus the heap before the context, over the keys; it
 * includes what the stream keeps for its remember duration: earlier state versions and batches).
 *
 *   npm run bench -- state-wordcount [--keys 1000000] [--updates 100000] [--batches 20] [--warmup 5] [--partitions 4]
 *                                    [--mode both|updateStateByKey|mapWithState]
 *
 * Each mode runs in its own child process (so one mode's heap does not slow the other's collections).
 *
 * Outputs: updateStateByKey's stream is the whole state, so its output is `count()` over it (every key, every batch,
 * as Spark's); mapWithState's output is `count()` over the mapped records (the batch's 100K).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { OpenHashMapBasedStateMap, type RDD, Seconds, SparkConf, type State, StateSpec, type StateMap, StreamingContext } from '../lib';
import { arg, writeResult } from './report';

function sarg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const KEYS = arg('keys', 1_000_000);
const UPDATES = arg('updates', 100_000);
const BATCHES = arg('batches', 20);
const WARMUP = arg('warmup', 5);
const PARTITIONS = arg('partitions', 4);
const MODE = sarg('mode', 'both');

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const keyOf = (i: number): string => `w${i}`;

/** The update batches: `UPDATES` keys drawn from the key space (xorshift32, fixed seed). */
function makeBatches(n: number): [string, number][][] {
  let s = 0x2545f491 | 0;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % KEYS;
  };
  const out: [string, number][][] = [];
  for (let b = 0; b < n; b++) {
    const batch: [string, number][] = new Array(UPDATES);
    for (let i = 0; i < UPDATES; i++) batch[i] = [keyOf(next()), 1];
    out.push(batch);
  }
  return out;
}

interface ModeResult {
  perBatchMs: { median: number; p90: number; mean: number; min: number; max: number };
  batchesMeasured: number;
  keysInState: number;
  heapBytesPerKey: number;
  heapMB: number;
}

function stats(xs: number[]): ModeResult['perBatchMs'] {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const round = (x: number): number => Math.round(x * 10) / 10;
  return { median: round(q(0.5)), p90: round(q(0.9)), mean: round(xs.reduce((a, b) => a + b, 0) / xs.length), min: round(s[0]), max: round(s[s.length - 1]) };
}

async function runMode(mode: 'updateStateByKey' | 'mapWithState', batches: [string, number][][]): Promise<ModeResult> {
  const heapBefore = heapAfterGc();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dstreams-bench-${mode}-`));
  const conf = new SparkConf(false)
    .setMaster(`local[${PARTITIONS}]`)
    .setAppName(`state-wordcount-${mode}`)
    .set('spark.streaming.clock', 'org.apache.spark.util.ManualClock');
  const ssc = new StreamingContext(conf, Seconds(1));
  ssc.checkpoint(dir);
  const sc = ssc.sparkContext;
  const initial: [string, number][] = new Array(KEYS);
  for (let i = 0; i < KEYS; i++) initial[i] = [keyOf(i), 0];
  const initialRDD = sc.makeRDD(initial, PARTITIONS);
  const queue: RDD<[string, number]>[] = batches.map((b) => sc.makeRDD(b, PARTITIONS));
  const words = ssc.queueStream(queue);
  let keysInState = 0;
  if (mode === 'updateStateByKey') {
    const update = (values: number[], state: number | undefined): number => {
      let n = state ?? 0;
      for (let i = 0; i < values.length; i++) n += values[i];
      return n;
    };
    words.updateStateByKey(update, PARTITIONS, initialRDD).foreachRDD(async (rdd) => {
      keysInState = await rdd.count();
    });
  } else {
    const mapping = (word: string, one: number | undefined, state: State<number>): [string, number] => {
      const n = (state.getOption() ?? 0) + (one ?? 0);
      state.update(n);
      return [word, n];
    };
    const stream = words.mapWithState(StateSpec.function(mapping).initialState(initialRDD).numPartitions(PARTITIONS));
    stream.foreachRDD(async (rdd) => {
      await rdd.count();
    });
    stream.internalStream.foreachRDD(async (rdd) => {
      keysInState = (await rdd.collect()).reduce((n, r) => n + r.stateMap.size, 0);
    });
  }
  await ssc.start();
  const times: number[] = [];
  let heapAfterWarmup = 0;
  for (let b = 0; b < WARMUP + BATCHES; b++) {
    if (b === WARMUP) heapAfterWarmup = heapAfterGc();
    const t0 = performance.now();
    await ssc.step(1);
    const ms = performance.now() - t0;
    if (b >= WARMUP) times.push(ms);
    process.stderr.write(`${mode} batch ${b + 1}: ${ms.toFixed(1)} ms${b < WARMUP ? ' (warm-up)' : ''}\n`);
  }
  const heapEnd = heapAfterGc();
  await ssc.stop(true, false);
  fs.rmSync(dir, { recursive: true, force: true });
  const heap = Math.max(heapAfterWarmup, heapEnd) - heapBefore;
  return {
    perBatchMs: stats(times),
    batchesMeasured: times.length,
    keysInState,
    heapBytesPerKey: Math.round(heap / keysInState),
    heapMB: Math.round(heap / 1e5) / 10,
  };
}

/** Runs one mode in a child process with the same flags; it prints its result as the last line of stdout. */
function runChild(mode: string): ModeResult {
  const args = process.argv.slice(2).filter((_a, i, all) => all[i] !== '--mode' && all[i - 1] !== '--mode');
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, ...args, '--mode', mode, '--child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${mode} run failed (exit ${r.status})`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as ModeResult;
}

/** Heap per key of the state structure alone: one compacted map of `KEYS` string keys with number states. */
function stateMapBytesPerKey(): number {
  const before = heapAfterGc();
  let map: StateMap<string, number> = new OpenHashMapBasedStateMap<string, number>({ deltaChainThreshold: 1 });
  for (let i = 0; i < KEYS; i++) map.put(keyOf(i), i, 1000);
  map = map.copy(); // compacts: every entry moves to the flat base
  const after = heapAfterGc();
  if (map.size !== KEYS) throw new Error('state map lost keys');
  return Math.round((after - before) / KEYS);
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    const result = await runMode(MODE as 'updateStateByKey' | 'mapWithState', makeBatches(WARMUP + BATCHES));
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const results: Record<string, ModeResult> = {};
  for (const mode of ['updateStateByKey', 'mapWithState'] as const) {
    if (MODE !== 'both' && MODE !== mode) continue;
    results[mode] = runChild(mode);
  }
  writeResult('state-wordcount', {
    params: { keys: KEYS, updatesPerBatch: UPDATES, batches: BATCHES, warmup: WARMUP, partitions: PARTITIONS },
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    compactedStateMapBytesPerKey: stateMapBytesPerKey(),
    ...results,
    notes:
      'compactedStateMapBytesPerKey: one flat map, key strings included. heapBytesPerKey counts the state maps (base + per-batch deltas) and what the streams remember (earlier versions ' +
      'of the state for 2 x the checkpoint interval, as Spark); the queued input batches are allocated before the baseline. ' +
      'updateStateByKey visits every key every batch (Spark semantics); mapWithState only the keys with data.',
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
