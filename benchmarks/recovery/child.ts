/**
 * The program of the recovery benchmark (see ../recovery.ts): a stateful count per key over a reliable receiver
 * (ReplayableSocketReceiver) with the receiver WAL on, checkpointed every batch, on the manual clock, so that no
 * batch runs unless this program steps one.
 *
 * Each line is `<key> <payload>` (~100 bytes); the word counted is the key (the line's first word). The state starts
 * from an initialRDD of `keys` keys (count 0); every batch also counts each of `churn` fixed keys once, so each data
 * checkpoint after the first full one is a delta of `churn` keys.
 *
 *   child.ts ingest  <port> <checkpointDir> <keys> <churn>   create, step 2 batches (full, then delta state
 *                                                              checkpoint), print `ready`, then only receive
 *   child.ts recover <port> <checkpointDir> <keys> <churn>   getOrCreate from the checkpoint, run the re-run batch,
 *                                                              step the recovered batch and 2 more, print timings
 *
 * Events are JSON lines on stdout; `at` is epoch ms from the high-resolution clock (comparable with the parent's).
 */
import { performance } from 'node:perf_hooks';
import {
  type CheckpointWriter,
  Milliseconds,
  type RDD,
  SparkConf,
  StorageLevel,
  StreamingContext,
} from '../../lib';
import { ReplayableSocketReceiver, WriteAheadLogBackedBlockRDD } from '../../receivers';

const [mode, portArg, checkpointDir, keysArg, churnArg] = process.argv.slice(2);
const KEYS = Number(keysArg);
const CHURN = Number(churnArg);
const PARTITIONS = 2;
const BATCH_MS = 1000;
const FRAME_HEADER = 12;

const now = (): number => performance.timeOrigin + performance.now();
const emit = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(JSON.stringify({ event, at: now(), ...fields }) + '\n');
};

export const keyName = (n: number): string => `u${String(n).padStart(7, '0')}`;
/** The key of a line: its first 8 characters (`u` and 7 digits). */
const keyOfLine = (l: string): string => l.slice(0, 8);
const add = (a: number, b: number): number => a + b;

function create(): StreamingContext {
  const conf = new SparkConf()
    .setMaster(`local[${PARTITIONS}]`)
    .setAppName('RecoveryBenchmark')
    .set('spark.streaming.clock', 'manual')
    .set('spark.streaming.receiver.writeAheadLog.enable', 'true')
    .set('spark.streaming.receiverRestartDelay', '50ms');
  const ssc = new StreamingContext(conf, Milliseconds(BATCH_MS));
  ssc.checkpoint(checkpointDir);
  const sc = ssc.sparkContext;
  const initial: Array<[string, number]> = new Array(KEYS);
  for (let i = 0; i < KEYS; i++) initial[i] = [keyName(i), 0];
  const initialRDD = sc.parallelize(initial, PARTITIONS);
  const churn: Array<[string, number]> = [];
  for (let i = 0; i < CHURN; i++) churn.push([keyName(Math.floor((i * KEYS) / CHURN)), 1]);
  const churnRDD = sc.parallelize(churn, 1);

  // The WAL already makes blocks durable; memory-only keeps the killed run's block manager off the disk.
  const lines = ssc.receiverStream(new ReplayableSocketReceiver('127.0.0.1', Number(portArg), StorageLevel.MEMORY_ONLY_SER, { maxBlockRecords: 10_000 }));
  // Coalesced so that map-side combining sees whole key ranges (one combiner per partition, not per block).
  const perKey = lines.transform((rdd) =>
    rdd
      .coalesce(PARTITIONS)
      .map((l): [string, number] => [keyOfLine(l), 1])
      .union(churnRDD)
      .reduceByKey(add, PARTITIONS),
  );
  const state = perKey.updateStateByKey((vs: number[], s: number | undefined) => vs.reduce(add, s ?? 0), PARTITIONS, initialRDD).checkpoint(Milliseconds(BATCH_MS));

  // First output: the replay itself, timed alone (read + CRC + decode of every record of the batch's WAL blocks).
  lines.foreachRDD(async (rdd: RDD<string>, time) => {
    const blocks = rdd instanceof WriteAheadLogBackedBlockRDD ? (rdd as WriteAheadLogBackedBlockRDD<string>) : undefined;
    const walBlocks = blocks ? blocks.walRecordHandles.length : 0;
    let walBytes = 0;
    let fromWal = 0;
    if (blocks) {
      for (let i = 0; i < blocks.walRecordHandles.length; i++) {
        walBytes += (blocks.walRecordHandles[i] as { length: number }).length + FRAME_HEADER;
        if (blocks.isBlockIdValid.length > 0 && !blocks.isBlockIdValid[i]) fromWal++;
      }
    }
    const t0 = now();
    const records = await rdd.count();
    emit('replay', { time: time.milliseconds, records, walBlocks, blocksFromWal: fromWal, walBytes, ms: now() - t0, startedAt: t0 });
  });
  // Second output: the state's size and total, to check that every record was counted exactly once.
  state.foreachRDD(async (rdd, time) => {
    const t0 = now();
    const [keys, total] = await rdd.aggregate(
      [0, 0] as [number, number],
      (acc, e) => [acc[0] + 1, acc[1] + e[1]] as [number, number],
      (a, b) => [a[0] + b[0], a[1] + b[1]] as [number, number],
    );
    emit('state', { time: time.milliseconds, keys, total, ms: now() - t0 });
  });
  return ssc;
}

function checkpointTimings(ssc: StreamingContext): Record<string, unknown> {
  const w = ssc.checkpointHook as CheckpointWriter | undefined;
  return { writes: w?.timings ?? [], state: w?.stateTimings ?? [] };
}

async function main(): Promise<void> {
  const t0 = now();
  const ssc = StreamingContext.getOrCreate(checkpointDir, create);
  const getOrCreateMs = now() - t0;
  if (mode === 'ingest') {
    if (ssc.isCheckpointPresent) throw new Error(`ingest needs an empty checkpoint folder: ${checkpointDir}`);
    emit('created', { getOrCreateMs });
    ssc.start();
    // Batch 1: the initial state (full data checkpoint); batch 2: the churn keys (delta).
    await ssc.step(2);
    emit('ready', { checkpoints: checkpointTimings(ssc) });
    // From now on the receiver only receives; the parent kills this process.
    return;
  }
  if (!ssc.isCheckpointPresent) throw new Error(`no checkpoint to recover from in ${checkpointDir}`);
  const restored = ssc.restoredCheckpoint!;
  emit('recovered', { getOrCreateMs, checkpointTime: restored.checkpointTime.milliseconds, stateRestore: restored.stateRestore });
  const tStart = now();
  ssc.start();
  // start() submits the re-run batches (the checkpoint's time, pending and missed ones) before the timer starts.
  const rerun = restored.checkpointTime;
  await ssc.scheduler.jobGenerator.waitForBatch(rerun);
  emit('rerun-done', { time: rerun.milliseconds, sinceStartMs: now() - tStart });
  // The first new batch gets every block received before the crash (queued again from the metadata log).
  const recoveredTime = ssc.scheduler.jobGenerator.nextBatchTime().milliseconds;
  await ssc.step(1);
  emit('recovered-batch-done', { time: recoveredTime, sinceStartMs: now() - tStart });
  // Two more batches with the churn keys only: delta checkpoints over the 1M-key state in this process.
  await ssc.step(2);
  emit('done', { checkpoints: checkpointTimings(ssc) });
  await ssc.stop(true, false);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
