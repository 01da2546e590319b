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
 * - The web UI (`dstreams.ui.enabled`) is on: its URL is the first line printed (port 4040, or the next free one as
 *   Spark's UI retries), before any recovered batch, and again in the last line on stop.
 * - A bad setting (a DSTREAMS_CONF entry, DSTREAMS_BATCH_MS, DSTREAMS_MAIN_JOB_RATE) is one line plus a hint.
 *
 *   npm start                                            (or: npx tsx examples/main-job.ts)
 *   DSTREAMS_MAIN_JOB_RATE=20000 npm start               (lines per second; default 500)
 *   DSTREAMS_BATCH_MS=500 npm start                      (batch duration; default 1000 ms)
 *   DSTREAMS_CONF="dstreams.ui.enabled=false" npm start  (any Spark or dstreams key)
 *   npx dstreams inspect dstreams-main-job                (what is in the folder, what a restart would re-run)
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { type BatchInfo, inspectCheckpointDir, LineBroadcaster, RecordGenerator, Seconds, SparkConf, StorageLevel, StreamingConf, StreamingContext } from 'dstreams';
import { batchDuration, exitOnError, exitWith } from './StreamingExamples';

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

/** Whether `port` on `host` can be bound now (0: which free port the system gives). */
function probe(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The web UI's URL, chosen before the context starts so that it is the first line printed: `dstreams.ui.port` (4040)
 * or, when taken, the next free port as Spark's UI retries (`spark.port.maxRetries`); 0 is a free port. Undefined
 * when the UI is off. Its port goes into the context's conf (createContext).
 */
async function chooseUi(conf: SparkConf): Promise<{ host: string; port: number; url: string } | undefined> {
  if (!StreamingConf.UI_ENABLED.read(conf)) return undefined;
  const host = StreamingConf.UI_HOST.read(conf);
  const first = StreamingConf.UI_PORT.read(conf);
  const retries = first === 0 ? 0 : StreamingConf.PORT_MAX_RETRIES.read(conf);
  for (let p = first; p <= Math.min(first + retries, 65535); p++) {
    const port = await probe(host, p);
    if (port !== undefined) return { host, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
  }
  // All taken: let the UI try (and fail with its own error, which names the ports).
  return { host, port: first, url: `http://${host}:${first}` };
}

/** The job's configuration: DSTREAMS_CONF, then the job's defaults. */
function jobConf(): SparkConf {
  return new SparkConf()
    .setAppName('dstreams-main-job')
    .setIfMissing('spark.master', 'local[2]')
    .setIfMissing('spark.streaming.receiver.writeAheadLog.enable', 'true')
    .setIfMissing('spark.streaming.stopGracefullyOnShutdown', 'true')
    .setIfMissing('dstreams.ui.enabled', 'true');
}

function createContext(port: number, ui: number | undefined): StreamingContext {
  const conf = jobConf();
  if (ui !== undefined) conf.set('dstreams.ui.port', String(ui));
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
  if (!(rate > 0)) exitWith(`DSTREAMS_MAIN_JOB_RATE must be a positive number of lines per second, got '${process.env.DSTREAMS_MAIN_JOB_RATE}'`, 'e.g. DSTREAMS_MAIN_JOB_RATE=20000, or unset it for 500');
  // A bad setting fails here, before anything is printed or started (the context warns about unknown keys later).
  const conf = jobConf();
  for (const entry of Object.values(StreamingConf)) entry.read(conf);
  batchDuration(Seconds(1));
  const ui = await chooseUi(conf);
  // First, before any recovered batch: where to look.
  if (ui !== undefined) say(`Web UI: ${ui.url}`);
  const generator = await startGenerator();
  const checkpointFile = inspectCheckpointDirSafe()?.recoverFrom?.file;
  const ssc = StreamingContext.getOrCreate(dir, () => createContext(generator.port, ui?.port));
  const batchMs = ssc.graph.batchDuration!.milliseconds;
  ssc.addStreamingListener({
    onBatchCompleted: (e) => say(summary(e.batchInfo, batchMs)),
  });

  let stoppingSince: number | undefined;
  process.on('SIGINT', () => {
    // The context's shutdown hook stops it gracefully (spark.streaming.stopGracefullyOnShutdown); a second Ctrl-C
    // does not wait. A repeat within a second is the same Ctrl-C (a terminal signals the whole process group, and
    // `dstreams run` and npm also relay it to this process).
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince > 1000) process.exit(130);
      return;
    }
    stoppingSince = Date.now();
    say('Stopping gracefully (Ctrl-C again to quit at once) ...');
  });

  // start()'s synchronous part fixes what a recovery re-runs; say it before any of it runs.
  const started = ssc.start();
  if (ssc.isCheckpointPresent) {
    const rerun = ssc.scheduler.jobGenerator.rescheduledBatchTimes ?? [];
    const range = rerun.length === 0 ? '' : rerun.length === 1 ? ` (${rerun[0]})` : ` (${rerun[0]} to ${rerun[rerun.length - 1]})`;
    say(
      `Recovered from ${checkpointFile ?? 'the checkpoint'} in ${dir} (batch ${ssc.restoredCheckpoint!.checkpointTime}): ` +
        `re-running ${rerun.length} batch${rerun.length === 1 ? '' : 'es'}${range}`,
    );
  } else {
    say(`Starting a new stateful word count: checkpoints and write-ahead logs in ${dir}`);
  }
  say(`Generator: ${rate} lines/s on 127.0.0.1:${generator.port}; batches of ${batchMs} ms. Ctrl-C stops gracefully.`);
  await started;
  // The UI may have moved to the next port if another program took ours in between.
  if (ssc.uiWebUrl !== undefined && ssc.uiWebUrl !== ui?.url) say(`Web UI: ${ssc.uiWebUrl}`);
  const url = ssc.uiWebUrl;
  await ssc.awaitTermination();
  await generator.stop();
  say(`Stopped. ${generator.sent()} lines generated.${url === undefined ? '' : ` The web UI was ${url}.`} Run again to recover from ${dir}.`);
  process.exit(0);
}

/** What `dstreams inspect` would say about the folder (undefined when there is none yet). */
function inspectCheckpointDirSafe(): ReturnType<typeof inspectCheckpointDir> | undefined {
  try {
    return inspectCheckpointDir(dir, Date.now());
  } catch {
    return undefined;
  }
}

main().catch(exitOnError);
