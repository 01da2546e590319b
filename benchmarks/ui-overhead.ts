/**
 * ui-overhead: what the web UI adds to each batch. Empty batches of a two-output graph (queueStream -> map ->
 * two foreachRDDs) are stepped on the ManualClock, one at a time, with the UI off, on with no page open, and on with
 * 1 and 10 live-feed clients (real WebSockets on 127.0.0.1, each counting what it receives). The first
 * `--retained` batches fill the UI's history (spark.streaming.ui.retainedBatches) before the measured ones, so the
 * per-event statistics run over a full history. Reported: median wall ms per batch over `--reps` runs, and the
 * feed's bytes per batch per client.
 *
 *   npm run bench -- ui-overhead [--batches 2000] [--retained 1000] [--reps 3]
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { type RDD, Seconds, SparkConf, StreamingContext } from '../lib';
import { arg, writeResult } from './report';

const BATCHES = arg('batches', 2000);
const RETAINED = arg('retained', 1000);
const REPS = arg('reps', 3);

interface Run {
  msPerBatch: number;
  feedBytesPerBatchPerClient: number;
}

async function run(ui: boolean, clients: number): Promise<Run> {
  const conf = new SparkConf()
    .setMaster('local[2]')
    .setAppName('ui-overhead')
    .set('spark.streaming.clock', 'manual')
    .set('spark.streaming.ui.retainedBatches', String(RETAINED))
    .set('dstreams.ui.enabled', String(ui))
    .set('dstreams.ui.port', '0');
  const ssc = new StreamingContext(conf, Seconds(1));
  const queue: RDD<number>[] = [];
  const s = ssc.queueStream(queue, true, ssc.sparkContext.parallelize<number>([], 2)).map((x) => x + 1);
  s.foreachRDD(() => undefined);
  s.foreachRDD(() => undefined);
  await ssc.start();
  await ssc.step(RETAINED);
  const sockets: WebSocket[] = [];
  let bytes = 0;
  for (let i = 0; i < clients; i++) {
    const ws = new WebSocket(`${ssc.uiWebUrl!.replace('http', 'ws')}/ws`);
    await new Promise((r) => ws.once('message', r));
    ws.on('message', (d: Buffer) => (bytes += d.length));
    sockets.push(ws);
  }
  const t0 = performance.now();
  for (let i = 0; i < BATCHES; i++) await ssc.step(1);
  // Let the feed drain so its cost is inside the measurement.
  const want = async (): Promise<void> => {
    let last = -1;
    while (bytes !== last) {
      last = bytes;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  if (clients > 0) await want();
  const ms = performance.now() - t0 - (clients > 0 ? 20 : 0);
  for (const ws of sockets) ws.terminate();
  await ssc.stop();
  return { msPerBatch: ms / BATCHES, feedBytesPerBatchPerClient: clients > 0 ? Math.round(bytes / clients / BATCHES) : 0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const configs: Array<[string, boolean, number]> = [
    ['ui off', false, 0],
    ['ui on, no page', true, 0],
    ['ui on, 1 client', true, 1],
    ['ui on, 10 clients', true, 10],
  ];
  const results: Record<string, Run[]> = {};
  await run(true, 1); // warm-up
  for (let r = 0; r < REPS; r++) for (const [name, ui, clients] of configs) (results[name] ??= []).push(await run(ui, clients));
  const summary = Object.fromEntries(
    configs.map(([name]) => [
      name,
      { msPerBatch: Number(median(results[name].map((x) => x.msPerBatch)).toFixed(4)), feedBytesPerBatchPerClient: median(results[name].map((x) => x.feedBytesPerBatchPerClient)) },
    ]),
  );
  writeResult('ui-overhead', { batches: BATCHES, retainedBatches: RETAINED, reps: REPS, outputOperations: 2, results: summary });
}

void main();
