/** sc.textFile / binaryRecords / newAPIHadoopFile over real files. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidInputException, OffsetTextInputFormat, SparkContext } from '../../lib';

let root: string;
let sc: SparkContext;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-textfile-'));
  sc = new SparkContext('local[2]', 'textFile-test');
});
afterEach(() => {
  sc.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

function write(rel: string, content: string | Buffer): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

test('a folder: its files in name order, one partition per non-empty file, "_" and "." names skipped', async () => {
  write('out/part-00000', 'a\nb\n');
  write('out/part-00001', 'c');
  write('out/part-00002', '');
  write('out/_SUCCESS', '');
  write('out/.part-00000.crc', 'junk');
  const rdd = sc.textFile(path.join(root, 'out'));
  expect(rdd.getNumPartitions()).toBe(2);
  expect(await rdd.collect()).toEqual(['a', 'b', 'c']);
  expect(rdd.name).toBe(path.join(root, 'out'));
});

test('globs and comma-separated lists', async () => {
  write('x/1.txt', 'one\n');
  write('x/2.log', 'two\n');
  write('y/3.txt', 'three\n');
  expect(await sc.textFile(path.join(root, '*', '*.txt')).collect()).toEqual(['one', 'three']);
  expect(await sc.textFile(`${path.join(root, 'x', '2.log')},${path.join(root, 'y')}`).collect()).toEqual(['two', 'three']);
});

test('a missing path fails the first action, not the call, with Hadoop\'s message', async () => {
  const missing = path.join(root, 'nope');
  const rdd = sc.textFile(missing);
  const err = await rdd.collect().then(
    () => undefined,
    (e: unknown) => e,
  );
  const cause = err instanceof InvalidInputException ? err : (err as { cause?: unknown }).cause;
  expect(cause).toBeInstanceOf(InvalidInputException);
  expect((cause as Error).message).toBe(`Input path does not exist: ${missing} (textFile(${missing}))`);
});

test('binaryRecords and newAPIHadoopFile with a format', async () => {
  write('b.bin', Buffer.from([1, 2, 3, 4, 5, 6]));
  const recs = await sc.binaryRecords(path.join(root, 'b.bin'), 3).collect();
  expect(recs.map((r) => [...r])).toEqual([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  write('t.txt', 'ab\ncd');
  expect(await sc.newAPIHadoopFile(path.join(root, 't.txt'), new OffsetTextInputFormat()).collect()).toEqual([
    [0, 'ab'],
    [3, 'cd'],
  ]);
});

test('a file deleted before it is read fails with the file and the reader named', async () => {
  const p = write('gone.txt', 'x\n');
  const rdd = sc.textFile(p);
  expect(rdd.getNumPartitions()).toBe(1);
  fs.rmSync(p);
  const err = (await rdd.collect().then(
    () => undefined,
    (e: unknown) => e,
  )) as Error;
  expect(err.message).toContain(`FileReadException: textFile(${p}): error reading ${p}`);
  expect(err.message).toContain('ENOENT');
});
