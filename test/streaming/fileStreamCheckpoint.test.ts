/**
 * The file stream's checkpoint data (Spark's FileInputDStreamCheckpointData, reference §4.5; CheckpointSuite
 * "recovery with file input stream", §10.6): the data goes through JSON into a freshly built graph, which is then
 * restarted the way recovery does it (restored RDDs, `restoredCheckpoint`, JobGenerator.restart).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type FileInputDStreamCheckpointData, Seconds, type StreamingContext, Time } from '../../lib';
import { collectOutput, createManualContext, manualClock, stopAllContexts, stopContext } from './harness';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-filestream-cp-'));
});
afterEach(async () => {
  await stopAllContexts();
  fs.rmSync(root, { recursive: true, force: true });
});

function writeFile(name: string, content: string, mtimeMs: number): string {
  const p = path.join(root, name);
  fs.writeFileSync(p, content);
  fs.utimesSync(p, mtimeMs / 1000, mtimeMs / 1000);
  return p;
}

/** What recovery does with a checkpoint before `start()` (lib/checkpoint's restore, reduced to the graph). */
function restoreInto(ssc: StreamingContext, zeroMs: number, checkpointMs: number, streamData: Map<number, unknown>): void {
  const graph = ssc.graph;
  const zero = new Time(zeroMs);
  graph.zeroTime = zero;
  graph.startTime = zero;
  for (const o of graph.outputStreams) o.initialize(zero);
  for (const o of graph.outputStreams) o.remember(graph.rememberDuration);
  for (const o of graph.outputStreams) o.validateAtStart();
  for (const d of graph.allStreams()) {
    const data = streamData.get(d.seq);
    if (data !== undefined) (d as unknown as { checkpointData: unknown }).checkpointData = data;
  }
  graph.restoreCheckpointData();
  ssc.restoredCheckpoint = { checkpointTime: new Time(checkpointMs), pendingTimes: [] };
}

describe('FileInputDStream checkpoint data', () => {
  test('round trip through JSON: re-run batch reads the same files, selected files are not read again, files written while down are', async () => {
    // First run: clock at 12000 when the stream is made (newFilesOnly threshold), batches 14000 and 16000.
    const ssc1 = createManualContext({ batchDuration: Seconds(2) });
    manualClock(ssc1).setTime(12000);
    const s1 = ssc1.textFileStream(root);
    const out1 = collectOutput(s1);
    await ssc1.start();
    const a = writeFile('a', 'a\n', 13000);
    await ssc1.step();
    const b = writeFile('b', 'b\n', 15000);
    await ssc1.step();
    expect(out1.batches).toEqual([['a'], ['b']]);
    s1.updateCheckpointData(new Time(16000));
    const json = JSON.stringify(s1.checkpointData);
    const zeroMs = ssc1.graph.zeroTime!.milliseconds;
    const seq = s1.seq;
    await stopContext(ssc1);

    const data = JSON.parse(json) as FileInputDStreamCheckpointData;
    expect(data).toEqual({
      batchTimeToSelectedFiles: [
        [14000, [a]],
        [16000, [b]],
      ],
      initialModTimeIgnoreThreshold: 12000,
    });

    // While down: c is new, d has an older mtime (still after the original threshold and inside the window).
    writeFile('c', 'c\n', 17000);
    writeFile('d', 'd\n', 13500);

    // Second run: the program rebuilds the graph much later (clock 30000 at creation), then recovery restores it.
    const ssc2 = createManualContext({ batchDuration: Seconds(2) });
    manualClock(ssc2).setTime(30000);
    const s2 = ssc2.textFileStream(root);
    const out2 = collectOutput(s2);
    restoreInto(ssc2, zeroMs, 16000, new Map([[seq, data]]));
    expect([...s2.generatedRDDs.keys()]).toEqual([14000, 16000]);
    expect(await s2.generatedRDDs.get(14000)!.collect()).toEqual(['a']);
    expect(s2.isRecentlySelected(a) && s2.isRecentlySelected(b)).toBe(true);

    await ssc2.start(); // JobGenerator.restart re-runs 16000 from the restored RDD
    await ssc2.step(); // 18000: c and d, not a or b again
    expect(out2.times.map((t) => t.milliseconds)).toEqual([16000, 18000]);
    expect(out2.batches.map((x) => [...x].sort())).toEqual([['b'], ['c', 'd']]);
    await expect(ssc2.awaitTerminationOrTimeout(0)).resolves.toBe(false);
  });

  test('the data covers only the remember window', async () => {
    const ssc = createManualContext({ batchDuration: Seconds(2), conf: { 'spark.streaming.fileStream.minRememberDuration': '4s' } });
    manualClock(ssc).setTime(12000);
    const s = ssc.textFileStream(root);
    collectOutput(s);
    await ssc.start();
    for (let i = 0; i < 5; i++) {
      writeFile(`f${i}`, `${i}\n`, 13000 + i * 2000);
      await ssc.step();
    }
    s.updateCheckpointData(new Time(22000));
    // After batch 22000 cleared its metadata, batches older than 22000 - 4000 are gone.
    expect(s.checkpointData!.batchTimeToSelectedFiles.map(([t]) => t)).toEqual([18000, 20000, 22000]);
  });

  test('malformed checkpoint data is an error naming the stream', () => {
    const ssc = createManualContext({ batchDuration: Seconds(2) });
    const s = ssc.textFileStream(root);
    collectOutput(s);
    (s as unknown as { checkpointData: unknown }).checkpointData = { batchTimeToSelectedFiles: [[1, 'x']], initialModTimeIgnoreThreshold: 0 };
    expect(() => s.restoreCheckpointData()).toThrow('File stream [0]: malformed checkpoint data: entry [1,"x"] is not [batchTimeMs, [file, ...]]');
    (s as unknown as { checkpointData: unknown }).checkpointData = { batchTimeToSelectedFiles: [] };
    expect(() => s.restoreCheckpointData()).toThrow('initialModTimeIgnoreThreshold is not a number');
  });
});
