/**
 * The UI server during a run on the ManualClock: Spark's streaming REST API and ours answer from the listener's
 * books as batches are stepped; the WebSocket feed carries every listener event in order; history is bounded by
 * spark.streaming.ui.retainedBatches; binding (127.0.0.1 by default, taken ports, port 0, unbindable addresses);
 * the server goes away with ssc.stop().
 */
import * as net from 'node:net';
import { streamingUIOf, UIBindException, type BatchJson, type StreamingContext, StreamingContextState } from '../../lib';
import { createManualContext, stopAllContexts, TestInputStream } from '../streaming/harness';
import { FeedClient, getJson, rawRequest, uiContext, urlOf } from './helpers';

const clients: FeedClient[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await stopAllContexts();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Input [1,2,3], [4,5], [6]; two outputs, the second failing on the batch holding 6. */
function twoOutputs(conf: Record<string, string | number | boolean> = {}): StreamingContext {
  const ssc = uiContext({ conf });
  const s = new TestInputStream(ssc, [[1, 2, 3], [4, 5], [6]], 2);
  s.foreachRDD(async (rdd) => void (await rdd.count()));
  s.foreachRDD(async (rdd) => {
    if ((await rdd.collect()).includes(6)) throw new Error('no sixes');
  });
  return ssc;
}

test("Spark's streaming REST API answers from the run's batches", async () => {
  const ssc = twoOutputs();
  await ssc.start();
  expect(urlOf(ssc)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  let stats = await getJson(ssc, '/statistics');
  expect(stats).toMatchObject({ batchDuration: 1000, numReceivers: 0, numTotalCompletedBatches: 0, numRetainedCompletedBatches: 0, numActiveBatches: 0 });
  expect(await getJson(ssc, '/batches')).toEqual([]);

  await ssc.step(2);
  const batches = await getJson<BatchJson[]>(ssc, '/batches');
  expect(batches.map((b) => [b.batchId, b.status, b.inputSize])).toEqual([
    [2000, 'COMPLETED', 2],
    [1000, 'COMPLETED', 3],
  ]);
  const b1 = batches[1];
  expect(b1).toMatchObject({
    batchTime: '1970-01-01T00:00:01.000GMT',
    batchDuration: 1000,
    numActiveOutputOps: 0,
    numCompletedOutputOps: 2,
    numFailedOutputOps: 0,
    numTotalOutputOps: 2,
    inputs: [{ streamId: 0, numRecords: 3 }],
    numBlocks: 0,
    retries: 0,
  });
  expect(b1.schedulingDelay).toBeGreaterThanOrEqual(0);
  expect(b1.totalDelay).toBe((b1.schedulingDelay ?? 0) + (b1.processingTime ?? 0));
  expect(b1.firstFailureReason).toBeUndefined();

  stats = await getJson(ssc, '/statistics');
  expect(stats).toMatchObject({ numTotalCompletedBatches: 2, numRetainedCompletedBatches: 2, numProcessedRecords: 5, numReceivedRecords: 5, avgInputRate: 2.5 });

  const receivers = await getJson(ssc, '/receivers');
  expect(receivers).toEqual([{ streamId: 0, streamName: 'Test input stream [0]', avgEventRate: 2.5, eventRates: [[1000, 3], [2000, 2]] }]);
  expect(await getJson(ssc, '/receivers/0')).toEqual(receivers[0]);

  const ops = await getJson(ssc, '/batches/1000/operations');
  expect(ops.map((o: any) => [o.outputOpId, o.name, o.jobIds])).toEqual([
    [0, 'foreachRDD', []],
    [1, 'foreachRDD', []],
  ]);
  expect(ops[0].duration).toBeGreaterThanOrEqual(0);
  expect(await getJson(ssc, '/batches/1000/operations/1')).toEqual(ops[1]);

  // The third batch fails in its second output operation.
  await expect(ssc.step(1)).rejects.toThrow('no sixes');
  const failed = await getJson<BatchJson>(ssc, '/batches/3000');
  expect(failed).toMatchObject({ status: 'COMPLETED', numCompletedOutputOps: 1, numFailedOutputOps: 1 });
  expect(failed.firstFailureReason).toContain('no sixes');
  expect((await getJson(ssc, '/batches/3000/operations/1')).failureReason).toContain('Error: no sixes');
  expect((await getJson(ssc, '/batches?status=COMPLETED')).length).toBe(3);
  expect(await getJson(ssc, '/batches?status=PROCESSING,QUEUED')).toEqual([]);

  // Spark's own paths, under the application id.
  const apps = await getJson(ssc, '/../applications');
  expect(apps).toEqual([{ id: expect.stringMatching(/^local-\d+$/), name: 'dstreams-test' }]);
  const sparkStats: any = await (await fetch(`${urlOf(ssc)}/api/v1/applications/${apps[0].id}/streaming/statistics`)).json();
  expect(sparkStats.numTotalCompletedBatches).toBe(3);

  // Errors name what was not found.
  const port = streamingUIOf(ssc)!.port;
  const cases: Array<[string, number, string]> = [
    ['/api/v1/streaming/batches/4000', 404, 'unknown batch: 4000'],
    ['/api/v1/streaming/batches/x', 400, 'invalid batch id: x'],
    ['/api/v1/streaming/batches/1000/operations/7', 404, 'unknown output operation: 7 of batch 1000'],
    ['/api/v1/streaming/receivers/9', 404, 'unknown receiver: 9'],
    ['/api/v1/streaming/batches?status=DONE', 400, 'invalid status: DONE'],
    ['/api/v1/streaming/nope', 404, 'no such endpoint: /api/v1/streaming/nope'],
    ['/api/v1/applications/other/streaming/statistics', 404, 'no such app: other'],
  ];
  for (const [target, status, message] of cases) {
    const r = await rawRequest(port, target);
    expect([target, r.status]).toEqual([target, status]);
    expect(r.body).toContain(message);
  }
});

test('graph, context, blocks, storage and state endpoints', async () => {
  const ssc = uiContext();
  const s = new TestInputStream(ssc, [[1, 2], [3]], 1);
  s.map((x: number) => x * 2).foreachRDD(() => undefined);
  await ssc.start();
  const graph = await getJson(ssc, '/graph');
  expect(graph.nodes.map((n: any) => [n.seq, n.className, n.kind, n.depth])).toEqual([
    [0, 'TestInputStream', 'input', 0],
    [1, 'MappedDStream', 'transform', 1],
    [2, 'ForEachDStream', 'output', 2],
  ]);
  expect(graph.nodes[0]).toMatchObject({ inputStreamId: 0, name: 'Test input stream [0]', receiver: false, slideMs: 1000 });
  expect(graph.nodes[2]).toMatchObject({ outputOpId: 0 });
  expect(graph.edges).toEqual([
    { from: 0, to: 1 },
    { from: 1, to: 2 },
  ]);
  expect(graph.dot).toBe(ssc.graphToDot());
  expect(graph.debugString).toContain('MappedDStream[1] map');

  const context = await getJson(ssc, '/context');
  expect(context).toMatchObject({ appName: 'dstreams-test', master: 'local[2]', state: 'ACTIVE', clock: 'manual', batchDurationMs: 1000, retainedBatches: 1000, uiWebUrl: urlOf(ssc) });

  await ssc.step(1);
  expect(await getJson(ssc, '/blocks')).toEqual({ current: { batchId: 1000, blocks: [], status: 'COMPLETED', inputSize: 2 }, unallocated: [] });
  expect(await getJson(ssc, '/batches/1000/blocks')).toEqual({ batchId: 1000, blocks: [] });
  expect(await getJson(ssc, '/storage')).toEqual({ checkpoints: [], checkpointPendingBatches: [], restartWouldRun: [], pendingBatches: [], wal: [], other: [] });
  expect(await getJson(ssc, '/state')).toEqual({ streams: [] });
});

test('the WebSocket feed: a snapshot, then every listener event in order, then a goodbye on stop', async () => {
  const ssc = twoOutputs();
  await ssc.start();
  const feed = await FeedClient.connect(ssc);
  clients.push(feed);
  expect(feed.messages[0]).toMatchObject({ type: 'snapshot', batches: [], context: { state: 'ACTIVE' }, statistics: { numTotalCompletedBatches: 0 } });
  expect(streamingUIOf(ssc)!.numFeedClients).toBe(1);

  await ssc.step(1);
  await feed.until((m) => m.event === 'onBatchCompleted' && m.batch.batchId === 1000, 'batch 1000 completed');
  expect(feed.events().map((m) => [m.event, m.batch?.batchId, m.batch?.status])).toEqual([
    ['onBatchSubmitted', 1000, 'QUEUED'],
    ['onBatchStarted', 1000, 'PROCESSING'],
    ['onOutputOperationStarted', 1000, 'PROCESSING'],
    ['onOutputOperationCompleted', 1000, 'PROCESSING'],
    ['onOutputOperationStarted', 1000, 'PROCESSING'],
    ['onOutputOperationCompleted', 1000, 'PROCESSING'],
    ['onBatchCompleted', 1000, 'COMPLETED'],
  ]);
  const done = feed.events()[6];
  expect(done.statistics).toMatchObject({ numTotalCompletedBatches: 1, numProcessedRecords: 3 });
  expect(done.batch.inputSize).toBe(3);
  expect(done.receivers[0].eventRates).toEqual([[1000, 3]]);

  await expect(ssc.step(2)).rejects.toThrow('no sixes');
  await feed.until((m) => m.event === 'onBatchCompleted' && m.batch.batchId === 3000, 'batch 3000 completed');
  const last = feed.events().filter((m) => m.event === 'onBatchCompleted').map((m) => [m.batch.batchId, m.batch.numFailedOutputOps]);
  expect(last).toEqual([
    [1000, 0],
    [2000, 0],
    [3000, 1],
  ]);

  // A client connecting now gets the whole history in its snapshot.
  const late = await FeedClient.connect(ssc);
  clients.push(late);
  expect(late.messages[0].batches.map((b: BatchJson) => b.batchId)).toEqual([3000, 2000, 1000]);

  await ssc.stop();
  await feed.until((m) => m.type === 'stopped', 'the goodbye');
  expect(feed.messages[feed.messages.length - 1]).toMatchObject({ type: 'stopped', context: { state: 'STOPPED' } });
  await new Promise<void>((r) => (feed.closed ? r() : feed.ws.once('close', () => r())));
  expect(feed.closeCode).toBe(1001);
});

test('history is bounded by spark.streaming.ui.retainedBatches, in JSON and in the feed snapshot', async () => {
  const ssc = twoOutputs({ 'spark.streaming.ui.retainedBatches': 2 });
  await ssc.start();
  await expect(ssc.step(5)).rejects.toThrow('no sixes');
  expect((await getJson<BatchJson[]>(ssc, '/batches')).map((b) => b.batchId)).toEqual([5000, 4000]);
  expect(await getJson(ssc, '/statistics')).toMatchObject({ numTotalCompletedBatches: 5, numRetainedCompletedBatches: 2 });
  const feed = await FeedClient.connect(ssc);
  clients.push(feed);
  expect(feed.messages[0].batches.map((b: BatchJson) => b.batchId)).toEqual([5000, 4000]);
  expect(feed.messages[0].context.retainedBatches).toBe(2);
});

test('binds 127.0.0.1 by default, from port 4040 on', async () => {
  const ssc = createManualContext({ conf: { 'dstreams.ui.enabled': true } });
  new TestInputStream(ssc, [[1]], 1).foreachRDD(() => undefined);
  await ssc.start();
  const ui = streamingUIOf(ssc)!;
  expect(ui.address).toBe('127.0.0.1');
  // 4040 unless another process (or suite) holds it: then one of the next 16, as Spark.
  expect(ui.port).toBeGreaterThanOrEqual(4040);
  expect(ui.port).toBeLessThanOrEqual(4056);
  expect(ssc.uiWebUrl).toBe(`http://127.0.0.1:${ui.port}`);
  // A foreign Host header (DNS rebinding) is refused on a loopback-bound UI.
  expect((await rawRequest(ui.port, '/api/v1/streaming/statistics', { Host: 'evil.example:80' })).status).toBe(403);
  expect((await rawRequest(ui.port, '/api/v1/streaming/statistics', { Host: `localhost:${ui.port}` })).status).toBe(200);
});

test("a taken port moves on to the next one (Spark's 4040 -> 4041); port 0 takes any free port", async () => {
  const blocker = net.createServer();
  servers.push(blocker);
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const taken = (blocker.address() as net.AddressInfo).port;
  const ssc = createManualContext({ conf: { 'dstreams.ui.enabled': true, 'dstreams.ui.port': taken } });
  new TestInputStream(ssc, [[1]], 1).foreachRDD(() => undefined);
  await ssc.start();
  const port = streamingUIOf(ssc)!.port;
  expect(port).toBeGreaterThan(taken);
  expect(port).toBeLessThanOrEqual(taken + 16);
  await ssc.stop();

  const any = uiContext();
  new TestInputStream(any, [[1]], 1).foreachRDD(() => undefined);
  await any.start();
  expect(streamingUIOf(any)!.port).toBeGreaterThan(0);
});

test('every port taken, or an address that cannot be bound: start fails with UIBindException and the context stops', async () => {
  const ssc = createManualContext({ conf: { 'dstreams.ui.enabled': true, 'dstreams.ui.host': '192.0.2.1', 'dstreams.ui.port': 0 } });
  new TestInputStream(ssc, [[1]], 1).foreachRDD(() => undefined);
  const err = await ssc.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UIBindException);
  expect((err as UIBindException).host).toBe('192.0.2.1');
  expect((err as Error).message).toContain("Failed to bind the streaming UI to 192.0.2.1:0: service 'StreamingUI' failed after 1 attempt(s)");
  expect(ssc.getState()).toBe(StreamingContextState.STOPPED);
  expect(ssc.uiWebUrl).toBeUndefined();

  const blocker = net.createServer();
  servers.push(blocker);
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const taken = (blocker.address() as net.AddressInfo).port;
  const ssc2 = createManualContext({ conf: { 'dstreams.ui.enabled': true, 'dstreams.ui.port': taken, 'spark.port.maxRetries': 0 } });
  new TestInputStream(ssc2, [[1]], 1).foreachRDD(() => undefined);
  await expect(ssc2.start()).rejects.toThrow(`Failed to bind the streaming UI to 127.0.0.1:${taken}: service 'StreamingUI' failed after 1 attempt(s) (starting from port ${taken})`);
  expect(ssc2.getState()).toBe(StreamingContextState.STOPPED);
});

test('ssc.stop() closes the server; the UI is off unless dstreams.ui.enabled', async () => {
  const ssc = twoOutputs();
  await ssc.start();
  const port = streamingUIOf(ssc)!.port;
  await ssc.step(1);
  await ssc.stop();
  expect(ssc.uiWebUrl).toBeUndefined();
  await expect(rawRequest(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

  const off = createManualContext();
  const s = new TestInputStream(off, [[1]], 1);
  s.foreachRDD(() => undefined);
  await off.start();
  expect(off.uiWebUrl).toBeUndefined();
  expect(streamingUIOf(off)).toBeUndefined();
  expect(off.scheduler.listenerBus.listenerCount).toBe(0);
});

test('a batch retried (dstreams.batch.maxRetries) shows its retries and completes once', async () => {
  const ssc = uiContext({ conf: { 'dstreams.batch.maxRetries': 1 } });
  let calls = 0;
  new TestInputStream(ssc, [[1, 2]], 1).foreachRDD(async (rdd) => {
    await rdd.count();
    if (calls++ === 0) throw new Error('first attempt fails');
  });
  await ssc.start();
  const feed = await FeedClient.connect(ssc);
  clients.push(feed);
  await ssc.step(1);
  await feed.until((m) => m.event === 'onBatchCompleted', 'the batch to complete');
  expect(feed.events().map((m) => m.event)).toContain('onBatchRetry');
  expect(await getJson(ssc, '/batches/1000')).toMatchObject({ status: 'COMPLETED', retries: 1, numFailedOutputOps: 0, numCompletedOutputOps: 1 });
  // The retry's backoff (one batch on the context clock) lets later batches run too; batch 1000 counts once.
  const completed = (await getJson<BatchJson[]>(ssc, '/batches?status=COMPLETED')).map((b) => b.batchId);
  expect(completed.filter((t) => t === 1000)).toEqual([1000]);
  expect(await getJson(ssc, '/statistics')).toMatchObject({ numTotalCompletedBatches: completed.length, numProcessedRecords: 2, numReceivedRecords: 2 });
});
