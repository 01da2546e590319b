import { IllegalArgumentException } from '../../lib/core/errors';
import { setLogLevel } from '../../lib/core/logging';
import { StreamBlockId } from '../../lib/storage/BlockId';
import { BlockManager } from '../../lib/storage/BlockManager';
import { BlockSerializer } from '../../lib/storage/BlockSerializer';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import { StreamId } from '../../lib/storage/StreamId';

const id = (n: number): StreamBlockId => new StreamBlockId(StreamId(0), n);
beforeAll(() => setLogLevel('error'));

describe('BlockManager', () => {
  test('putValues / getValues / getBytes with a deserialized level', async () => {
    const bm = new BlockManager({ maxMemoryBytes: 1 << 20 });
    expect(await bm.putValues(id(1), ['a', 'b'], StorageLevel.MEMORY_ONLY)).toBe(true);
    expect(bm.contains(id(1))).toBe(true);
    expect(await bm.getValues(id(1))).toEqual(['a', 'b']);
    expect(BlockSerializer.deserialize((await bm.getBytes(id(1))) as Buffer)).toEqual(['a', 'b']);
    expect(bm.memoryStore.get(id(1))?.kind).toBe('values');
  });

  test('serialized levels keep bytes; getValues deserializes them', async () => {
    const bm = new BlockManager({ maxMemoryBytes: 1 << 20 });
    await bm.putValues(id(2), [{ k: 1 }, { k: 2 }], StorageLevel.MEMORY_ONLY_SER);
    const entry = bm.memoryStore.get(id(2));
    expect(entry?.kind).toBe('bytes');
    expect(bm.memoryUsed).toBe((entry as { size: number }).size);
    expect(await bm.getValues(id(2))).toEqual([{ k: 1 }, { k: 2 }]);
    const bytes = BlockSerializer.serialize(['x']);
    await bm.putBytes(id(3), bytes, StorageLevel.MEMORY_ONLY);
    expect(await bm.getBytes(id(3))).toBe(bytes);
    expect(await bm.getValues(id(3))).toEqual(['x']);
  });

  test('memory accounting grows with puts and shrinks with removes', async () => {
    const bm = new BlockManager({ maxMemoryBytes: 1 << 20 });
    await bm.putBytes(id(1), Buffer.alloc(1000), StorageLevel.MEMORY_ONLY_SER);
    await bm.putValues(id(2), Array.from({ length: 1000 }, (_, i) => `value-${i}`), StorageLevel.MEMORY_ONLY);
    const used = bm.memoryUsed;
    expect(used).toBeGreaterThan(1000 + 1000 * 16);
    expect(bm.remove(id(1))).toBe(true);
    expect(bm.memoryUsed).toBe(used - 1000);
    expect(bm.remove(id(1))).toBe(false);
    expect(bm.remove(id(2))).toBe(true);
    expect(bm.memoryUsed).toBe(0);
    expect(await bm.getValues(id(2))).toBeUndefined();
    expect(await bm.getBytes(id(2))).toBeUndefined();
  });

  test('a block that exists is kept (Spark does not re-add it)', async () => {
    const bm = new BlockManager({ maxMemoryBytes: 1 << 20 });
    await bm.putValues(id(1), ['first'], StorageLevel.MEMORY_ONLY);
    expect(await bm.putValues(id(1), ['second'], StorageLevel.MEMORY_ONLY)).toBe(true);
    expect(await bm.getValues(id(1))).toEqual(['first']);
  });

  test('memory-only levels refuse blocks over the limit; disk levels write them to the disk store', async () => {
    const bm = new BlockManager({ maxMemoryBytes: 500 });
    expect(await bm.putBytes(id(1), Buffer.alloc(600), StorageLevel.MEMORY_ONLY_SER)).toBe(false);
    expect(bm.contains(id(1))).toBe(false);
    expect(await bm.putBytes(id(1), Buffer.alloc(600), StorageLevel.MEMORY_AND_DISK_SER)).toBe(true);
    expect(await bm.putBytes(id(2), Buffer.alloc(600), StorageLevel.DISK_ONLY)).toBe(true);
    expect(bm.memoryUsed).toBe(0);
    expect(bm.diskUsed).toBe(1200);
    expect(bm.contains(id(1)) && bm.contains(id(2))).toBe(true);
  });

  test('level NONE and non-Buffer bytes are errors', async () => {
    const bm = new BlockManager();
    expect(() => bm.putValues(id(1), [], StorageLevel.NONE)).toThrow(IllegalArgumentException);
    expect(() => bm.putBytes(id(1), 'x' as never, StorageLevel.MEMORY_ONLY)).toThrow(/bytes must be a Buffer/);
  });
});
