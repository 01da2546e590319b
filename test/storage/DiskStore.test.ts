/** The disk store behind the block manager's `*_DISK*` levels: real files in a real folder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setLogLevel } from '../../lib/core/logging';
import { StreamBlockId } from '../../lib/storage/BlockId';
import { BlockManager } from '../../lib/storage/BlockManager';
import { BlockSerializer } from '../../lib/storage/BlockSerializer';
import { DiskStore } from '../../lib/storage/DiskStore';
import { StorageLevel } from '../../lib/storage/StorageLevel';
import { StreamId } from '../../lib/storage/StreamId';

const id = (n: number): StreamBlockId => new StreamBlockId(StreamId(1), n);
let dir: string;

beforeAll(() => setLogLevel('error'));
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-disk-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function waitForFiles(n: number): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const files = fs.readdirSync(dir);
    if (files.length === n) return files;
    await new Promise((r) => setTimeout(r, 5));
  }
  return fs.readdirSync(dir);
}

describe('DiskStore', () => {
  test('put writes one file per block; get reads it back; remove deletes it', async () => {
    const store = new DiskStore(dir);
    const bytes = Buffer.from('hello block');
    const writing = store.put(id(1), bytes);
    // Readable while its file is being written.
    expect(store.contains(id(1))).toBe(true);
    expect(await store.get(id(1))).toEqual(bytes);
    await writing;
    expect(await waitForFiles(1)).toEqual([expect.stringMatching(/^input-1-1\.\d+$/)]);
    expect(await store.get(id(1))).toEqual(bytes);
    expect(store.diskUsed).toBe(bytes.length);
    expect(store.remove(id(1))).toBe(true);
    expect(store.remove(id(1))).toBe(false);
    expect(await store.get(id(1))).toBeUndefined();
    expect(store.diskUsed).toBe(0);
    expect(await waitForFiles(0)).toEqual([]);
  });

  test('a block removed while its write is in flight leaves no file behind', async () => {
    const store = new DiskStore(dir);
    const writing = store.put(id(2), Buffer.alloc(1 << 20, 7));
    store.remove(id(2));
    await writing;
    expect(await waitForFiles(0)).toEqual([]);
  });
});

describe('BlockManager with the disk store', () => {
  test('MEMORY_AND_DISK blocks that do not fit in memory, and DISK_ONLY blocks, round-trip through files', async () => {
    const bm = new BlockManager({ maxMemoryBytes: 1000, diskDir: dir });
    const values = Array.from({ length: 200 }, (_, i) => ({ n: i, s: `value-${i}` }));
    expect(await bm.putValues(id(1), values, StorageLevel.MEMORY_AND_DISK)).toBe(true);
    expect(await bm.putValues(id(2), ['a', 'b'], StorageLevel.DISK_ONLY)).toBe(true);
    expect(await bm.putValues(id(3), ['small'], StorageLevel.MEMORY_AND_DISK_SER)).toBe(true);
    expect(bm.memoryStore.contains(id(3))).toBe(true);
    expect(bm.diskStore.blockNames().sort()).toEqual(['input-1-1', 'input-1-2']);
    expect(await bm.getValues(id(1))).toEqual(values);
    expect(BlockSerializer.deserialize((await bm.getBytes(id(2))) as Buffer)).toEqual(['a', 'b']);
    // An existing block is kept, wherever it is.
    expect(await bm.putValues(id(2), ['other'], StorageLevel.DISK_ONLY)).toBe(true);
    expect(await bm.getValues(id(2))).toEqual(['a', 'b']);
    expect(bm.remove(id(1))).toBe(true);
    expect(bm.contains(id(1))).toBe(false);
    expect(await bm.getValues(id(1))).toBeUndefined();
    expect(await waitForFiles(1)).toHaveLength(1);
  });
});

describe('DiskStore default folder', () => {
  test('is <tmp>/dstreams-blocks/<pid>-*, and folders left by dead processes are swept on first use', async () => {
    const root = path.join(os.tmpdir(), 'dstreams-blocks');
    const stale = path.join(root, '4194303-stale');
    fs.mkdirSync(stale, { recursive: true });
    fs.writeFileSync(path.join(stale, 'input-0-1.0'), 'x');
    const store = new DiskStore();
    await store.put(id(9), Buffer.from('y'));
    expect(fs.existsSync(stale)).toBe(false);
    const mine = fs.readdirSync(root).filter((n) => n.startsWith(`${process.pid}-`));
    expect(mine.length).toBeGreaterThanOrEqual(1);
    store.clear();
    expect(fs.readdirSync(root).filter((n) => n.startsWith(`${process.pid}-`)).length).toBe(mine.length - 1);
  });
});
