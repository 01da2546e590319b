/**
 * The ReceiverTracker in a running context (Spark's ReceiverTrackerSuite and the receiver parts of
 * StreamingListenerSuite / InputStreamsSuite): registration and events, relaunch of a receiver that stopped or
 * failed to start, rate updates, reliable stores, block removal, graceful stop, the WAL switch.
 */
import { Milliseconds, SparkConf, StreamingContext, type StreamingListenerRateUpdate, type StreamingContext as Ssc } from '../../lib';
import type { ReceiverInfo } from '../../lib/scheduler/ReceiverInfo';
import { PluggableInputDStream, type RateEstimator, ReceiverRateController, SparkEnv, BlockRDD } from '../../receivers';
import { collectOutput, createManualContext, stopAllContexts } from '../streaming/harness';
import { RecordingReceiver } from './fixtures/TestReceivers';
import { receiveRecords, trackerOf, unallocatedRecords, waitFor } from './helpers';

const BLOCK_MS = 10;

function context(conf: Record<string, string | number | boolean> = {}, checkpointDir?: boolean): Ssc {
  return createManualContext({
    conf: { 'spark.streaming.blockInterval': `${BLOCK_MS}ms`, 'spark.streaming.receiverRestartDelay': '30ms', ...conf },
    checkpointDir,
  });
}

interface Events {
  started: ReceiverInfo[];
  stopped: ReceiverInfo[];
  errors: ReceiverInfo[];
  rates: StreamingListenerRateUpdate[];
}

function listen(ssc: Ssc): Events {
  const e: Events = { started: [], stopped: [], errors: [], rates: [] };
  ssc.addStreamingListener({
    onReceiverStarted: (x) => void e.started.push(x.receiverInfo),
    onReceiverStopped: (x) => void e.stopped.push(x.receiverInfo),
    onReceiverError: (x) => void e.errors.push(x.receiverInfo),
    onRateUpdate: (x) => void e.rates.push(x),
  });
  return e;
}

afterEach(() => stopAllContexts());

describe('ReceiverTracker', () => {
  test('registers the receiver, posts started/error/stopped events, and counts its records per batch', async () => {
    const ssc = context();
    const events = listen(ssc);
    const receiver = new RecordingReceiver<number>();
    const stream = ssc.receiverStream(receiver);
    expect(stream).toBeInstanceOf(PluggableInputDStream);
    expect(stream.name).toBe('Pluggable stream [0]');
    const out = collectOutput(stream);
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver to start');
    expect(trackerOf(ssc).numReceivers()).toBe(1);
    expect(trackerOf(ssc).allocatedExecutors()).toEqual(new Map([[0, 'driver']]));
    for (let i = 1; i <= 5; i++) receiver.store(i);
    receiver.reportError('report error', new Error('report exception'));
    await receiveRecords(ssc, 5, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([[1, 2, 3, 4, 5]]);
    expect(ssc.scheduler.inputInfoTracker.getInfo(out.times[0]).get(0)?.numRecords).toBe(5);
    await stopAllContexts();
    expect(events.started.map((i) => [i.streamId, i.name, i.active, i.location, i.executorId])).toEqual([[0, 'RecordingReceiver-0', true, 'localhost', 'driver']]);
    expect(events.errors).toHaveLength(1);
    expect(events.errors[0].lastErrorMessage).toBe('report error');
    expect(events.errors[0].lastError).toMatch(/^Error: report exception/);
    expect(events.stopped).toHaveLength(1);
    expect(events.stopped[0].lastErrorMessage).toBe('Stopped by driver');
    expect(events.stopped[0].active).toBe(false);
    expect(events.stopped[0].lastErrorTime).toBe(-1);
  });

  test('a receiver whose onStart throws is stopped with the error and launched again after the restart delay', async () => {
    const ssc = context();
    const events = listen(ssc);
    const receiver = new RecordingReceiver<string>();
    receiver.onStartBehaviour = ['throw', 'throw', 'ok'];
    const out = collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    await waitFor(() => receiver.startCount === 3 && receiver.isStarted(), 'the third start');
    await waitFor(() => events.stopped.length === 2 && events.started.length === 3, 'two stopped and three started events');
    expect(events.stopped[0].lastErrorMessage).toBe('Error starting receiver 0');
    expect(events.stopped[0].lastError).toMatch(/onStart failure 0/);
    expect(events.stopped[0].lastErrorTime).toBeGreaterThanOrEqual(0);
    expect(events.started).toHaveLength(3);
    receiver.store('after');
    await receiveRecords(ssc, 1, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([['after']]);
  });

  test('a receiver that stops itself is launched again (Spark relaunches it), unless the context is stopping', async () => {
    const ssc = context();
    const events = listen(ssc);
    const receiver = new RecordingReceiver();
    receiver.onStartBehaviour = ['stop'];
    collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    await waitFor(() => receiver.startCount === 2 && receiver.isStarted() && events.stopped.length >= 1, 'the relaunch');
    expect(events.stopped[0]?.lastErrorMessage).toBe('stopping itself (start 0)');
    await stopAllContexts();
    await new Promise((r) => setTimeout(r, 60));
    expect(receiver.startCount).toBe(2);
  });

  test("registration rules: an unknown stream id is Spark's error; a stopping tracker refuses", async () => {
    const ssc = context();
    const receiver = new RecordingReceiver();
    collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    const tracker = trackerOf(ssc);
    expect(() => tracker.registerReceiver(99 as never, 'X', 'localhost', 'driver', undefined)).toThrow('Register received for unexpected id 99');
    await stopAllContexts();
    expect(tracker.trackerState).toBe('Stopped');
    expect(tracker.registerReceiver(0 as never, 'X', 'localhost', 'driver', undefined)).toBe(false);
  });

  test('many concurrent producers in one receiver: every record is counted once (InputStreamsSuite multi-thread receiver)', async () => {
    const ssc = context();
    const receiver = new RecordingReceiver<number>();
    const counts: number[] = [];
    ssc.receiverStream(receiver).count().foreachRDD(async (rdd) => void counts.push(...(await rdd.collect())));
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    const producer = async (p: number): Promise<void> => {
      for (let i = 0; i < 1000; i++) {
        receiver.store(p * 1000 + i);
        if (i % 100 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all(Array.from({ length: 10 }, (_, p) => producer(p)));
    await receiveRecords(ssc, 10_000, BLOCK_MS);
    await ssc.step();
    expect(counts).toEqual([10_000]);
  });

  test('rate updates reach the receiver’s block generators, capped by spark.streaming.receiver.maxRate', async () => {
    const ssc = context({ 'spark.streaming.receiver.maxRate': '250' });
    const receiver = new RecordingReceiver();
    collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    const tracker = trackerOf(ssc);
    const supervisor = tracker.getSupervisor(0 as never)!;
    expect(supervisor.getCurrentRateLimit()).toBe(250);
    for (const rate of [100, 200, 300]) {
      tracker.sendRateUpdate(0 as never, rate);
      expect(supervisor.getCurrentRateLimit()).toBe(Math.min(rate, 250));
    }
  });

  test('a reliable store resolves once the block is stored and recorded by the tracker', async () => {
    const ssc = context();
    const receiver = new RecordingReceiver<number>();
    const out = collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    await receiver.store([1, 2, 3], { offset: 42 });
    const blocks = trackerOf(ssc).receivedBlockTracker.getUnallocatedBlocks(0 as never);
    expect(blocks).toHaveLength(1);
    expect(blocks[0].numRecords).toBe(3);
    expect(blocks[0].metadataOption).toEqual({ offset: 42 });
    expect(SparkEnv.get(ssc.sparkContext).blockManager.contains(blocks[0].blockId)).toBe(true);
    await ssc.step();
    expect(out.batches).toEqual([[1, 2, 3]]);
  });

  test('blocks of a forgotten batch are removed from the block manager', async () => {
    const ssc = context();
    const receiver = new RecordingReceiver<number>();
    const stream = ssc.receiverStream(receiver);
    collectOutput(stream);
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    await receiver.store([1, 2]);
    const id = trackerOf(ssc).receivedBlockTracker.getUnallocatedBlocks(0 as never)[0].blockId;
    await ssc.step();
    const rdd = stream.generatedRDDs.get(1000) as BlockRDD<number>;
    expect(rdd).toBeInstanceOf(BlockRDD);
    const bm = SparkEnv.get(ssc.sparkContext).blockManager;
    expect(bm.contains(id)).toBe(true);
    await ssc.step(2);
    expect(stream.generatedRDDs.has(1000)).toBe(false);
    expect(bm.contains(id)).toBe(false);
    expect(rdd.isValid).toBe(false);
    await expect(rdd.collect()).rejects.toThrow(/Attempted to use BlockRDD\[\d+\] at receiverStream after its blocks have been removed!/);
  });

  test("the receiver WAL without a checkpoint directory is Spark's error at start", async () => {
    const ssc = context({ 'spark.streaming.receiver.writeAheadLog.enable': true });
    collectOutput(ssc.receiverStream(new RecordingReceiver()));
    expect(() => ssc.start()).toThrow(
      'Cannot enable receiver write-ahead log without checkpoint directory set. Please use streamingContext.checkpoint() to set the checkpoint directory. See documentation for more details.',
    );
  });

  test('with the receiver WAL, batches are WAL-backed block RDDs and the data is in the receiver log', async () => {
    const ssc = context({ 'spark.streaming.receiver.writeAheadLog.enable': true }, true);
    const receiver = new RecordingReceiver<string>();
    const stream = ssc.receiverStream(receiver);
    const out = collectOutput(stream);
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    await receiver.store(['x', 'y']);
    const info = trackerOf(ssc).receivedBlockTracker.getUnallocatedBlocks(0 as never)[0];
    expect(info.walRecordHandleOption).toMatchObject({ path: expect.stringContaining('/receivedData/0/log-') });
    await ssc.step();
    expect(out.batches).toEqual([['x', 'y']]);
    expect(stream.generatedRDDs.get(1000)?.constructor.name).toBe('WriteAheadLogBackedBlockRDD');
  });
});

describe('backpressure', () => {
  class ConstantEstimator implements RateEstimator {
    constructor(public rate: number) {}
    compute(): number | undefined {
      return this.rate;
    }
  }

  test('the rate controller publishes after each completed batch; published rates reach the receiver; events carry the inputs', async () => {
    const ssc = context({ 'spark.streaming.backpressure.enabled': true });
    const events = listen(ssc);
    const estimator = new ConstantEstimator(100);
    const receiver = new RecordingReceiver<number>();
    class RateTestStream extends PluggableInputDStream<number> {
      override readonly rateController = new ReceiverRateController(this.id, estimator, ssc);
    }
    const stream = new RateTestStream(ssc, receiver);
    collectOutput(stream);
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    const supervisor = trackerOf(ssc).getSupervisor(0 as never)!;
    for (const rate of [100, 200, 300]) {
      estimator.rate = rate;
      receiver.store(1);
      await receiveRecords(ssc, 1, BLOCK_MS);
      await ssc.step();
      expect(stream.rateController.getLatestRate()).toBe(rate);
      expect(supervisor.getCurrentRateLimit()).toBe(rate);
    }
    expect(events.rates.map((r) => [r.streamId, r.numRecords, r.rate])).toEqual([
      [0, 1, 100],
      [0, 1, 200],
      [0, 1, 300],
    ]);
    expect(events.rates[0].processingDelay).toBeGreaterThanOrEqual(0);
    expect(events.rates[0].schedulingDelay).toBeGreaterThanOrEqual(0);
  });

  test('spark.streaming.backpressure.initialRate limits the receiver from the first batch', async () => {
    const ssc = context({ 'spark.streaming.backpressure.enabled': true, 'spark.streaming.backpressure.initialRate': 500 });
    const receiver = new RecordingReceiver();
    const stream = ssc.receiverStream(receiver);
    expect(stream.rateController).toBeInstanceOf(ReceiverRateController);
    collectOutput(stream);
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    expect(trackerOf(ssc).getSupervisor(0 as never)!.getCurrentRateLimit()).toBe(500);
  });
});

describe('graceful stop', () => {
  test('records buffered in the block generator become a last block and a last batch (system clock)', async () => {
    const conf = new SparkConf(false).setMaster('local[2]').setAppName('graceful').set('spark.streaming.blockInterval', '50ms');
    const ssc = new StreamingContext(conf, Milliseconds(200));
    const receiver = new RecordingReceiver<number>();
    const counts: number[] = [];
    ssc.receiverStream(receiver).count().foreachRDD(async (rdd) => void counts.push(...(await rdd.collect())));
    await ssc.start();
    try {
      await waitFor(() => receiver.isStarted(), 'the receiver');
      for (let i = 0; i < 1000; i++) receiver.store(i);
      expect(unallocatedRecords(ssc)).toBe(0);
      await ssc.stop(true, true);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    } finally {
      await ssc.stop(true, false);
    }
  });
});

describe('write-ahead logs over time (ReceiverSuite "write ahead log - generating and cleaning")', () => {
  test('old receiver WAL segments and metadata log segments are deleted as batches are cleared', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const ssc = context(
      {
        'spark.streaming.receiver.writeAheadLog.enable': true,
        'spark.streaming.receiver.writeAheadLog.rollingIntervalSecs': 1,
        'spark.streaming.driver.writeAheadLog.rollingIntervalSecs': 1,
      },
      true,
    );
    const receiver = new RecordingReceiver<string>();
    const out = collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    await waitFor(() => receiver.isStarted(), 'the receiver');
    const cp = ssc.checkpointDir as string;
    const dataDir = path.join(cp, 'receivedData', '0');
    const segments = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('log-')).sort() : []);
    const seen = new Set<string>();
    for (let b = 1; b <= 8; b++) {
      await receiver.store([`batch-${b}`]);
      for (const s of segments(dataDir)) seen.add(s);
      await ssc.step();
    }
    expect(out.batches).toEqual(Array.from({ length: 8 }, (_, i) => [`batch-${i + 1}`]));
    // A segment spans 1 s of record time: a record at its end time still goes in (Spark's rule), so about one per two batches.
    expect(seen.size).toBeGreaterThanOrEqual(4);
    // Cleaning is asynchronous: the segments of the first batches go away.
    await waitFor(() => segments(dataDir).length <= 2, `old receiver WAL segments to be deleted (have ${segments(dataDir).join(', ')})`);
    const oldest = [...seen].sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))[0];
    expect(segments(dataDir)).not.toContain(oldest);
    const metaDir = path.join(cp, 'receivedBlockMetadata');
    await waitFor(() => segments(metaDir).length <= 3, `old metadata log segments to be deleted (have ${segments(metaDir).join(', ')})`);
  });
});
