/**
 * CheckpointSuite "recovery with file input stream" (reference §10.6) through the real checkpoint writer and
 * `StreamingContext.getOrCreate`: files 1-3 before a stop, 4-6 while down, 7-9 after the restart; a 30-batch
 * window over the file stream needs every file seen before the stop again after it, which only the restored
 * file lists provide.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileInputDStream, Milliseconds, StreamingContext, Time } from '../../lib';
import { createManualContext, manualClock, stopAllContexts, stopContext } from './harness';

const B = 2000;

let testDir: string;
let checkpointDir: string;
beforeEach(() => {
  testDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-fs-recovery-'));
  checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-fs-recovery-cp-'));
});
afterEach(async () => {
  await stopAllContexts();
  fs.rmSync(testDir, { recursive: true, force: true });
  fs.rmSync(checkpointDir, { recursive: true, force: true });
});

/** Writes file `i` containing `i` with the clock's time as its modification time (Spark's `writeFile(i, clock)`). */
function writeFile(i: number, timeMs: number): void {
  const file = path.join(testDir, String(i));
  fs.writeFileSync(file, `${i}\n`);
  fs.utimesSync(file, timeMs / 1000, timeMs / 1000);
}

/** The ids of the files the stream has recorded (Spark's `recordedFiles(ssc)`). */
function recordedFiles(ssc: StreamingContext): number[] {
  const s = ssc.graph.inputStreams[0] as FileInputDStream<string>;
  return [...s.batchTimeToSelectedFiles.values()]
    .flat()
    .map((f) => Number(path.basename(f)))
    .sort((a, b) => a - b);
}

test('recovery with file input stream: files recorded before the stop are remembered; files written while down are read; window output is complete', async () => {
  let outputs: Array<[number, number[]]> = [];
  const create = (jump: number) => (): StreamingContext => {
    const ssc = createManualContext({ batchDuration: Milliseconds(B), conf: { 'spark.streaming.manualClock.jump': jump } });
    ssc.checkpoint(checkpointDir);
    ssc
      .textFileStream(testDir)
      .map((s) => Number(s))
      .reduceByWindow((a, b) => a + b, Milliseconds(B * 30), Milliseconds(B))
      .foreachRDD(async (rdd, time) => {
        outputs.push([time.milliseconds, await rdd.collect()]);
      });
    return ssc;
  };

  const ssc1 = StreamingContext.getOrCreate(checkpointDir, create(0));
  expect(ssc1.isCheckpointPresent).toBe(false);
  await ssc1.start();
  const clock1 = manualClock(ssc1);
  for (const i of [1, 2, 3]) {
    clock1.advance(B / 2); // files appear half a batch after the previous batch
    writeFile(i, clock1.getTimeMillis());
    await ssc1.step();
  }
  expect(recordedFiles(ssc1)).toEqual([1, 2, 3]);
  await stopContext(ssc1);
  const before = outputs;
  expect(before).toEqual([
    [2000, [1]],
    [4000, [3]],
    [6000, [6]],
  ]);

  // Files created while the driver is down, on the old clock.
  let t = 6000;
  for (const i of [4, 5, 6]) {
    t += B / 2;
    writeFile(i, t);
    t += B / 2;
  }

  outputs = [];
  // The checkpoint is for 6000; jump the restarted clock to 12000, past the files written while down.
  const ssc2 = StreamingContext.getOrCreate(checkpointDir, create(6000));
  expect(ssc2.isCheckpointPresent).toBe(true);
  expect(recordedFiles(ssc2)).toEqual([1, 2, 3]);
  await ssc2.start();
  const clock2 = manualClock(ssc2);
  expect(clock2.getTimeMillis()).toBe(12000);
  // The batch at the checkpoint time and the three missed batches run first.
  await ssc2.scheduler.jobGenerator.waitForBatch(new Time(12000));
  for (const i of [7, 8, 9]) {
    clock2.setTime(ssc2.scheduler.jobGenerator.nextBatchTime().milliseconds - B / 2);
    writeFile(i, clock2.getTimeMillis());
    await ssc2.step();
  }
  await expect(ssc2.awaitTerminationOrTimeout(0)).resolves.toBe(false);
  expect(recordedFiles(ssc2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(outputs).toEqual([
    [6000, [6]],
    [8000, [10]],
    [10000, [15]],
    [12000, [21]],
    [14000, [28]],
    [16000, [36]],
    [18000, [45]],
  ]);
  const all = new Set([...before, ...outputs].flatMap(([, v]) => v));
  expect(all).toEqual(new Set([1, 3, 6, 10, 15, 21, 28, 36, 45]));
});
