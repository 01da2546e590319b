/**
 * Spark's StreamingJobProgressListenerSuite (reference §10.9): batch bookkeeping through submitted, started and
 * completed; receiver infos; the retainedBatches limit; out-of-order events; no leaks. Spark's suite re-sends the
 * same batch time in its loops; here each loop iteration is its own batch, as in a real run (a batch completed twice
 * counts once in dstreams).
 */
import { BatchInfo, METADATA_KEY_DESCRIPTION, type ReceiverInfo, StreamId, streamInputInfo, StreamingJobProgressListener, statisticsJson, Time } from '../../lib';
import { createManualContext, stopAllContexts, TestInputStream } from '../streaming/harness';

afterEach(stopAllContexts);

function setup(conf: Record<string, string> = {}): StreamingJobProgressListener {
  const ssc = createManualContext({ conf });
  new TestInputStream(ssc, [[1]], 1).foreachRDD(() => undefined);
  new TestInputStream(ssc, [[1]], 1).foreachRDD(() => undefined);
  return new StreamingJobProgressListener(ssc);
}

const inputs = new Map([
  [0, streamInputInfo(StreamId(0), 300)],
  [1, streamInputInfo(StreamId(1), 300, { [METADATA_KEY_DESCRIPTION]: 'test' })],
]);

function batch(t: number, start?: number, end?: number): BatchInfo {
  return new BatchInfo(new Time(t), inputs, t, start, end, new Map());
}

function receiver(streamId: number, executorId: string): ReceiverInfo {
  return { streamId: StreamId(streamId), name: 'test', active: true, location: 'localhost', executorId, lastErrorMessage: '', lastError: '', lastErrorTime: -1 };
}

test('onBatchSubmitted, onBatchStarted, onBatchCompleted, onReceiverStarted, onReceiverError, onReceiverStopped', () => {
  const listener = setup();

  listener.onBatchSubmitted({ batchInfo: batch(1000) });
  expect(listener.waitingBatches.map((b) => b.batchTime)).toEqual([1000]);
  expect(listener.runningBatches).toEqual([]);
  expect(listener.retainedCompletedBatches).toEqual([]);
  expect(listener.lastCompletedBatch).toBeUndefined();
  expect(listener.numUnprocessedBatches).toBe(1);
  expect(listener.numTotalCompletedBatches).toBe(0);
  expect(listener.numTotalProcessedRecords).toBe(0);
  expect(listener.numTotalReceivedRecords).toBe(0);

  listener.onBatchStarted({ batchInfo: batch(1000, 2000) });
  expect(listener.waitingBatches).toEqual([]);
  expect(listener.runningBatches.map((b) => [b.batchTime, b.schedulingDelay])).toEqual([[1000, 1000]]);
  expect(listener.retainedCompletedBatches).toEqual([]);
  expect(listener.numUnprocessedBatches).toBe(1);
  expect(listener.numTotalCompletedBatches).toBe(0);
  expect(listener.numTotalProcessedRecords).toBe(0);
  expect(listener.numTotalReceivedRecords).toBe(600);

  listener.onBatchCompleted({ batchInfo: batch(1000, 2000, 2500) });
  expect(listener.waitingBatches).toEqual([]);
  expect(listener.runningBatches).toEqual([]);
  expect(listener.retainedCompletedBatches.map((b) => [b.batchTime, b.processingDelay, b.totalDelay])).toEqual([[1000, 500, 1500]]);
  expect(listener.lastCompletedBatch?.batchTime).toBe(1000);
  expect(listener.numUnprocessedBatches).toBe(0);
  expect(listener.numTotalCompletedBatches).toBe(1);
  expect(listener.numTotalProcessedRecords).toBe(600);
  expect(listener.numTotalReceivedRecords).toBe(600);
  expect(listener.getBatchUIData(1000)?.inputInfos()).toEqual([
    { streamId: 0, numRecords: 300 },
    { streamId: 1, numRecords: 300, description: 'test' },
  ]);

  const started = receiver(0, '0');
  listener.onReceiverStarted({ receiverInfo: started });
  expect(listener.receiverInfo(0)).toBe(started);
  expect(listener.receiverInfo(1)).toBeUndefined();

  const error = receiver(1, '1');
  listener.onReceiverError({ receiverInfo: error });
  expect(listener.receiverInfo(0)).toBe(started);
  expect(listener.receiverInfo(1)).toBe(error);
  expect(listener.receiverInfo(2)).toBeUndefined();

  const stopped = receiver(2, '2');
  listener.onReceiverStopped({ receiverInfo: stopped });
  expect(listener.receiverInfo(0)).toBe(started);
  expect(listener.receiverInfo(1)).toBe(error);
  expect(listener.receiverInfo(2)).toBe(stopped);
  expect(listener.receiverInfo(3)).toBeUndefined();
});

test('output operations update the batch they belong to', () => {
  const listener = setup();
  listener.onBatchSubmitted({ batchInfo: batch(1000) });
  listener.onBatchStarted({ batchInfo: batch(1000, 1001) });
  const op = { batchTime: new Time(1000), id: 0, name: 'print', description: 'print at batch 1000 ms' };
  listener.onOutputOperationStarted({ outputOperationInfo: { ...op, startTime: 1001 } });
  let b = listener.getBatchUIData(1000)!;
  expect([b.numActiveOutputOp, b.numCompletedOutputOp, b.numFailedOutputOp]).toEqual([1, 0, 0]);
  listener.onOutputOperationCompleted({ outputOperationInfo: { ...op, startTime: 1001, endTime: 1005, failureReason: 'boom\n  at x' } });
  b = listener.getBatchUIData(1000)!;
  expect([b.numActiveOutputOp, b.numCompletedOutputOp, b.numFailedOutputOp]).toEqual([0, 0, 1]);
  expect(b.firstFailureReason).toBe('boom\n  at x');
});

test('Remove the old completed batches when exceeding the limit', () => {
  const listener = setup();
  const limit = listener.batchUIDataLimit;
  expect(limit).toBe(1000); // spark.streaming.ui.retainedBatches' default
  for (let i = 0; i < limit + 10; i++) listener.onBatchCompleted({ batchInfo: batch(1000 * (i + 1), 1000 * (i + 1), 1000 * (i + 1) + 5) });
  expect(listener.retainedCompletedBatches.length).toBe(limit);
  expect(listener.numTotalCompletedBatches).toBe(limit + 10);
  // The oldest went first.
  expect(listener.retainedCompletedBatches[0].batchTime).toBe(11_000);
  expect(listener.getBatchUIData(10_000)).toBeUndefined();
  expect(listener.getBatchUIData(11_000)).toBeDefined();
});

test('spark.streaming.ui.retainedBatches bounds the completed batches', () => {
  const listener = setup({ 'spark.streaming.ui.retainedBatches': '3' });
  for (let t = 1000; t <= 6000; t += 1000) {
    listener.onBatchSubmitted({ batchInfo: batch(t) });
    listener.onBatchStarted({ batchInfo: batch(t, t + 1) });
    listener.onBatchCompleted({ batchInfo: batch(t, t + 1, t + 2) });
  }
  expect(listener.retainedCompletedBatches.map((b) => b.batchTime)).toEqual([4000, 5000, 6000]);
  expect(listener.retainedBatches.map((b) => b.batchTime)).toEqual([4000, 5000, 6000]);
  expect(listener.numTotalCompletedBatches).toBe(6);
  expect(listener.numTotalReceivedRecords).toBe(3600);
  expect(listener.numTotalProcessedRecords).toBe(3600);
  const rates = listener.receivedRecordRateWithBatchTime();
  expect(rates.get(0)).toEqual([
    [4000, 300],
    [5000, 300],
    [6000, 300],
  ]);
});

test('out-of-order events: a batch first seen completed, late starts, and output ops of unknown batches', () => {
  const listener = setup();
  listener.onBatchCompleted({ batchInfo: batch(1000, 1000, 1003) });
  expect(listener.numTotalReceivedRecords).toBe(600);
  expect(listener.numTotalProcessedRecords).toBe(600);
  // A start or submission after the completion does not bring the batch back.
  listener.onBatchStarted({ batchInfo: batch(1000, 1000) });
  listener.onBatchSubmitted({ batchInfo: batch(1000) });
  expect(listener.numUnprocessedBatches).toBe(0);
  expect(listener.numTotalReceivedRecords).toBe(600);
  // Completed without a start: records are received and processed once.
  listener.onBatchSubmitted({ batchInfo: batch(2000) });
  listener.onBatchCompleted({ batchInfo: batch(2000, 2000, 2001) });
  expect(listener.numTotalReceivedRecords).toBe(1200);
  expect(listener.numTotalCompletedBatches).toBe(2);
  // Completed twice (a re-run): counted once, newer times kept.
  listener.onBatchCompleted({ batchInfo: batch(2000, 2000, 2009) });
  expect(listener.numTotalCompletedBatches).toBe(2);
  expect(listener.getBatchUIData(2000)?.processingDelay).toBe(9);
  listener.onOutputOperationStarted({ outputOperationInfo: { batchTime: new Time(9000), id: 0, name: 'x', description: 'x', startTime: 1 } });
  expect(listener.retainedBatches.map((b) => b.batchTime)).toEqual([1000, 2000]);
});

test('a batch retry moves the batch back to running and counts its records once', () => {
  const listener = setup();
  listener.onBatchSubmitted({ batchInfo: batch(1000) });
  listener.onBatchStarted({ batchInfo: batch(1000, 1001) });
  listener.onBatchCompleted({ batchInfo: batch(1000, 1001, 1002) });
  listener.onBatchRetry({ batchTime: new Time(1000), attempt: 1, cause: 'boom' });
  expect(listener.runningBatches.map((b) => [b.batchTime, b.retries])).toEqual([[1000, 1]]);
  expect(listener.numTotalCompletedBatches).toBe(0);
  expect(listener.numTotalProcessedRecords).toBe(0);
  listener.onBatchCompleted({ batchInfo: batch(1000, 1001, 1010) });
  expect(listener.numTotalCompletedBatches).toBe(1);
  expect(listener.numTotalReceivedRecords).toBe(600);
  expect(listener.numTotalProcessedRecords).toBe(600);
  expect(listener.runningBatches).toEqual([]);
});

test('detect memory leak', () => {
  const listener = setup();
  const limit = listener.batchUIDataLimit;
  for (let i = 0; i < 2 * limit; i++) {
    const t = 1000 * (i + 1);
    listener.onBatchSubmitted({ batchInfo: batch(t) });
    listener.onBatchStarted({ batchInfo: batch(t, t) });
    listener.onOutputOperationStarted({ outputOperationInfo: { batchTime: new Time(t), id: 0, name: 'o', description: 'o', startTime: t } });
    listener.onOutputOperationCompleted({ outputOperationInfo: { batchTime: new Time(t), id: 0, name: 'o', description: 'o', startTime: t, endTime: t + 1 } });
    listener.onBatchCompleted({ batchInfo: batch(t, t, t + 1) });
  }
  expect(listener.waitingBatches.length).toBe(0);
  expect(listener.runningBatches.length).toBe(0);
  expect(listener.retainedCompletedBatches.length).toBe(limit);
  expect(listener.retainedBatches.length).toBe(limit);
});

test("statistics' means equal Spark's over every kept batch, through eviction, re-completion and retries", () => {
  const listener = setup({ 'spark.streaming.ui.retainedBatches': '4' });
  const brute = (): Record<string, number | undefined> => {
    const bs = listener.retainedBatches;
    const mean = (xs: Array<number | undefined>): number | undefined => {
      const d = xs.filter((x): x is number => x !== undefined);
      return d.length ? d.reduce((a, b) => a + b, 0) / d.length : undefined;
    };
    const t = (x: number | undefined): number | undefined => (x === undefined ? undefined : Math.trunc(x));
    return {
      avgInputRate: mean(bs.map((b) => (b.numRecords * 1000) / listener.batchDuration)),
      avgSchedulingDelay: t(mean(bs.map((b) => b.schedulingDelay))),
      avgProcessingTime: t(mean(bs.map((b) => b.processingDelay))),
      avgTotalDelay: t(mean(bs.map((b) => b.totalDelay))),
    };
  };
  const check = (): void => {
    const s = statisticsJson(listener);
    const want = brute();
    expect(s.avgSchedulingDelay).toBe(want.avgSchedulingDelay);
    expect(s.avgProcessingTime).toBe(want.avgProcessingTime);
    expect(s.avgTotalDelay).toBe(want.avgTotalDelay);
    if (want.avgInputRate === undefined) expect(s.avgInputRate).toBeUndefined();
    else expect(s.avgInputRate).toBeCloseTo(want.avgInputRate, 9);
    expect(s.numRetainedCompletedBatches).toBe(listener.retainedCompletedBatches.length);
  };
  check();
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 1; i <= 40; i++) {
    const t = i * 1000;
    listener.onBatchSubmitted({ batchInfo: batch(t) });
    check();
    listener.onBatchStarted({ batchInfo: batch(t, t + rnd(50)) });
    check();
    listener.onBatchCompleted({ batchInfo: batch(t, t + rnd(50), t + 60 + rnd(900)) });
    check();
    if (i % 7 === 0) {
      listener.onBatchRetry({ batchTime: new Time(t), attempt: 1, cause: 'x' });
      check();
      listener.onBatchCompleted({ batchInfo: batch(t, t + 1, t + 2 + rnd(100)) });
      check();
      listener.onBatchCompleted({ batchInfo: batch(t, t + 1, t + 3 + rnd(100)) });
      check();
    }
  }
});
