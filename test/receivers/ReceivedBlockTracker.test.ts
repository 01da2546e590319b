/** Spark's ReceivedBlockTrackerSuite (single stream id 1, 5 blocks per batch), on real WAL files and a ManualClock. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchedWriteAheadLog, ManualClock, SparkConf, StreamBlockId, StreamId, Time, type WriteAheadLog } from '../../lib';
import {
  AllocatedBlocks,
  BatchAllocationEvent,
  BatchCleanupEvent,
  BlockAdditionEvent,
  deserializeLogEvent,
  ReceivedBlockInfo,
  ReceivedBlockTracker,
  type ReceivedBlockTrackerLogEvent,
  serializeLogEvent,
} from '../../receivers';
import { FileBasedWriteAheadLog } from '../../wal/FileBasedWriteAheadLog';
import { readSegmentRecords } from '../../wal/SegmentScanner';

const streamId = StreamId(1);
let nextUnique = 1;

function generateBlockInfos(n = 5): ReceivedBlockInfo[] {
  return Array.from({ length: n }, () => {
    const blockId = new StreamBlockId(streamId, nextUnique++);
    return new ReceivedBlockInfo(streamId, 0, undefined, { blockId, numRecords: 0 });
  });
}

/** Comparable form of block infos (Spark compares the case classes). */
function json(infos: readonly ReceivedBlockInfo[]): unknown[] {
  return infos.map((i) => i.toJSON());
}

/** Comparable form of events. */
function eventJson(events: readonly ReceivedBlockTrackerLogEvent[]): unknown[] {
  return events.map((e) => JSON.parse(serializeLogEvent(e).toString('utf8')));
}

function allocation(time: number, infos: ReceivedBlockInfo[]): ReceivedBlockTrackerLogEvent {
  return BatchAllocationEvent(new Time(time), new AllocatedBlocks(new Map([[streamId, infos]])));
}

describe('ReceivedBlockTracker', () => {
  let checkpointDir: string;
  let conf: SparkConf;
  const open: ReceivedBlockTracker[] = [];

  beforeEach(() => {
    checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-rbt-'));
    conf = new SparkConf(false);
  });
  afterEach(async () => {
    for (const t of open.splice(0)) await t.stop();
    fs.rmSync(checkpointDir, { recursive: true, force: true });
  });

  function createTracker(opts: { clock?: ManualClock; recover?: boolean; checkpoint?: boolean; wal?: WriteAheadLog } = {}): ReceivedBlockTracker {
    const t = new ReceivedBlockTracker(
      conf,
      [streamId],
      opts.clock ?? new ManualClock(),
      opts.recover ?? false,
      opts.checkpoint === false ? undefined : checkpointDir,
      { writeAheadLog: opts.wal },
    );
    open.push(t);
    return t;
  }

  const logDir = (): string => ReceivedBlockTracker.checkpointDirToLogDir(checkpointDir);

  function getWriteAheadLogFiles(): string[] {
    if (!fs.existsSync(logDir())) return [];
    return fs
      .readdirSync(logDir())
      .filter((f) => /^log-\d+-\d+$/.test(f))
      .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))
      .map((f) => path.join(logDir(), f));
  }

  function getWrittenLogData(files: string[] = getWriteAheadLogFiles()): ReceivedBlockTrackerLogEvent[] {
    const out: ReceivedBlockTrackerLogEvent[] = [];
    for (const f of files) {
      for (const r of readSegmentRecords(f, { onCorrupt: 'throw' })) for (const e of BatchedWriteAheadLog.deaggregate(r)) out.push(deserializeLogEvent(e));
    }
    return out;
  }

  test('block addition, and block to batch allocation (no checkpoint directory: no log)', async () => {
    const tracker = createTracker({ checkpoint: false });
    expect(tracker.isWriteAheadLogEnabled).toBe(false);
    expect(tracker.getUnallocatedBlocks(streamId)).toEqual([]);

    const blockInfos = generateBlockInfos();
    for (const b of blockInfos) expect(await tracker.addBlock(b)).toBe(true);
    expect(tracker.getUnallocatedBlocks(streamId)).toEqual(blockInfos);
    expect(tracker.hasUnallocatedReceivedBlocks()).toBe(true);

    await tracker.allocateBlocksToBatch(new Time(1));
    expect(tracker.getBlocksOfBatchAndStream(new Time(1), streamId)).toEqual(blockInfos);
    expect(tracker.getBlocksOfBatch(new Time(1))).toEqual(new Map([[streamId, blockInfos]]));
    expect(tracker.getUnallocatedBlocks(streamId)).toEqual([]);
    expect(tracker.hasUnallocatedReceivedBlocks()).toBe(false);

    await tracker.allocateBlocksToBatch(new Time(2));
    expect(tracker.getBlocksOfBatchAndStream(new Time(2), streamId)).toEqual([]);
    expect(tracker.getBlocksOfBatch(new Time(2))).toEqual(new Map([[streamId, []]]));

    // Allocating an earlier (or the same) time again changes nothing.
    await tracker.allocateBlocksToBatch(new Time(1));
    expect(tracker.getBlocksOfBatchAndStream(new Time(1), streamId)).toEqual(blockInfos);

    for (const b of blockInfos) await tracker.addBlock(b);
    await tracker.allocateBlocksToBatch(new Time(2));
    expect(tracker.getBlocksOfBatchAndStream(new Time(2), streamId)).toEqual([]);
    expect(tracker.getUnallocatedBlocks(streamId)).toEqual(blockInfos);
    expect(tracker.getBlocksOfBatch(new Time(99))).toEqual(new Map());
    expect(fs.existsSync(logDir())).toBe(false);
  });

  test('block addition, and block to batch allocation with many blocks', async () => {
    // What is tested is that many additions share batched log records, not the batching timeout: on a loaded
    // machine 20000 waiting writes can take longer than the 5 s default.
    conf.set('spark.streaming.driver.writeAheadLog.batchingTimeout', '120000');
    const tracker = createTracker();
    expect(tracker.isWriteAheadLogEnabled).toBe(true);
    // Spark uses 100000; 20000 keeps the suite fast and still puts many additions in one batched log record.
    const addBlocks = generateBlockInfos(20_000);
    const results = await Promise.all(addBlocks.map((b) => tracker.addBlock(b)));
    expect(results.every((r) => r)).toBe(true);
    await tracker.allocateBlocksToBatch(new Time(1));
    await tracker.stop();
    const expected = [...addBlocks.map(BlockAdditionEvent), allocation(1, addBlocks)];
    const written = getWrittenLogData();
    expect(written.length).toBe(expected.length);
    // Compared as serialized text (a deep comparison of 20000 objects is slow).
    const text = (es: ReceivedBlockTrackerLogEvent[]): string => es.map((e) => serializeLogEvent(e).toString('utf8')).join('\n');
    expect(text(written) === text(expected)).toBe(true);
    expect(getWriteAheadLogFiles()).toHaveLength(1);
  });

  test('recovery with write ahead logs should remove only allocated blocks from received queue', async () => {
    const clock = new ManualClock();
    const tracker1 = createTracker({ clock });
    const allBlocks = generateBlockInfos(10);
    for (const b of allBlocks) await tracker1.addBlock(b);
    // Allocate the first 5 only: log the allocation as a tracker that saw only 5 blocks would.
    const tracker0 = createTracker({ clock, checkpoint: false });
    for (const b of allBlocks.slice(0, 5)) await tracker0.addBlock(b);
    await tracker0.allocateBlocksToBatch(new Time(1));
    await tracker1.stop();
    const wal = new BatchedWriteAheadLog(new FileBasedWriteAheadLog(logDir()));
    await wal.write(serializeLogEvent(allocation(1, allBlocks.slice(0, 5))), clock.getTimeMillis());
    await wal.close();

    const recovered = createTracker({ clock, recover: true });
    expect(json(recovered.getBlocksOfBatchAndStream(new Time(1), streamId))).toEqual(json(allBlocks.slice(0, 5)));
    expect(json(recovered.getUnallocatedBlocks(streamId))).toEqual(json(allBlocks.slice(5)));
  });

  test('block allocation to batch should not lose blocks from received queue', async () => {
    const clock = new ManualClock();
    const real = new BatchedWriteAheadLog(new FileBasedWriteAheadLog(logDir()));
    let failAllocations = true;
    // A log whose allocation writes fail (the rest go to the real log).
    const wal: WriteAheadLog = {
      write: (r, t) => (failAllocations && r.includes('"BatchAllocation"') ? Promise.reject(new Error('disk full')) : real.write(r, t)),
      read: (h) => real.read(h),
      readAll: () => real.readAll(),
      clean: (t, w) => real.clean(t, w),
      close: () => real.close(),
    };
    const tracker = createTracker({ clock, wal });
    const blockInfos = generateBlockInfos();
    for (const b of blockInfos) await tracker.addBlock(b);
    await tracker.allocateBlocksToBatch(new Time(1));
    expect(tracker.getBlocksOfBatchAndStream(new Time(1), streamId)).toEqual([]);
    expect(tracker.getUnallocatedBlocks(streamId)).toEqual(blockInfos);
    expect(tracker.hasUnallocatedReceivedBlocks()).toBe(true);

    failAllocations = false;
    await tracker.allocateBlocksToBatch(new Time(2));
    expect(tracker.getBlocksOfBatchAndStream(new Time(2), streamId)).toEqual(blockInfos);
    expect(tracker.getUnallocatedBlocks(streamId)).toEqual([]);
    await tracker.stop();

    const recovered = createTracker({ clock, recover: true });
    expect(json(recovered.getBlocksOfBatchAndStream(new Time(2), streamId))).toEqual(json(blockInfos));
    expect(recovered.getUnallocatedBlocks(streamId)).toEqual([]);
  });

  test('recovery and cleanup with write ahead logs', async () => {
    conf.set('spark.streaming.driver.writeAheadLog.rollingIntervalSecs', '1');
    const clock = new ManualClock();
    // Twice the rolling interval: every step starts a new log file.
    const incrementTime = (): void => clock.advance(2000);
    const addBlockInfos = async (tracker: ReceivedBlockTracker): Promise<ReceivedBlockInfo[]> => {
      const infos = generateBlockInfos();
      await Promise.all(infos.map((b) => tracker.addBlock(b)));
      return infos;
    };

    const tracker1 = createTracker({ clock });
    expect(tracker1.isWriteAheadLogEnabled).toBe(true);
    const blockInfos1 = await addBlockInfos(tracker1);
    expect(tracker1.getUnallocatedBlocks(streamId)).toEqual(blockInfos1);
    const expectedWrittenData1 = blockInfos1.map(BlockAdditionEvent);
    expect(eventJson(getWrittenLogData())).toEqual(eventJson(expectedWrittenData1));
    expect(getWriteAheadLogFiles()).toHaveLength(1);
    await tracker1.stop();

    incrementTime();
    const tracker1b = createTracker({ clock, recover: false });
    expect(tracker1b.getUnallocatedBlocks(streamId)).toEqual([]);
    expect(tracker1b.hasUnallocatedReceivedBlocks()).toBe(false);
    await tracker1b.stop();

    const tracker2 = createTracker({ clock, recover: true });
    const unallocated = tracker2.getUnallocatedBlocks(streamId);
    expect(json(unallocated)).toEqual(json(blockInfos1));
    for (const b of unallocated) expect(b.isBlockIdValid()).toBe(false);

    const batchTime1 = new Time(clock.getTimeMillis());
    await tracker2.allocateBlocksToBatch(batchTime1);
    expect(tracker2.getBlocksOfBatchAndStream(batchTime1, streamId)).toEqual(unallocated);
    expect(tracker2.getBlocksOfBatch(batchTime1)).toEqual(new Map([[streamId, unallocated]]));

    incrementTime();
    const batchTime2 = new Time(clock.getTimeMillis());
    const blockInfos2 = await addBlockInfos(tracker2);
    await tracker2.allocateBlocksToBatch(batchTime2);
    expect(tracker2.getBlocksOfBatchAndStream(batchTime2, streamId)).toEqual(blockInfos2);
    const expectedWrittenData2 = [
      ...expectedWrittenData1,
      allocation(batchTime1.milliseconds, blockInfos1),
      ...blockInfos2.map(BlockAdditionEvent),
      allocation(batchTime2.milliseconds, blockInfos2),
    ];
    expect(eventJson(getWrittenLogData())).toEqual(eventJson(expectedWrittenData2));
    await tracker2.stop();

    incrementTime();
    const tracker3 = createTracker({ clock, recover: true });
    expect(json(tracker3.getBlocksOfBatchAndStream(batchTime1, streamId))).toEqual(json(blockInfos1));
    expect(json(tracker3.getBlocksOfBatchAndStream(batchTime2, streamId))).toEqual(json(blockInfos2));
    expect(tracker3.getUnallocatedBlocks(streamId)).toEqual([]);

    const oldestLogFile = getWriteAheadLogFiles()[0];
    incrementTime();
    await tracker3.cleanupOldBatches(batchTime2, true);
    expect(tracker3.getBlocksOfBatchAndStream(batchTime1, streamId)).toEqual([]);
    const files = getWriteAheadLogFiles();
    expect(eventJson(getWrittenLogData([files[files.length - 1]]))).toContainEqual(eventJson([BatchCleanupEvent([batchTime1])])[0]);
    expect(files).not.toContain(oldestLogFile);
    await tracker3.stop();

    incrementTime();
    const tracker4 = createTracker({ clock, recover: true });
    expect(tracker4.getUnallocatedBlocks(streamId)).toEqual([]);
    expect(tracker4.getBlocksOfBatchAndStream(batchTime1, streamId)).toEqual([]);
    expect(json(tracker4.getBlocksOfBatchAndStream(batchTime2, streamId))).toEqual(json(blockInfos2));
  });

  test('what a recovery needs that the replayed log lacks: cleaned batches, batches before the log, a lost tail', async () => {
    conf.set('spark.streaming.driver.writeAheadLog.rollingIntervalSecs', '1');
    const clock = new ManualClock();
    const tracker = createTracker({ clock });
    // Batches 1000..6000, one log segment each (2 s of manual time apart); then 1000 and 2000 cleaned (a segment of
    // its own).
    for (let t = 1000; t <= 6000; t += 1000) {
      clock.setTime(t * 2);
      for (const b of generateBlockInfos(1)) await tracker.addBlock(b);
      await tracker.allocateBlocksToBatch(new Time(t));
    }
    clock.setTime(14_000);
    await tracker.cleanupOldBatches(new Time(3000), true);
    await tracker.stop();
    const replay = (): ReceivedBlockTracker => createTracker({ clock, recover: true });

    const t1 = replay();
    expect(t1.lostBatches([5000, 6000], 3000)).toBeUndefined();
    // Batches after the log's end are allocated by the recovery: fine.
    expect(t1.lostBatches([6000], 3000)).toBeUndefined();
    expect(t1.lostBatches([7000])).toEqual({ batchTimesMs: [7000], reason: 'tail-lost', neededFor: 'rerun' });
    expect(t1.lostBatches([2000, 6000])).toEqual({ batchTimesMs: [2000], reason: 'cleaned', neededFor: 'rerun' });
    // A state that is recomputed from batch 2000 on would count 2000 as empty.
    expect(t1.lostBatches([5000, 6000], 2000)).toEqual({ batchTimesMs: [2000], reason: 'cleaned', neededFor: 'state' });
    expect(t1.lostBatches([5000, 6000], 1000)).toEqual({ batchTimesMs: [1000, 2000], reason: 'cleaned', neededFor: 'state' });
    expect(() => t1.verifyRecoveredAllocations([new Time(5000)], '/cp/checkpoint-5000.bk', 2000)).toThrow(
      /no block allocation for batch 2000 ms, which the recovery from checkpoint \/cp\/checkpoint-5000.bk computes the state or window of a re-run batch from: the log cleaned it after later batches .*count that batch as empty/,
    );
    await t1.stop();

    // The segments holding batches up to 3000 and the cleanup event deleted by hand: the log now starts at 4000.
    const files = getWriteAheadLogFiles();
    for (const f of files.slice(0, 3)) fs.rmSync(f);
    fs.rmSync(files[files.length - 1]);
    const t2 = replay();
    expect(t2.allocatedBatchTimes()).toEqual([4000, 5000, 6000]);
    expect(t2.lostBatches([5000, 6000], 4000)).toBeUndefined();
    expect(t2.lostBatches([5000, 6000], 3000)).toEqual({ batchTimesMs: [3000], reason: 'before-log', neededFor: 'state' });
  });

  test('cleanup requires a threshold in the past', async () => {
    const clock = new ManualClock(1000);
    const tracker = createTracker({ clock, checkpoint: false });
    await expect(tracker.cleanupOldBatches(new Time(1000), false)).rejects.toThrow(/requirement failed/);
  });

  test('after stop, writes (the last batches of a graceful stop) still reach the log', async () => {
    const clock = new ManualClock(5000);
    const tracker = createTracker({ clock });
    const infos = generateBlockInfos(2);
    for (const b of infos) await tracker.addBlock(b);
    await tracker.stop();
    await tracker.allocateBlocksToBatch(new Time(5000));
    expect(tracker.getBlocksOfBatchAndStream(new Time(5000), streamId)).toEqual(infos);
    const recovered = createTracker({ clock, recover: true });
    expect(json(recovered.getBlocksOfBatchAndStream(new Time(5000), streamId))).toEqual(json(infos));
  });

  test('a record that is not an event is an error naming its start', () => {
    expect(() => deserializeLogEvent(Buffer.from('garbage!'))).toThrow(/Not a received-block metadata event .*garbage!/);
    expect(() => deserializeLogEvent(Buffer.from('{"e":"Other"}'))).toThrow('Unknown received-block metadata event: {"e":"Other"}');
  });
});
