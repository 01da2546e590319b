/**
 * Listener semantics (reference §1.6, §5.3, §10.9 StreamingListenerSuite) on the ManualClock: events in order,
 * BatchInfo delays, OutputOperationInfo ids and failure reasons, a throwing listener is kept, `ssc.stop()` inside a
 * listener is Spark's error, no events after stop, a batch without jobs has no events.
 */
import { SparkException, type StreamingListener, type BatchInfo, type OutputOperationInfo } from '../../lib';
import { createManualContext, manualClock, stopAllContexts, TestInputStream } from './harness';

afterEach(stopAllContexts);

interface Recorded {
  name: string;
  batch?: BatchInfo;
  op?: OutputOperationInfo;
}

/** Records every event, in order. */
class Recorder implements StreamingListener {
  readonly events: Recorded[] = [];
  onStreamingStarted(): void {
    this.events.push({ name: 'streamingStarted' });
  }
  onBatchSubmitted(e: { batchInfo: BatchInfo }): void {
    this.events.push({ name: 'batchSubmitted', batch: e.batchInfo });
  }
  onBatchStarted(e: { batchInfo: BatchInfo }): void {
    this.events.push({ name: 'batchStarted', batch: e.batchInfo });
  }
  onBatchCompleted(e: { batchInfo: BatchInfo }): void {
    this.events.push({ name: 'batchCompleted', batch: e.batchInfo });
  }
  onOutputOperationStarted(e: { outputOperationInfo: OutputOperationInfo }): void {
    this.events.push({ name: 'opStarted', op: e.outputOperationInfo });
  }
  onOutputOperationCompleted(e: { outputOperationInfo: OutputOperationInfo }): void {
    this.events.push({ name: 'opCompleted', op: e.outputOperationInfo });
  }
  named(name: string): Recorded[] {
    return this.events.filter((e) => e.name === name);
  }
}

function contextWithOutputs(numOutputs: number, input: (number[] | null)[] = [[1], [1], [1], [1]], failOp = -1) {
  const ssc = createManualContext();
  const stream = new TestInputStream(ssc, input, 2);
  for (let i = 0; i < numOutputs; i++) {
    stream.foreachRDD(async (rdd) => {
      await rdd.count();
      if (i === failOp) throw new Error('This is a failed job');
    });
  }
  return { ssc, stream };
}

test('events arrive in order with Spark\'s BatchInfo at each stage', async () => {
  const { ssc } = contextWithOutputs(3);
  const rec = new Recorder();
  ssc.addStreamingListener(rec);
  await ssc.start();
  await ssc.step(4);

  const perBatch = ['batchSubmitted', 'batchStarted', 'opStarted', 'opCompleted', 'opStarted', 'opCompleted', 'opStarted', 'opCompleted', 'batchCompleted'];
  expect(rec.events.map((e) => e.name)).toEqual(['streamingStarted', ...perBatch, ...perBatch, ...perBatch, ...perBatch]);

  const submitted = rec.named('batchSubmitted').map((e) => e.batch as BatchInfo);
  expect(submitted.map((b) => b.batchTime.milliseconds)).toEqual([1000, 2000, 3000, 4000]);
  for (const b of submitted) {
    expect(b.schedulingDelay).toBeUndefined();
    expect(b.processingDelay).toBeUndefined();
    expect(b.totalDelay).toBeUndefined();
    expect(b.numRecords).toBe(1);
    expect([...b.streamIdToInputInfo]).toEqual([[0, { inputStreamId: 0, numRecords: 1, metadata: {} }]]);
  }
  for (const e of rec.named('batchStarted')) {
    const b = e.batch as BatchInfo;
    expect(b.schedulingDelay).toBeGreaterThanOrEqual(0);
    expect(b.processingDelay).toBeUndefined();
    expect(b.totalDelay).toBeUndefined();
  }
  const completed = rec.named('batchCompleted').map((e) => e.batch as BatchInfo);
  for (const b of completed) {
    expect(b.schedulingDelay).toBeGreaterThanOrEqual(0);
    expect(b.processingDelay).toBeGreaterThanOrEqual(0);
    expect(b.totalDelay).toBe((b.schedulingDelay as number) + (b.processingDelay as number));
    expect(b.numRecords).toBe(1);
    expect([...b.outputOperationInfos.keys()]).toEqual([0, 1, 2]);
    expect(b.failureReasons.size).toBe(0);
  }
  // Submission, start and end times never go backwards from one batch to the next.
  for (let i = 1; i < completed.length; i++) {
    expect(completed[i].submissionTime).toBeGreaterThanOrEqual(completed[i - 1].submissionTime);
    expect(completed[i].processingStartTime as number).toBeGreaterThanOrEqual(completed[i - 1].processingStartTime as number);
    expect(completed[i].processingEndTime as number).toBeGreaterThanOrEqual(completed[i - 1].processingEndTime as number);
  }

  const opStarted = rec.named('opStarted').map((e) => e.op as OutputOperationInfo);
  const opCompleted = rec.named('opCompleted').map((e) => e.op as OutputOperationInfo);
  expect(opStarted.map((o) => o.id)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  expect(opCompleted.map((o) => o.id)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  for (const o of opStarted) {
    expect(o.startTime).toBeDefined();
    expect(o.endTime).toBeUndefined();
    expect(o.name).toBe('foreachRDD');
  }
  for (const o of opCompleted) {
    expect(o.endTime as number).toBeGreaterThanOrEqual(o.startTime as number);
    expect(o.failureReason).toBeUndefined();
  }
});

test('a failed output operation carries its failure reason; the batch still completes', async () => {
  const { ssc } = contextWithOutputs(3, [[1], [1]], 1);
  const rec = new Recorder();
  ssc.addStreamingListener(rec);
  await ssc.start();
  await expect(ssc.step(2)).rejects.toThrow('This is a failed job');
  const completed = rec.named('batchCompleted').map((e) => e.batch as BatchInfo);
  expect(completed).toHaveLength(2);
  for (const b of completed) {
    expect([...b.failureReasons.keys()]).toEqual([1]);
    expect(b.failureReasons.get(1)).toContain('This is a failed job');
    expect(b.outputOperationInfos.get(0)?.failureReason).toBeUndefined();
  }
  const failedOps = rec.named('opCompleted').filter((e) => e.op?.failureReason !== undefined);
  expect(failedOps.map((e) => [e.op?.batchTime.milliseconds, e.op?.id])).toEqual([
    [1000, 1],
    [2000, 1],
  ]);
  await expect(ssc.awaitTerminationOrTimeout(0)).rejects.toThrow('This is a failed job');
});

test('a listener that throws is logged and kept; the others and the context carry on', async () => {
  const { ssc } = contextWithOutputs(1, [[1], [1], [1]]);
  let calls = 0;
  ssc.addStreamingListener({
    onBatchCompleted() {
      calls++;
      throw new Error('listener failure');
    },
  });
  const rec = new Recorder();
  ssc.addStreamingListener(rec);
  await ssc.start();
  await ssc.step(3);
  expect(calls).toBe(3);
  expect(rec.named('batchCompleted')).toHaveLength(3);
  expect(ssc.getState()).toBe('ACTIVE');
  expect(await ssc.awaitTerminationOrTimeout(0)).toBe(false);
});

test('ssc.stop() inside a listener throws Spark\'s SparkException and the context keeps running', async () => {
  const { ssc } = contextWithOutputs(1, [[1], [1]]);
  const seen: unknown[] = [];
  ssc.addStreamingListener({
    onBatchCompleted() {
      try {
        void ssc.stop();
      } catch (e) {
        seen.push(e);
      }
    },
  });
  await ssc.start();
  await ssc.step(2);
  expect(seen).toHaveLength(2);
  expect(seen[0]).toBeInstanceOf(SparkException);
  expect((seen[0] as Error).message).toBe('Cannot stop StreamingContext within listener bus thread.');
  expect(ssc.getState()).toBe('ACTIVE');
  await ssc.stop();
  expect(ssc.getState()).toBe('STOPPED');
});

test('no events after stop', async () => {
  const { ssc } = contextWithOutputs(1, [[1], [1], [1]]);
  const rec = new Recorder();
  ssc.addStreamingListener(rec);
  await ssc.start();
  await ssc.step(1);
  const before = rec.events.length;
  await ssc.stop(false);
  manualClock(ssc).advance(10_000);
  await new Promise((r) => setImmediate(r));
  ssc.scheduler.listenerBus.post('onBatchCompleted', { batchInfo: rec.named('batchCompleted')[0].batch as BatchInfo });
  await new Promise((r) => setImmediate(r));
  expect(rec.events.length).toBe(before);
});

test('removeStreamingListener stops delivery to that listener', async () => {
  const { ssc } = contextWithOutputs(1, [[1], [1], [1]]);
  const rec = new Recorder();
  ssc.addStreamingListener(rec);
  await ssc.start();
  await ssc.step(1);
  ssc.removeStreamingListener(rec);
  await ssc.step(2);
  expect(rec.named('batchCompleted').map((e) => e.batch?.batchTime.milliseconds)).toEqual([1000]);
});

test('a batch without jobs posts no events ("No jobs added for time")', async () => {
  // The output is on the input itself, which has no RDD (Spark's None) at 2000 ms.
  const ssc = createManualContext();
  const stream = new TestInputStream(ssc, [[1], null, [3]], 2);
  stream.foreachRDD(() => undefined);
  const rec = new Recorder();
  ssc.addStreamingListener(rec);
  await ssc.start();
  await ssc.step(3);
  expect(rec.named('batchSubmitted').map((e) => e.batch?.batchTime.milliseconds)).toEqual([1000, 3000]);
  expect(rec.named('batchCompleted').map((e) => e.batch?.batchTime.milliseconds)).toEqual([1000, 3000]);
});

test('output operation ids follow registration order; a stream without an RDD contributes no job', async () => {
  const ssc = createManualContext();
  const a = new TestInputStream(ssc, [[1], [2]], 2);
  const b = new TestInputStream(ssc, [null, [2]], 2);
  a.foreachRDD(() => undefined);
  b.foreachRDD(() => undefined);
  a.print();
  ssc.out = { write: () => true };
  const rec = new Recorder();
  ssc.addStreamingListener(rec);
  await ssc.start();
  await ssc.step(2);
  const [first, second] = rec.named('batchCompleted').map((e) => e.batch as BatchInfo);
  // Batch 1: b has no RDD, so the jobs are a.foreachRDD (0) and a.print (1), as Spark numbers the JobSet.
  expect([...first.outputOperationInfos.values()].map((o) => [o.id, o.name])).toEqual([
    [0, 'foreachRDD'],
    [1, 'print'],
  ]);
  expect([...second.outputOperationInfos.values()].map((o) => [o.id, o.name])).toEqual([
    [0, 'foreachRDD'],
    [1, 'foreachRDD'],
    [2, 'print'],
  ]);
});
