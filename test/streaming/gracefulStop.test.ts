/**
 * The stop sequence (reference §5.6) as a state machine: a graceful stop turns all received data into batches and
 * runs them; every wait is bounded; an immediate stop leaves whole files on disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCheckpoint, STOP_STATES, StorageLevel } from '../../lib';
import { ReceivedBlockTracker, Receiver } from '../../receivers';
import { collectOutput, createManualContext, stopAllContexts, TestInputStream } from './harness';

afterEach(stopAllContexts);

/** A receiver the test feeds by hand with single records (buffered by the block generator, Spark's unreliable path). */
class HandFedReceiver extends Receiver<string> {
  constructor() {
    super(StorageLevel.MEMORY_ONLY);
  }
  onStart(): void {}
  onStop(): void {}
}

describe('stop sequence', () => {
  test('graceful: records still buffered in the block generator become a last batch; every state in order', async () => {
    const ssc = createManualContext({ checkpointDir: true, conf: { 'spark.streaming.blockInterval': '200ms' } });
    const receiver = new HandFedReceiver();
    const out = collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    await ssc.step(1);
    for (const w of ['a', 'b', 'c', 'd', 'e']) receiver.store(w);
    // Nothing moved the clock: the records are in the block generator's buffer, not in any block yet.
    expect(out.batches.flat()).toEqual([]);
    await ssc.stop(false, true);
    expect(out.batches.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const seq = ssc.scheduler.stopSequence!;
    expect(seq.history.map((h) => h.state)).toEqual(STOP_STATES.slice(1));
    expect(seq.timedOut).toEqual([]);
  });

  test('graceful: each wait is bounded by spark.streaming.gracefulStopTimeout, and the stop ends', async () => {
    const ssc = createManualContext({ conf: { 'spark.streaming.gracefulStopTimeout': '300ms' } });
    let release: () => void = () => undefined;
    new TestInputStream<number>(ssc, [[1], [2]]).foreachRDD(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await ssc.start();
    const clock = ssc.clock as import('../../lib').ManualClock;
    clock.advance(1000); // batch 1000's job starts and never ends by itself
    const started = Date.now();
    await ssc.stop(false, true);
    expect(Date.now() - started).toBeLessThan(5000);
    const seq = ssc.scheduler.stopSequence!;
    expect(seq.state).toBe('STOPPED');
    expect(seq.timedOut).toContain('PROCESSING_BATCHES');
    release();
  });

  test('immediate: queued batches are dropped, the checkpoint and the metadata log are whole afterwards', async () => {
    const ssc = createManualContext({ checkpointDir: true });
    const cp = ssc.checkpointDir!;
    const receiver = new HandFedReceiver();
    const out = collectOutput(ssc.receiverStream(receiver));
    await ssc.start();
    for (const w of ['x', 'y']) await receiver.store([w]);
    await ssc.step(2);
    expect(out.batches.flat()).toEqual(['x', 'y']);
    await receiver.store(['z']);
    await ssc.stop(false, false);
    const seq = ssc.scheduler.stopSequence!;
    expect(seq.history.map((h) => h.state)).toEqual(['STOPPING_RECEIVERS', 'STOPPING_INPUTS', 'CLOSING_LOGS', 'STOPPED']);
    // Everything on disk reads back: the newest checkpoint validates and the metadata log replays.
    expect(readCheckpoint(cp)?.checkpoint.checkpointTimeMs).toBe(2000);
    const tracker = new ReceivedBlockTracker(ssc.conf, [0 as never], ssc.clock, true, cp);
    expect(tracker.getUnallocatedBlocks(0 as never).map((b) => b.numRecords)).toEqual([1]);
    await tracker.stop();
    expect(fs.readdirSync(path.join(cp, 'receivedBlockMetadata')).length).toBeGreaterThan(0);
  });
});
