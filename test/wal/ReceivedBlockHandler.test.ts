import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManualClock } from '../../lib/core/clock/ManualClock';
import { SparkException } from '../../lib/core/errors';
import { setLogLevel } from '../../lib/core/logging';
import { SparkConf } from '../../lib/core/SparkConf';
import { StreamBlockId } from '../../lib/storage/BlockId';
import { BlockManager } from '../../lib/storage/BlockManager';
import { BlockSerializer } from '../../lib/storage/BlockSerializer';
import { ArrayBufferBlock, ByteBufferBlock, IteratorBlock, type ReceivedBlock } from '../../lib/storage/ReceivedBlock';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import { StreamId } from '../../lib/storage/StreamId';
import { BlockManagerBasedBlockHandler } from '../../wal/BlockManagerBasedBlockHandler';
import { FileBasedWriteAheadLog } from '../../wal/FileBasedWriteAheadLog';
import type { ReceivedBlockHandler, WriteAheadLogBasedStoreResult } from '../../wal/ReceivedBlockHandler';
import type { WriteAheadLog } from '../../wal/WriteAheadLog';
import { BlockStoreTimeoutError, WriteAheadLogBasedBlockHandler } from '../../wal/WriteAheadLogBasedBlockHandler';
import { removeDir, segmentFiles, tempDir } from './walTestKit';

// ReceivedBlockHandlerSuite's setup: stream 1, receiver WAL rolling every second.
const streamId = StreamId(1);
const conf = new SparkConf(false).set('spark.streaming.receiver.writeAheadLog.rollingIntervalSecs', '1');
let checkpointDir: string;
let blockManager: BlockManager;
let clock: ManualClock;
let nextId = 0;
const newBlockId = (): StreamBlockId => new StreamBlockId(streamId, nextId++);

beforeAll(() => setLogLevel('error'));
beforeEach(() => {
  checkpointDir = tempDir('rbh-');
  blockManager = new BlockManager({ maxMemoryBytes: 64 * 1024 * 1024 });
  clock = new ManualClock(0);
});
afterEach(() => removeDir(checkpointDir));

function walHandler(level = StorageLevel.MEMORY_ONLY_SER, extra: { writeAheadLog?: WriteAheadLog; conf?: SparkConf } = {}): WriteAheadLogBasedBlockHandler {
  return new WriteAheadLogBasedBlockHandler({ blockManager, streamId, storageLevel: level, conf: extra.conf ?? conf, checkpointDir, clock, writeAheadLog: extra.writeAheadLog });
}

const data = (n: number, tag = 'x'): string[] => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

describe('ReceivedBlockHandler (ReceivedBlockHandlerSuite)', () => {
  test('BlockManagerBasedBlockHandler stores blocks in the block manager', async () => {
    const handler = new BlockManagerBasedBlockHandler(blockManager, StorageLevel.MEMORY_ONLY);
    const blocks: Array<[ReceivedBlock, string[]]> = [
      [ArrayBufferBlock(data(10, 'a')), data(10, 'a')],
      [IteratorBlock(data(10, 'i')), data(10, 'i')],
      [ByteBufferBlock(BlockSerializer.serialize(data(10, 'b'))), data(10, 'b')],
    ];
    for (const [block, expected] of blocks) {
      const id = newBlockId();
      const result = await handler.storeBlock(id, block);
      expect(result.blockId).toBe(id);
      expect(await blockManager.getValues(id)).toEqual(expected);
    }
  });

  test('WriteAheadLogBasedBlockHandler stores blocks in the block manager and in the WAL under receivedData/<streamId>', async () => {
    const handler = walHandler();
    const results: Array<[WriteAheadLogBasedStoreResult, string[]]> = [];
    for (const [i, block] of [ArrayBufferBlock(data(5, 'a')), IteratorBlock(data(6, 'i')), ByteBufferBlock(BlockSerializer.serialize(data(7, 'b')))].entries()) {
      clock.advance(100);
      const id = newBlockId();
      const r = await handler.storeBlock(id, block);
      results.push([r, data(5 + i, ['a', 'i', 'b'][i])]);
      expect(await blockManager.getValues(id)).toEqual(data(5 + i, ['a', 'i', 'b'][i]));
    }
    const logDir = path.join(checkpointDir, 'receivedData', '1');
    expect(WriteAheadLogBasedBlockHandler.checkpointDirToLogDir(checkpointDir, streamId)).toBe(logDir);
    expect(segmentFiles(logDir)).toHaveLength(1);
    for (const [r, expected] of results) {
      expect((r.walRecordHandle as { path: string }).path.startsWith(logDir)).toBe(true);
      // The handle is JSON and reads back without the handler's log.
      const bytes = await FileBasedWriteAheadLog.readRecord(JSON.parse(JSON.stringify(r.walRecordHandle)));
      expect(BlockSerializer.deserialize(bytes)).toEqual(expected);
    }
    await handler.stop();
  });

  test('the WAL handler stores serialized, with one replica', async () => {
    expect(walHandler(StorageLevel.MEMORY_AND_DISK_2).effectiveStorageLevel).toBe(StorageLevel.MEMORY_AND_DISK_SER);
    expect(walHandler(StorageLevel.MEMORY_ONLY).effectiveStorageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
    expect(walHandler(StorageLevel.DISK_ONLY).effectiveStorageLevel).toBe(StorageLevel.DISK_ONLY);
  });

  test('error cases: a bad block type and a block manager put failure', async () => {
    for (const handler of [new BlockManagerBasedBlockHandler(blockManager, StorageLevel.MEMORY_ONLY), walHandler()]) {
      await expect(handler.storeBlock(newBlockId(), { kind: 'list', values: [] } as never)).rejects.toThrow(
        /Could not store input-1-\d+ to block manager, unexpected block type list/,
      );
    }
    blockManager = new BlockManager({ maxMemoryBytes: 100 });
    const id = newBlockId();
    for (const handler of [new BlockManagerBasedBlockHandler(blockManager, StorageLevel.MEMORY_ONLY), walHandler(StorageLevel.MEMORY_ONLY)]) {
      const err = await handler.storeBlock(id, ArrayBufferBlock(data(100))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SparkException);
      expect((err as Error).message).toMatch(new RegExp(`Could not store ${id.name} to block manager with storage level MEMORY_ONLY(_SER)?$`));
    }
  });

  test('clean old blocks: cleanupOldBlocks removes old WAL segments', async () => {
    const handler = walHandler();
    for (let i = 0; i < 10; i++) {
      clock.advance(500);
      await handler.storeBlock(newBlockId(), ArrayBufferBlock(data(3)));
    }
    expect(clock.getTimeMillis()).toBe(5000);
    const logDir = WriteAheadLogBasedBlockHandler.checkpointDirToLogDir(checkpointDir, streamId);
    const before = segmentFiles(logDir).length;
    await handler.cleanupOldBlocks(3000);
    await handler.stop(); // stop waits for the deletions
    expect(segmentFiles(logDir).length).toBeLessThan(before);
  });

  test('a store that does not finish within spark.streaming.receiver.blockStoreTimeout fails clearly', async () => {
    const stuck: WriteAheadLog = {
      write: () => new Promise(() => {}),
      read: () => Promise.reject(new Error('unused')),
      readAll: () => [],
      clean: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const handler = walHandler(StorageLevel.MEMORY_ONLY_SER, { writeAheadLog: stuck, conf: new SparkConf(false).set('spark.streaming.receiver.blockStoreTimeout', '1') });
    const id = newBlockId();
    const err = await handler.storeBlock(id, ArrayBufferBlock(data(2))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockStoreTimeoutError);
    expect((err as Error).message).toBe(
      `Storing block ${id.name} (write-ahead log write + block manager put) did not finish within 1 s (spark.streaming.receiver.blockStoreTimeout)`,
    );
  });

  describe.each([StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_ONLY_SER, StorageLevel.DISK_ONLY, StorageLevel.MEMORY_AND_DISK])('record counts with %s', (level) => {
    const handlers = (): Array<[string, ReceivedBlockHandler]> => [
      ['BlockManagerBasedBlockHandler', new BlockManagerBasedBlockHandler(blockManager, level)],
      ['WriteAheadLogBasedBlockHandler', walHandler(level)],
    ];
    test('ByteBuffer blocks have no count; ArrayBuffer and Iterator blocks count their records', async () => {
      for (const [name, handler] of handlers()) {
        const counts: Array<number | undefined> = [];
        counts.push((await handler.storeBlock(newBlockId(), ByteBufferBlock(BlockSerializer.serialize(data(10))))).numRecords);
        for (const n of [25, 50, 75]) counts.push((await handler.storeBlock(newBlockId(), ArrayBufferBlock(data(n)))).numRecords);
        for (const n of [100, 125, 150]) counts.push((await handler.storeBlock(newBlockId(), IteratorBlock(data(n)[Symbol.iterator]()))).numRecords);
        expect([name, counts]).toEqual([name, [undefined, 25, 50, 75, 100, 125, 150]]);
        await handler.stop();
      }
    });
  });

  test('an iterator too big for memory: the WAL handler with MEMORY_AND_DISK still counts 70, the BM handler with MEMORY_ONLY fails', async () => {
    blockManager = new BlockManager({ maxMemoryBytes: 2000 });
    const big = (): Iterator<string> => Array.from({ length: 70 }, (_, i) => `record-${i}-${'x'.repeat(100)}`)[Symbol.iterator]();
    const wal = walHandler(StorageLevel.MEMORY_AND_DISK);
    expect((await wal.storeBlock(newBlockId(), IteratorBlock(big()))).numRecords).toBe(70);
    await wal.stop();
    const bm = new BlockManagerBasedBlockHandler(blockManager, StorageLevel.MEMORY_ONLY);
    await expect(bm.storeBlock(newBlockId(), IteratorBlock(big()))).rejects.toThrow(SparkException);
  });

  test('nothing is created in the checkpoint directory before the first block', async () => {
    const handler = walHandler();
    await handler.stop();
    expect(fs.readdirSync(checkpointDir)).toEqual([]);
  });
});
