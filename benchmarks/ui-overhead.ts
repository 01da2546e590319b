/**
 * ui-overhead: what the web UI adds to each batch. Empty batches of a two-output graph (queueStream -> map ->
 * two foreachRDDs) are stepped on the ManualClock, one at a time, with the UI off, on with no page open, and on with
 * 1 and 10 live-feed clients (real WebSockets on 127.0.0.1, each counting what it receives). The first
 * `--retained` batches fill the UI's history (spark.streaming.ui.retainedBatches) before the measured ones, so the
 * per-event statistics run over a full history. Reported: median wall ms per batch over `--reps` runs, and the
 * feed's bytes per batch per client.
 *
 * The data view (dstreams.ui.data.enabled, on by default with the manual clock) is off in the first four runs, so
 * they measure what they measured before it existed; the next runs turn it on. The runs with `--records` per batch
 * (2 partitions, both outputs count the RDD) show what capturing elements costs when batches hold data.
 *
 *   npm run bench -- ui-overhead [--batches 2000] [--retained 1000] [--reps 3] [--records 1000]
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { type RDD, Seconds, SparkConf, StreamingContext } from '../lib';
import { arg, writeResult } from './report';

const BATCHES = arg('batches', 2000);
const RETAINED = arg('retained', 1000);
const REPS = arg('reps', 3);
const RECORDS = arg('records', 1000);

interface Run {
  msPerBatch: number;
  feedBytesPerBatchPerClient: number;
}

async function run(ui: boolean, data: boolean, clients: number, records: number): Promise<Run> {
  const conf = new SparkConf()
    .setMaster('local[2]')
    .setAppName('ui-overhead')
    .set('spark.streaming.clock', 'manual')
    .set('spark.streaming.ui.retainedBatches', String(RETAINED))
    .set('dstreams.ui.enabled', String(ui))
    .set('dstreams.ui.data.enabled', String(data))
    .set('dstreams.ui.port', '0');
  const ssc = new StreamingContext(conf, Seconds(1));
  const queue: RDD<number>[] = [];
  const batch = Array.from({ length: records }, (_, i) => i);
  const s = ssc.queueStream(queue, true, ssc.sparkContext.parallelize<number>(batch, 2)).map((x) => x + 1);
  if (records === 0) {
    s.foreachRDD(() => undefined);
    s.foreachRDD(() => undefined);
  } else {
    s.foreachRDD(async (rdd) => void (await rdd.count()));
    s.foreachRDD(async (rdd) => void (await rdd.count()));
  }
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
  const configs: Array<[string, boolean, boolean, number, number]> = [
    ['ui off', false, false, 0, 0],
    ['ui on, no page', true, false, 0, 0],
    ['ui on, 1 client', true, false, 1, 0],
    ['ui on, 10 clients', true, false, 10, 0],
    ['ui on, data view on, no page', true, true, 0, 0],
    ['ui on, data view on, 1 client', true, true, 1, 0],
  ];
  if (RECORDS > 0) {
    configs.push(
      [`${RECORDS} records: ui off`, false, false, 0, RECORDS],
      [`${RECORDS} records: ui on, data view off`, true, false, 0, RECORDS],
      [`${RECORDS} records: ui on, data view on, no page`, true, true, 0, RECORDS],
      [`${RECORDS} records: ui on, data view on, 1 client`, true, true, 1, RECORDS],
    );
  }
  const results: Record<string, Run[]> = {};
  // The machine is shared: the load average (1 min) before and after says how quiet it was.
  const loadBefore = os.loadavg()[0];
  await run(true, true, 1, RECORDS); // warm-up
  for (let r = 0; r < REPS; r++) {
    for (const [name, ui, data, clients, records] of configs) (results[name] ??= []).push(await run(ui, data, clients, records));
  }
  const summary = Object.fromEntries(
    configs.map(([name]) => [
      name,
      { msPerBatch: Number(median(results[name].map((x) => x.msPerBatch)).toFixed(4)), feedBytesPerBatchPerClient: median(results[name].map((x) => x.feedBytesPerBatchPerClient)) },
    ]),
  );
  writeResult('ui-overhead', { batches: BATCHES, retainedBatches: RETAINED, reps: REPS, outputOperations: 2, recordsPerBatch: RECORDS, loadAverage1m: { before: loadBefore, after: os.loadavg()[0] }, results: summary });
}

void main();
