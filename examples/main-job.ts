/**
 * The main job (`npm start`): a stateful network word count that needs nothing else installed or running.
 *
 * - The built-in generator (RecordGenerator + LineBroadcaster, the engine of `dstreams generate lines`) serves
 *   lines of words at a steady rate on a real local socket (127.0.0.1, a free port).
 * - `socketTextStream` reads them with the receiver write-ahead log on; `updateStateByKey` keeps the running count
 *   of every word; each batch prints the ten most frequent words in Spark's `print()` layout, then a one-line
 *   summary (records, input rate, scheduling and processing delays, words in the state) from a StreamingListener.
 * - Checkpoints and the write-ahead logs go to ./dstreams-main-job (`DSTREAMS_MAIN_JOB_DIR` chooses another
 *   folder). Ctrl-C stops it gracefully (the data already received is processed) and exits 0; a second Ctrl-C
 *   exits at once. Running it again recovers from that folder (`StreamingContext.getOrCreate`) and says so,
 *   with the batches it re-runs; delete the folder to start from zero.
 * - The web UI (`dstreams.ui.enabled`) is on: the URL is printed at start (port 4040, or a free port if taken).
 *
 *   npm start                                            (or: npx tsx examples/main-job.ts)
 *   DSTREAMS_MAIN_JOB_RATE=20000 npm start               (lines per second; default 500)
 *   DSTREAMS_BATCH_MS=500 npm start                      (batch duration; default 1000 ms)
 *   DSTREAMS_CONF="dstreams.ui.enabled=false" npm start  (any Spark or dstreams key)
 *   npx dstreams inspect dstreams-main-job                (what is in the folder, what a restart would re-run)
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { type BatchInfo, inspectCheckpointDir, LineBroadcaster, RecordGenerator, Seconds, SparkConf, StorageLevel, StreamingContext } from 'dstreams';
import { batchDuration } from './StreamingExamples';

const dir = path.resolve(process.env.DSTREAMS_MAIN_JOB_DIR ?? 'dstreams-main-job');
const rate = Number(process.env.DSTREAMS_MAIN_JOB_RATE ?? 500);
const say = (line: string): void => void process.stdout.write(line + '\n');

/** Serves generated lines at `rate` per second to every client; returns the port and a stop function. */
async function startGenerator(): Promise<{ port: number; stop: () => Promise<void>; sent: () => number }> {
  const server = new LineBroadcaster(() => undefined, true);
  const port = await server.listen(0, '127.0.0.1');
  const gen = new RecordGenerator('lines', Date.now() % 100000);
  const start = Date.now();
  let produced = 0;
  const timer = setInterval(() => {
    // Only while a receiver is connected: what nobody reads is not generated (no backlog to replay).
    if (server.clientCount === 0) return;
    const due = Math.floor(((Date.now() - start) / 1000) * rate) - produced;
    if (due > 0) {
      server.send(gen.nextChunk(due));
      produced += due;
    }
  }, 10);
  return {
    port,
    sent: () => produced,
    stop: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}

/** 4040 when free (Spark's UI port), else any free port. */
function uiPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(0));
    probe.listen(4040, '127.0.0.1', () => probe.close(() => resolve(4040)));
  });
}

function createContext(port: number, ui: number): StreamingContext {
  const conf = new SparkConf()
    .setAppName('dstreams-main-job')
    .setIfMissing('spark.master', 'local[2]')
    .setIfMissing('spark.streaming.receiver.writeAheadLog.enable', 'true')
    .setIfMissing('spark.streaming.stopGracefullyOnShutdown', 'true')
    .setIfMissing('dstreams.ui.enabled', 'true')
    .setIfMissing('dstreams.ui.port', String(ui));
  const ssc = new StreamingContext(conf, batchDuration(Seconds(1)));
  ssc.checkpoint(dir);

  // With the write-ahead log on, Spark's guide recommends a level without in-memory replication.
  const lines = ssc.socketTextStream('127.0.0.1', port, StorageLevel.MEMORY_AND_DISK_SER);
  const words = lines.flatMap((l) => l.split(' ')).filter((w) => w !== '');
  const runningCounts = words
    .map((w) => [w, 1] as [string, number])
    .updateStateByKey((values: number[], total: number | undefined) => {
      let n = total ?? 0;
      for (const v of values) n += v;
      return n;
    });
  // The ten most frequent words so far, in Spark's print() layout.
  runningCounts.transform((rdd) => rdd.sortBy(([, n]) => n, false)).print(10);
  runningCounts.foreachRDD(async (rdd, time) => {
    stateSizes.set(time.milliseconds, await rdd.count());
  });
  return ssc;
}

const stateSizes = new Map<number, number>();

function summary(b: BatchInfo, batchMs: number): string {
  const records = b.numRecords;
  const proc = b.processingDelay ?? 0;
  const words = stateSizes.get(b.batchTime.milliseconds);
  stateSizes.delete(b.batchTime.milliseconds);
  return (
    `batch ${b.batchTime}: ${records} records, input ${Math.round((records * 1000) / batchMs)} records/s, ` +
    `processed at ${proc > 0 ? Math.round((records * 1000) / proc) : records > 0 ? '>' + records * 1000 : 0} records/s, ` +
    `scheduling delay ${b.schedulingDelay ?? 0} ms, processing ${proc} ms, total delay ${b.totalDelay ?? 0} ms` +
    (words === undefined ? '' : `, ${words} words in state`)
  );
}

async function main(): Promise<void> {
  const generator = await startGenerator();
  const ui = await uiPort();
  const restart = inspectCheckpointDirSafe(Date.now());
  const ssc = StreamingContext.getOrCreate(dir, () => createContext(generator.port, ui));
  const batchMs = ssc.graph.batchDuration!.milliseconds;
  if (ssc.isCheckpointPresent) {
    const cp = ssc.restoredCheckpoint!;
    const n = restart?.restartWouldRunMs.length ?? cp.pendingTimes.length;
    say(`Recovered from checkpoint ${restart?.recoverFrom?.file ?? ''} in ${dir} (batch ${cp.checkpointTime}): re-running ${n} batch${n === 1 ? '' : 'es'}`);
  } else {
    say(`Starting a new stateful word count: checkpoints and write-ahead logs in ${dir}`);
  }
  say(`Generator: ${rate} lines/s on 127.0.0.1:${generator.port}; batches of ${batchMs} ms. Ctrl-C stops gracefully.`);

  ssc.addStreamingListener({
    onBatchCompleted: (e) => say(summary(e.batchInfo, batchMs)),
  });

  let stoppingSince: number | undefined;
  process.on('SIGINT', () => {
    // The context's shutdown hook stops it gracefully (spark.streaming.stopGracefullyOnShutdown); a second Ctrl-C
    // does not wait. A repeat within a second is the same Ctrl-C (a terminal signals the whole process group, and
    // `tsx` also relays it to this process).
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince > 1000) process.exit(130);
      return;
    }
    stoppingSince = Date.now();
    say('Stopping gracefully (Ctrl-C again to quit at once) ...');
  });

  await ssc.start();
  if (ssc.uiWebUrl !== undefined) say(`Web UI: ${ssc.uiWebUrl}`);
  await ssc.awaitTermination();
  await generator.stop();
  say(`Stopped. ${generator.sent()} lines generated. Run again to recover from ${dir}.`);
  process.exit(0);
}

/** What `dstreams inspect` would say about the folder (undefined when there is none yet). */
function inspectCheckpointDirSafe(nowMs: number): ReturnType<typeof inspectCheckpointDir> | undefined {
  try {
    return inspectCheckpointDir(dir, nowMs);
  } catch {
    return undefined;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
