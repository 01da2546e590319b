/** Spark's WriteAheadLogBackedBlockRDDSuite on a real receiver log and the context's block manager. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlockSerializer, SparkContext, SparkException, StorageLevel, StreamBlockId, StreamId, type WriteAheadLogRecordHandle } from '../../lib';
import { SparkEnv, WriteAheadLogBackedBlockRDD } from '../../receivers';
import { FileBasedWriteAheadLog } from '../../wal/FileBasedWriteAheadLog';

let sc: SparkContext;
let dir: string;
let nextId = 1;

beforeEach(() => {
  sc = new SparkContext('local[2]', 'wal-rdd-test');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-walrdd-'));
});
afterEach(() => {
  sc.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function randomString(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x20 + Math.floor(Math.random() * 0x5e));
  return s;
}

async function generateWALRecordHandles(blockData: string[][]): Promise<WriteAheadLogRecordHandle[]> {
  const wal = new FileBasedWriteAheadLog(path.join(dir, 'receivedData', '0'));
  const handles: WriteAheadLogRecordHandle[] = [];
  for (const data of blockData) handles.push(await wal.write(BlockSerializer.serialize(data), Date.now()));
  await wal.close();
  return handles;
}

function generateFakeRecordHandles(count: number): WriteAheadLogRecordHandle[] {
  return Array.from({ length: count }, () => ({ path: 'random', offset: 0, length: 0 }));
}

interface Options {
  numPartitions: number;
  numPartitionsInBM: number;
  numPartitionsInWAL: number;
  testIsBlockValid?: boolean;
  testBlockRemove?: boolean;
  testStoreInBM?: boolean;
}

async function testRDD(o: Options): Promise<void> {
  const bm = SparkEnv.get(sc).blockManager;
  const blockIds = Array.from({ length: o.numPartitions }, () => new StreamBlockId(StreamId(0), nextId++));
  const data = Array.from({ length: o.numPartitions }, () => Array.from({ length: 10 }, () => randomString(50)));
  for (let i = 0; i < o.numPartitionsInBM; i++) await bm.putValues(blockIds[i], data[i], StorageLevel.MEMORY_ONLY_SER);
  const handles = [
    ...generateFakeRecordHandles(o.numPartitions - o.numPartitionsInWAL),
    ...(await generateWALRecordHandles(data.slice(o.numPartitions - o.numPartitionsInWAL))),
  ];
  for (let i = 0; i < o.numPartitions; i++) expect(bm.contains(blockIds[i])).toBe(i < o.numPartitionsInBM);

  const rdd = new WriteAheadLogBackedBlockRDD<string>(sc, blockIds, handles, [], false);
  expect(await rdd.collect()).toEqual(data.flat());

  if (o.testIsBlockValid) {
    // Data only in memory, but block fetching skipped: the fake WAL handles fail.
    const rdd2 = new WriteAheadLogBackedBlockRDD<string>(sc, blockIds, handles, blockIds.map(() => false));
    await expect(rdd2.collect()).rejects.toThrow(SparkException);
    await expect(rdd2.collect()).rejects.toThrow(/Could not read data from write ahead log record \{"path":"random","offset":0,"length":0\}/);
  }
  if (o.testBlockRemove) {
    rdd.removeBlocks();
    expect(rdd.isValid).toBe(true);
    for (const id of blockIds) expect(bm.contains(id)).toBe(false);
    expect(await rdd.collect()).toEqual(data.flat());
  }
  if (o.testStoreInBM) {
    const rdd2 = new WriteAheadLogBackedBlockRDD<string>(sc, blockIds, handles, [], true, StorageLevel.MEMORY_ONLY);
    expect(await rdd2.collect()).toEqual(data.flat());
    for (const id of blockIds) expect(bm.contains(id)).toBe(true);
  }
}

describe('WriteAheadLogBackedBlockRDD', () => {
  test('Read data available in both block manager and write ahead log', () => testRDD({ numPartitions: 5, numPartitionsInBM: 5, numPartitionsInWAL: 5 }));
  test('Read data available only in block manager, not in write ahead log', () => testRDD({ numPartitions: 5, numPartitionsInBM: 5, numPartitionsInWAL: 0 }));
  test('Read data available only in write ahead log, not in block manager', () => testRDD({ numPartitions: 5, numPartitionsInBM: 0, numPartitionsInWAL: 5 }));
  test('Read data with partially available in block manager, and rest in write ahead log', () =>
    testRDD({ numPartitions: 5, numPartitionsInBM: 3, numPartitionsInWAL: 2 }));
  test('Test isBlockValid skips block fetching from BlockManager', () =>
    testRDD({ numPartitions: 5, numPartitionsInBM: 5, numPartitionsInWAL: 0, testIsBlockValid: true }));
  test('Test whether RDD is valid after removing blocks from block manager', () =>
    testRDD({ numPartitions: 5, numPartitionsInBM: 5, numPartitionsInWAL: 5, testBlockRemove: true }));
  test('Test storing of blocks recovered from write ahead log', () => testRDD({ numPartitions: 5, numPartitionsInBM: 0, numPartitionsInWAL: 5, testStoreInBM: true }));

  test('lengths must match (Spark requirements)', () => {
    const ids = [new StreamBlockId(StreamId(0), 1)];
    expect(() => new WriteAheadLogBackedBlockRDD(sc, ids, [])).toThrow('requirement failed: Number of block Ids (1) must be  same as number of WAL record handles (0)');
    expect(() => new WriteAheadLogBackedBlockRDD(sc, ids, generateFakeRecordHandles(1), [true, false])).toThrow(
      'requirement failed: Number of elements in isBlockIdValid (2) must be  same as number of block Ids (1)',
    );
  });

  test('a WAL record that is not a serialized block is an error naming the record', async () => {
    const wal = new FileBasedWriteAheadLog(path.join(dir, 'junk'));
    const handle = await wal.write(Buffer.from('not a block'), 0);
    await wal.close();
    const rdd = new WriteAheadLogBackedBlockRDD(sc, [new StreamBlockId(StreamId(0), nextId++)], [handle]);
    await expect(rdd.collect()).rejects.toThrow(/Could not read data from write ahead log record .*Not a serialized dstreams block: bad magic/);
  });
});
