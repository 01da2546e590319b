/**
 * The data view's capture (dstreams.ui.data.*), read through its JSON endpoint `/api/v1/streaming/data`: what each
 * DStream's RDD held at each batch (counts and first elements per partition), the incremental window's span and
 * what entered and left, the state before and after, mapWithState timeouts, receiver blocks with their WAL
 * positions, the marks of a restart (batches re-run from the checkpoint, blocks read back from the WAL), the bounds
 * (maxRecords per partition, retainedBatches) on a large batch, and that nothing is hooked while it is off.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RDD, Seconds, type State, StateSpec, StreamingContext, streamingUIOf } from '../../lib';
import { BatchDataCapture } from '../../lib/ui/capture/BatchDataCapture';
import type { BatchCaptureJson, CellJson, DataJson } from '../../lib/ui/capture/CaptureJson';
import { batchDataText } from '../../lib/ui/capture/DataText';
import { receiveRecords, TestServer } from '../receivers/helpers';
import { createManualContext, stopAllContexts, TestInputStream } from '../streaming/harness';
import { getJson, uiContext } from './helpers';
import { windowedWordCount } from './programs';

afterEach(stopAllContexts);

/** Runs `n` batches and waits until the last one's data view is complete. */
async function stepAndCapture(ssc: StreamingContext, n: number): Promise<void> {
  const last = ssc.scheduler.jobGenerator.nextBatchTime().milliseconds + (n - 1) * ssc.graph.batchDuration!.milliseconds;
  await ssc.step(n);
  await streamingUIOf(ssc)!.dataCapture!.whenCaptured(last);
}

function cellOf(d: DataJson, time: number, seq: number): CellJson {
  const b = d.batches.find((x) => x.time === time);
  if (!b) throw new Error(`no batch ${time} in ${d.batches.map((x) => x.time).join(', ')}`);
  const c = b.cells.find((x) => x.seq === seq);
  if (!c) throw new Error(`no cell for stream ${seq} at ${time}`);
  return c;
}

const elements = (c: CellJson): string[] => c.partitions.flatMap((p) => p.elements);

/** RDDs still carrying a tap (an own `iterator`). */
const tapped = (rdds: Iterable<RDD<unknown>>): number => [...rdds].filter((r) => Object.prototype.hasOwnProperty.call(r, 'iterator')).length;

test('every stream of a windowed, stateful program, batch by batch: elements, window, state, outputs', async () => {
  const ssc = uiContext({ checkpointDir: true });
  const seq = windowedWordCount(ssc);
  await ssc.start();
  await stepAndCapture(ssc, 4);
  const d = await getJson<DataJson>(ssc, '/data');
  expect(d).toMatchObject({ enabled: true, retainedBatches: 20, maxRecords: 20 });
  expect(d.batches.map((b) => b.time)).toEqual([1000, 2000, 3000, 4000]);
  // Rows: the input first, each stream after its parents (the reduced stream before the window made first), outputs last.
  expect(d.rows.map((r) => r.seq)).toEqual([seq.lines, seq.words, seq.pairs, seq.reduced, seq.window, seq.state, seq.windowPrint, seq.statePrint]);
  expect(d.rows.find((r) => r.seq === seq.window)).toMatchObject({ kind: 'transform', window: { windowMs: 3000, slideMs: 1000, incremental: true }, parents: [seq.reduced] });
  expect(d.rows.find((r) => r.seq === seq.state)).toMatchObject({ state: 'updateStateByKey', parents: [seq.pairs] });
  expect(d.rows[0]).toMatchObject({ kind: 'input', inputStreamId: 0, receiver: false });

  // Batch 1: the line, its words and pairs, per partition (the one line is in partition 1 of 2).
  const lines1 = cellOf(d, 1000, seq.lines);
  expect(lines1.partitions).toEqual([
    { index: 0, count: 0, elements: [] },
    { index: 1, count: 1, elements: ['a b a'] },
  ]);
  expect(cellOf(d, 1000, seq.pairs)).toMatchObject({ count: 3, partitions: [{ count: 0 }, { count: 3, elements: ['(a,1)', '(b,1)', '(a,1)'] }] });
  expect(elements(cellOf(d, 2000, seq.reduced)).sort()).toEqual(['(b,1)', '(c,1)']);

  // The window at 4000 ms: covers 2000..4000; batch 4000's counts entered, batch 1000's left.
  const w = cellOf(d, 4000, seq.window);
  expect(w.count).toBe(4);
  expect(elements(w).sort()).toEqual(['(a,1)', '(b,1)', '(c,3)', '(d,1)']);
  expect(w.window).toMatchObject({ windowMs: 3000, slideMs: 1000, incremental: true, times: [2000, 3000, 4000], entered: [4000], left: [1000] });
  expect(w.window!.enteredData!.flatMap((p) => p.elements).sort()).toEqual(['(c,2)', '(d,1)']);
  expect(w.window!.leftData!.flatMap((p) => p.elements).sort()).toEqual(['(a,2)', '(b,1)']);
  expect(w.window!.leftData!.every((p) => p.batchTime === 1000)).toBe(true);
  const wk = new Map(w.window!.keys!.map((k) => [k.key, k]));
  expect(wk.get('a')).toMatchObject({ before: '3', left: ['2'], entered: [], after: '1' });
  expect(wk.get('b')).toMatchObject({ before: '2', left: ['1'], entered: [], after: '1' });
  expect(wk.get('c')).toMatchObject({ before: '1', left: [], entered: ['2'], after: '3' });
  expect(wk.get('d')).toMatchObject({ left: [], entered: ['1'], after: '1' });
  expect(wk.get('d')!.before).toBeUndefined();
  // The first windows are partial: at 1000 ms it covers one batch, nothing left.
  expect(cellOf(d, 1000, seq.window).window).toMatchObject({ times: [1000], entered: [1000], left: [] });

  // The state at 4000 ms: a (1 after batch 3) has no value and goes; c and d are new.
  const s = cellOf(d, 4000, seq.state);
  expect(s.state).toMatchObject({ kind: 'updateStateByKey', keysBefore: 1, keysAfter: 2, removed: 1, keysTruncated: false });
  const sk = new Map(s.state!.keys.map((k) => [k.key, k]));
  expect(sk.get('c')).toEqual({ key: 'c', partition: expect.any(Number), values: ['1', '1'], numValues: 2, after: '2' });
  expect(sk.get('d')).toEqual({ key: 'd', partition: expect.any(Number), values: ['1'], numValues: 1, after: '1' });
  expect(sk.get('a')).toEqual({ key: 'a', partition: expect.any(Number), before: '1', values: [], numValues: 0, removed: true });
  expect(elements(s).sort()).toEqual(['(c,2)', '(d,1)']);
  // The first batch's state: no state before, every key new.
  expect(cellOf(d, 1000, seq.state).state).toMatchObject({ keysBefore: 0, keysAfter: 2 });

  // Output operations: their ids, names and durations.
  expect(cellOf(d, 4000, seq.windowPrint).output).toMatchObject({ outputOpId: 0, name: 'print', durationMs: expect.any(Number) });
  expect(cellOf(d, 4000, seq.statePrint).output).toMatchObject({ outputOpId: 1, name: 'print' });

  // One batch alone, and the feed's context.
  expect(await getJson<BatchCaptureJson>(ssc, '/data/3000')).toEqual(d.batches[2]);
  expect((await getJson(ssc, '/context')).data).toEqual({ enabled: true, retainedBatches: 20, maxRecords: 20 });
  // Every tap is gone once its batch is complete.
  const rdds = ssc.graph.allStreams().flatMap((x) => [...x.generatedRDDs.values()]) as RDD<unknown>[];
  expect(rdds.length).toBeGreaterThan(10);
  expect(tapped(rdds)).toBe(0);
});

test('the same view as text, for dstreams step: a line per stream, the window and the state under theirs', async () => {
  const ssc = uiContext({ checkpointDir: true });
  windowedWordCount(ssc);
  await ssc.start();
  await stepAndCapture(ssc, 4);
  const capture = streamingUIOf(ssc)!.dataCapture!;
  const text = batchDataText(capture.rows(), capture.batch(4000)!).replace(/print, \d+ ms/g, 'print, N ms');
  expect(text).toBe(
    [
      'streams:',
      '  [0]  TestInputStream testInputStream              1  c c d',
      '  [1]  FlatMappedDStream flatMap                    3  c, c, d',
      '  [2]  MappedDStream map                            3  (c,1), (c,1), (d,1)',
      '  [4]  ShuffledDStream reduceByKey                  2  (d,1) | (c,2)',
      '  [3]  ReducedWindowedDStream reduceByKeyAndWindow  4  (d,1), (b,1) | (a,1), (c,3)',
      '      window 2000 ms .. 4000 ms (3 batches); entered 4000 ms: (d,1) | (c,2); left 1000 ms: (b,1) | (a,2)',
      '      key  previous  - left  + entered  window',
      '      d    -                 1          1',
      '      b    2         1                  1',
      '      c    1                 2          3',
      '      a    3         2                  1',
      '  [6]  StateDStream updateStateByKey                2  (d,1) | (c,2)',
      '      state 1 -> 2 keys, 1 removed',
      '      key  before  values  after',
      '      d    -       1       1',
      '      c    -       1 1     2',
      '      a    1               removed',
      '  [5]  ForEachDStream print                            print, N ms',
      '  [7]  ForEachDStream print                            print, N ms',
      '',
    ].join('\n'),
  );
});

test('bounded: a batch of 200,000 records keeps maxRecords per partition and exact counts; only retainedBatches stay', async () => {
  const n = 200_000;
  const big = Array.from({ length: n }, (_, i) => i);
  const ssc = uiContext({ conf: { 'dstreams.ui.data.maxRecords': 5, 'dstreams.ui.data.retainedBatches': 3 } });
  const input = new TestInputStream(ssc, [big, [1], [2], [3], [4]], 4);
  const doubled = input.map((x: number) => x * 2);
  doubled.foreachRDD(async (rdd) => void (await rdd.count()));
  await ssc.start();
  const capture = streamingUIOf(ssc)!.dataCapture!;
  await ssc.step(1);
  const first = (await capture.whenCaptured(1000))!;
  const cell = first.cells.find((c) => c.seq === doubled.seq)!;
  expect(cell.count).toBe(n);
  expect(cell.partitions.map((p) => p.count)).toEqual([50_000, 50_000, 50_000, 50_000]);
  expect(cell.partitions.map((p) => p.elements.length)).toEqual([5, 5, 5, 5]);
  expect(cell.partitions[1].elements).toEqual(['100000', '100002', '100004', '100006', '100008']);
  // The whole batch's view is a few hundred bytes, not the batch.
  expect(JSON.stringify(first).length).toBeLessThan(2000);

  await stepAndCapture(ssc, 4);
  const d = await getJson<DataJson>(ssc, '/data');
  expect(d.batches.map((b) => b.time)).toEqual([3000, 4000, 5000]);
  const r = await fetch(`${ssc.uiWebUrl}/api/v1/streaming/data/1000`);
  expect(r.status).toBe(404);
  expect(await r.text()).toBe('no data kept for batch 1000\n');
});

test("print() computes only the first partitions: the others are 'not computed' unless cheap to read", async () => {
  const ssc = uiContext();
  ssc.out = { write: () => true };
  // Three partitions of 20: print() takes 11 elements, all from partition 0.
  const input = new TestInputStream(ssc, [Array.from({ length: 60 }, (_, i) => i)], 3);
  const mapped = input.map((x: number) => x + 1);
  mapped.print();
  await ssc.start();
  await stepAndCapture(ssc, 1);
  const d = await getJson<DataJson>(ssc, '/data');
  const m = cellOf(d, 1000, mapped.seq);
  expect(m.partitions.map((p) => p.count)).toEqual([20, undefined, undefined]);
  expect(m.notComputed).toBe(2);
  expect(m.count).toBeUndefined();
  // The input's partitions are a parallelized collection: read again at no cost, so counted whole.
  expect(cellOf(d, 1000, input.seq)).toMatchObject({ count: 60, partitions: [{ count: 20 }, { count: 20 }, { count: 20 }] });
});

test('mapWithState: before, values and after per key; states time out on checkpoint batches', async () => {
  const ssc = uiContext({ checkpointDir: true });
  ssc.out = { write: () => true };
  const input = new TestInputStream(ssc, [['a', 'b'], ['b'], ['b'], [], []], 2);
  const spec = StateSpec.function((k: string, v: number | undefined, state: State<number>) => {
    if (state.isTimingOut()) return [k, -1] as [string, number];
    const sum = (state.getOption() ?? 0) + (v ?? 0);
    state.update(sum);
    return [k, sum] as [string, number];
  }).timeout(Seconds(2));
  const mapped = input.map((w: string) => [w, 1] as [string, number]).mapWithState(spec);
  // Full scans (timeouts) every batch: the state is checkpointed every batch.
  mapped.checkpoint(Seconds(1));
  mapped.print();
  await ssc.start();
  await stepAndCapture(ssc, 6);
  const d = await getJson<DataJson>(ssc, '/data');
  const internal = mapped.internalStream.seq;
  expect(d.rows.find((r) => r.seq === internal)).toMatchObject({ state: 'mapWithState' });
  const at = (t: number) => cellOf(d, t, internal).state!;
  const key = (t: number, k: string) => at(t).keys.find((x) => x.key === k);
  expect(at(1000)).toMatchObject({ kind: 'mapWithState', keysBefore: 0, keysAfter: 2, fullScan: true, timedOut: 0 });
  expect(key(2000, 'b')).toMatchObject({ before: '1', values: ['1'], after: '2' });
  // a was last updated at 1000; at 4000 the threshold is 2000: it times out (b, updated at 3000, stays until 6000).
  expect(at(4000)).toMatchObject({ keysBefore: 2, keysAfter: 1, removed: 1, timedOut: 1, timeoutThreshold: 2000 });
  expect(key(4000, 'a')).toMatchObject({ before: '1', removed: true, timedOut: true, values: [] });
  expect(at(5000)).toMatchObject({ keysBefore: 1, keysAfter: 1, removed: 0, timedOut: 0, timeoutThreshold: 3000 });
  expect(key(6000, 'b')).toMatchObject({ before: '3', removed: true, timedOut: true });
  // The internal stream's partitions are its state maps; the mapped output has the timeout's record.
  expect(cellOf(d, 3000, internal).count).toBe(2);
  expect(elements(cellOf(d, 4000, mapped.seq))).toEqual(['(a,-1)']);
});

test('off: no hook on the graph, no tapped RDD, and the endpoint says so; on the system clock it is off by default', async () => {
  const ssc = uiContext({ conf: { 'dstreams.ui.data.enabled': false } });
  const input = new TestInputStream(ssc, [[1, 2, 3]], 2);
  input.map((x: number) => x).foreachRDD(async (rdd) => void (await rdd.count()));
  await ssc.start();
  await ssc.step(2);
  expect(ssc.graph.onJobsGenerated).toBeUndefined();
  expect(BatchDataCapture.of(ssc)).toBeUndefined();
  expect(tapped(ssc.graph.allStreams().flatMap((x) => [...x.generatedRDDs.values()]) as RDD<unknown>[])).toBe(0);
  expect(await getJson(ssc, '/data')).toEqual({ enabled: false, rows: [], batches: [] });
  expect((await getJson(ssc, '/context')).data).toEqual({ enabled: false });
  const r = await fetch(`${ssc.uiWebUrl}/api/v1/streaming/data/1000`);
  expect([r.status, await r.text()]).toEqual([404, 'the data view is off (dstreams.ui.data.enabled=false)\n']);

  const system = new StreamingContext('local[2]', 'system-clock', Seconds(1));
  expect(BatchDataCapture.isEnabled(system)).toBe(false);
  await system.stop();
  expect(BatchDataCapture.isEnabled(createManualContext())).toBe(true);
});

describe('receiver streams and restarts', () => {
  const BLOCK_MS = 20;
  let server: TestServer;
  let dir: string;
  beforeEach(async () => {
    server = await new TestServer().listen();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-ui-data-'));
  });
  afterEach(async () => {
    await stopAllContexts();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function create(): StreamingContext {
    const ssc = uiContext({
      conf: { 'spark.streaming.blockInterval': `${BLOCK_MS}ms`, 'spark.streaming.receiver.writeAheadLog.enable': true },
    });
    ssc.checkpoint(dir);
    ssc.out = { write: () => true };
    const lines = ssc.socketTextStream('127.0.0.1', server.port);
    lines
      .map((l: string) => [l, 1] as [string, number])
      .updateStateByKey((vs: number[], s: number | undefined) => (s ?? 0) + vs.length)
      .print();
    return ssc;
  }

  test('blocks with their records and WAL positions; after a restart the re-run batch is marked and its blocks come from the WAL', async () => {
    const first = create();
    await first.start();
    await server.waitForConnections(1);
    server.write('x\ny\nx\n');
    await receiveRecords(first, 3, BLOCK_MS);
    await stepAndCapture(first, 1);
    server.write('z\n');
    await receiveRecords(first, 1, BLOCK_MS);
    await stepAndCapture(first, 1);
    const d1 = await getJson<DataJson>(first, '/data');
    const input = d1.rows[0];
    expect(input).toMatchObject({ kind: 'input', receiver: true });
    const c1 = cellOf(d1, 1000, input.seq);
    expect(c1.count).toBe(3);
    expect(elements(c1).sort()).toEqual(['x', 'x', 'y']);
    expect(c1.blocks!.length).toBeGreaterThan(0);
    for (const [i, b] of c1.blocks!.entries()) {
      expect(b).toMatchObject({ blockId: expect.stringMatching(/^input-0-\d+$/), streamId: 0, fromWal: false, wal: { path: expect.stringContaining(path.join(dir, 'receivedData', '0')), offset: expect.any(Number) } });
      expect(c1.partitions[i].blockId).toBe(b.blockId);
    }
    expect(c1.blocks!.reduce((a, b) => a + (b.numRecords ?? 0), 0)).toBe(3);
    expect(d1.batches.every((b) => !b.recovered)).toBe(true);
    const blocksOf2000 = cellOf(d1, 2000, input.seq).blocks!.map((b) => b.blockId);
    await stopAllContexts();

    // The restart re-runs the batch of the newest checkpoint (2000 ms): a new block manager, so from the WAL.
    const second = StreamingContext.getOrCreate(dir, create);
    await second.start();
    const capture = streamingUIOf(second)!.dataCapture!;
    await capture.whenCaptured(2000);
    const d2 = await getJson<DataJson>(second, '/data');
    const re = d2.batches.find((b) => b.time === 2000)!;
    expect(re.recovered).toBe(true);
    const c2 = re.cells.find((c) => c.seq === input.seq)!;
    expect(c2.blocks!.map((b) => b.blockId)).toEqual(blocksOf2000);
    expect(c2.blocks!.every((b) => b.fromWal)).toBe(true);
    expect(elements(c2)).toEqual(['z']);
    // A batch after the restart is not re-run.
    server.write('w\n');
    await server.waitForConnections(2);
    await receiveRecords(second, 1, BLOCK_MS);
    await second.step(1);
    const next = (await capture.whenCaptured(second.scheduler.jobGenerator.lastProcessedBatchMs))!;
    expect(next.time).toBeGreaterThan(2000);
    expect(next.recovered).toBe(false);
  }, 30_000);
});
