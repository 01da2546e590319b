/** Spark's ReceiverInputDStreamSuite (createBlockRDD with and without the receiver WAL), and block removal. */
import { StorageLevel, StreamBlockId, type StreamingContext, Time } from '../../lib';
import { BlockRDD, ReceivedBlockInfo, type Receiver, ReceiverInputDStream, SparkEnv, WriteAheadLogBackedBlockRDD } from '../../receivers';
import { createManualContext, stopAllContexts } from '../streaming/harness';

class TestReceiverInputDStream extends ReceiverInputDStream<string> {
  constructor(ssc: StreamingContext) {
    super(ssc, 'testReceiverStream');
  }
  getReceiver(): Receiver<string> {
    throw new Error('not used');
  }
}

let nextId = 1000;

async function createBlockInfo(ssc: StreamingContext, withWALInfo: boolean, createBlock = true): Promise<ReceivedBlockInfo> {
  const blockId = new StreamBlockId(0 as never, nextId++);
  if (createBlock) await SparkEnv.get(ssc.sparkContext).blockManager.putValues(blockId, ['a', 'b'], StorageLevel.MEMORY_ONLY);
  const store = withWALInfo ? { blockId, numRecords: 2, walRecordHandle: { path: 'p', offset: nextId, length: 1 } } : { blockId, numRecords: 2 };
  return new ReceivedBlockInfo(blockId.streamId, 2, undefined, store);
}

function stream(wal: boolean): TestReceiverInputDStream {
  const ssc = createManualContext({ conf: { 'spark.streaming.receiver.writeAheadLog.enable': wal } });
  return new TestReceiverInputDStream(ssc);
}

afterEach(() => stopAllContexts());

describe('ReceiverInputDStream.createBlockRDD without the receiver WAL', () => {
  test('creates empty BlockRDD when no block info', async () => {
    const rdd = stream(false).createBlockRDD(new Time(0), []);
    expect(rdd).toBeInstanceOf(BlockRDD);
    expect(rdd).not.toBeInstanceOf(WriteAheadLogBackedBlockRDD);
    expect(await rdd.isEmpty()).toBe(true);
  });

  test('creates correct BlockRDD with block info', async () => {
    const s = stream(false);
    const infos = await Promise.all(Array.from({ length: 5 }, () => createBlockInfo(s.ssc, false)));
    const rdd = s.createBlockRDD(new Time(0), infos);
    expect(rdd).toBeInstanceOf(BlockRDD);
    expect(rdd).not.toBeInstanceOf(WriteAheadLogBackedBlockRDD);
    expect((rdd as BlockRDD<string>).blockIds).toEqual(infos.map((i) => i.blockId));
    expect(await rdd.collect()).toEqual(Array(5).fill(['a', 'b']).flat());
    expect(rdd.getNumPartitions()).toBe(5);
  });

  test('filters non-existent blocks before creating BlockRDD', async () => {
    const s = stream(false);
    const present = await Promise.all(Array.from({ length: 2 }, () => createBlockInfo(s.ssc, false, true)));
    const absent = await Promise.all(Array.from({ length: 3 }, () => createBlockInfo(s.ssc, false, false)));
    const rdd = s.createBlockRDD(new Time(0), [...present, ...absent]) as BlockRDD<string>;
    expect(rdd).toBeInstanceOf(BlockRDD);
    expect(rdd.blockIds).toEqual(present.map((i) => i.blockId));
  });
});

describe('ReceiverInputDStream.createBlockRDD with the receiver WAL', () => {
  test('creates empty WALBackedBlockRDD when no block info', async () => {
    const rdd = stream(true).createBlockRDD(new Time(0), []);
    expect(rdd).toBeInstanceOf(WriteAheadLogBackedBlockRDD);
    expect(await rdd.isEmpty()).toBe(true);
  });

  test('creates correct WALBackedBlockRDD with all block info having WAL info', async () => {
    const s = stream(true);
    const infos = await Promise.all(Array.from({ length: 5 }, () => createBlockInfo(s.ssc, true)));
    infos[1].setBlockIdInvalid();
    const rdd = s.createBlockRDD(new Time(0), infos) as WriteAheadLogBackedBlockRDD<string>;
    expect(rdd).toBeInstanceOf(WriteAheadLogBackedBlockRDD);
    expect(rdd.blockIds).toEqual(infos.map((i) => i.blockId));
    expect(rdd.walRecordHandles).toEqual(infos.map((i) => i.walRecordHandleOption));
    expect(rdd.isBlockIdValid).toEqual([true, false, true, true, true]);
  });

  test("creates BlockRDD when some block info don't have WAL info", async () => {
    const s = stream(true);
    const infos = [
      ...(await Promise.all(Array.from({ length: 2 }, () => createBlockInfo(s.ssc, true)))),
      ...(await Promise.all(Array.from({ length: 3 }, () => createBlockInfo(s.ssc, false)))),
    ];
    const rdd = s.createBlockRDD(new Time(0), infos) as BlockRDD<string>;
    expect(rdd).toBeInstanceOf(BlockRDD);
    expect(rdd).not.toBeInstanceOf(WriteAheadLogBackedBlockRDD);
    expect(rdd.blockIds).toEqual(infos.map((i) => i.blockId));
  });
});
