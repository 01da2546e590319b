/**
 * Output operations: print() (Spark's exact block), pprint() (PySpark's layout and Python element text),
 * saveAsTextFiles / saveAsObjectFiles (rddToFileName folders), foreachRDD with and without the time, cache/persist.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompactBuffer, type DStream, pythonDatetimeString, pythonRepr, pythonStr, readObjectFile, StorageLevel, type Time } from '../../lib';
import { createManualContext, OutputCapture, range, runStreams, setupStreams, stopAllContexts, TestInputStream } from './harness';

afterEach(stopAllContexts);

const DASHES = '-'.repeat(43);

describe('print()', () => {
  test('Spark\'s exact block: header for every batch, num elements, "..." past num, blank line', async () => {
    const { ssc, output } = setupStreams([range(1, 12), [], range(1, 10)], (s: DStream<number>) => s);
    const out = new OutputCapture();
    ssc.out = out;
    ssc.graph.inputStreams[0].print();
    await runStreams(ssc, 3, output);
    expect(out.text).toBe(
      [DASHES, 'Time: 1000 ms', DASHES, ...range(1, 10).map(String), '...', ''].join('\n') +
        '\n' +
        [DASHES, 'Time: 2000 ms', DASHES, ''].join('\n') +
        '\n' +
        [DASHES, 'Time: 3000 ms', DASHES, ...range(1, 10).map(String), ''].join('\n') +
        '\n',
    );
  });

  test('print(num) and Scala element text: (word,3), ArrayBuffer(1, 1) (a DStream groupByKey, as Spark 3.5 prints it), None', async () => {
    const { ssc, output } = setupStreams([['a', 'a', 'b']], (s: DStream<string>) => s);
    const out = new OutputCapture();
    ssc.out = out;
    const pairs = ssc.graph.inputStreams[0].map((w) => [w as string, 1] as [string, number]);
    pairs.reduceByKey((a, b) => a + b, 1).print(1);
    pairs.groupByKey(1).filter(([k]) => k === 'a').print();
    pairs.leftOuterJoin(pairs.filter(() => false), 1).filter(([k]) => k === 'b').print();
    await runStreams(ssc, 1, output);
    const blocks = out.text.split(`${DASHES}\nTime: 1000 ms\n${DASHES}\n`).slice(1);
    expect(blocks[0]).toMatch(/^\((a,2|b,1)\)\n\.\.\.\n\n$/);
    expect(blocks[1]).toBe('(a,ArrayBuffer(1, 1))\n\n');
    expect(blocks[2]).toBe('(b,(1,None))\n\n');
  });
});

/** `pythonDatetimeString(ms)` in a child process running in time zone `tz` (jest's process.env cannot switch it). */
function datetimeIn(tz: string, ms: number): string {
  const code = `process.stdout.write(require('./lib/core/PythonFormat.ts').pythonDatetimeString(${ms}))`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: path.join(__dirname, '../..'), env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return r.stdout;
}

describe('pprint()', () => {
  test('PySpark\'s layout: the time as datetime.fromtimestamp in local time, Python element text', async () => {
    const { ssc, output } = setupStreams([['a', 'a', 'b'], []], (s: DStream<string>) => s);
    const out = new OutputCapture();
    ssc.out = out;
    ssc.graph.inputStreams[0]
      .map((w) => [w as string, 1] as [string, number])
      .reduceByKey((a, b) => a + b, 1)
      .pprint();
    await runStreams(ssc, 2, output);
    const [first, second] = out.text.split(/(?=^-{43}\nTime)/m);
    expect(first.startsWith(`${DASHES}\nTime: ${pythonDatetimeString(1000)}\n${DASHES}\n`)).toBe(true);
    expect(new Set(first.split('\n').slice(3, 5))).toEqual(new Set(["('a', 2)", "('b', 1)"]));
    expect(first.endsWith("\n\n")).toBe(true);
    expect(second).toBe(`${DASHES}\nTime: ${pythonDatetimeString(2000)}\n${DASHES}\n\n`);
  });

  test('pprint(num) prints "..." past num', async () => {
    const { ssc, output } = setupStreams([range(1, 5)], (s: DStream<number>) => s);
    const out = new OutputCapture();
    ssc.out = out;
    ssc.graph.inputStreams[0].pprint(3);
    await runStreams(ssc, 1, output);
    expect(out.text).toBe(`${DASHES}\nTime: ${pythonDatetimeString(1000)}\n${DASHES}\n1\n2\n3\n...\n\n`);
  });

  test('datetime text: local time zone, microseconds only when there is a fraction', () => {
    expect(datetimeIn('UTC', 1413723401000)).toBe('2014-10-19 12:56:41');
    expect(datetimeIn('UTC', 1413723401500)).toBe('2014-10-19 12:56:41.500000');
    expect(datetimeIn('UTC', 1000)).toBe('1970-01-01 00:00:01');
    expect(datetimeIn('Asia/Shanghai', 1413723401000)).toBe('2014-10-19 20:56:41');
  });

  test('Python element text', () => {
    expect(pythonStr('word')).toBe('word');
    expect(pythonStr(['word', 3])).toBe("('word', 3)");
    expect(pythonStr([1])).toBe('(1,)');
    expect(pythonStr([])).toBe('()');
    expect(pythonStr(['k', [1.5, null]])).toBe("('k', (1.5, None))");
    expect(pythonStr(CompactBuffer.of1(1))).toBe('[1]');
    expect(pythonStr(true)).toBe('True');
    expect(pythonStr(undefined)).toBe('None');
    expect(pythonStr(new Map([['a', 1]]))).toBe("{'a': 1}");
    expect(pythonStr(new Set())).toBe('set()');
    expect(pythonStr({ x: 'y' })).toBe("{'x': 'y'}");
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('a\nb\\')).toBe("'a\\nb\\\\'");
    expect(pythonRepr(1e-7)).toBe('1e-07');
    expect(pythonRepr(NaN)).toBe('nan');
    expect(pythonRepr(-Infinity)).toBe('-inf');
  });
});

describe('saveAs*Files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-save-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('saveAsTextFiles writes prefix-<ms>.suffix folders with Scala element text', async () => {
    const { ssc, output } = setupStreams([['a', 'b'], ['c']], (s: DStream<string>) => s);
    ssc.graph.inputStreams[0].map((w) => [w, 1]).saveAsTextFiles(path.join(dir, 'out'), 'txt');
    await runStreams(ssc, 2, output);
    expect(fs.readdirSync(dir).sort()).toEqual(['out-1000.txt', 'out-2000.txt']);
    const read = (d: string): string =>
      fs
        .readdirSync(path.join(dir, d))
        .filter((f) => f.startsWith('part-'))
        .sort()
        .map((f) => fs.readFileSync(path.join(dir, d, f), 'utf8'))
        .join('');
    expect(read('out-1000.txt')).toBe('(a,1)\n(b,1)\n');
    expect(read('out-2000.txt')).toBe('(c,1)\n');
    expect(fs.existsSync(path.join(dir, 'out-1000.txt', '_SUCCESS'))).toBe(true);
  });

  test('saveAsObjectFiles writes v8-serialized partitions that readObjectFile reads back', async () => {
    const { ssc, output } = setupStreams([[1, 2, 3], []], (s: DStream<number>) => s);
    ssc.graph.inputStreams[0].map((x) => ({ x, m: new Map([[x, [x]]]) })).saveAsObjectFiles(path.join(dir, 'obj'));
    await runStreams(ssc, 2, output);
    expect(fs.readdirSync(dir).sort()).toEqual(['obj-1000', 'obj-2000']);
    expect(fs.readdirSync(path.join(dir, 'obj-1000')).sort()).toEqual(['_SUCCESS', 'part-00000', 'part-00001']);
    expect(readObjectFile(path.join(dir, 'obj-1000'))).toEqual([1, 2, 3].map((x) => ({ x, m: new Map([[x, [x]]]) })));
    expect(readObjectFile(path.join(dir, 'obj-2000'))).toEqual([]);
  });

  test('readObjectFile names the problem: an unfinished output, a corrupt part', () => {
    const unfinished = path.join(dir, 'obj-1000');
    fs.mkdirSync(unfinished);
    expect(() => readObjectFile(unfinished)).toThrow(`${unfinished} is not a complete object file output (no _SUCCESS file)`);
    fs.writeFileSync(path.join(unfinished, '_SUCCESS'), '');
    fs.writeFileSync(path.join(unfinished, 'part-00000'), 'not v8');
    expect(() => readObjectFile(unfinished)).toThrow(`Cannot read object file part ${path.join(unfinished, 'part-00000')}`);
  });
});

describe('foreachRDD, transform, cache', () => {
  test('foreachRDD with and without the batch time; an async function is awaited before the batch completes', async () => {
    const { ssc, output } = setupStreams([[1], [2]], (s: DStream<number>) => s);
    const plain: number[][] = [];
    const timed: Array<[number, number[]]> = [];
    const input = ssc.graph.inputStreams[0] as DStream<number>;
    input.foreachRDD(async (rdd) => {
      await new Promise((r) => setImmediate(r));
      plain.push(await rdd.collect());
    });
    input.foreachRDD(async (rdd, time: Time) => void timed.push([time.milliseconds, await rdd.collect()]));
    await runStreams(ssc, 2, output);
    expect(plain).toEqual([[1], [2]]);
    expect(timed).toEqual([
      [1000, [1]],
      [2000, [2]],
    ]);
  });

  test('cache()/persist(level) persist each generated RDD at that level', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [[1], [2]]);
    const cached = input.map((x) => x + 1).cache();
    const persisted = input.map((x) => x + 2).persist(StorageLevel.MEMORY_AND_DISK);
    expect(cached.storageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
    cached.foreachRDD(() => undefined);
    persisted.foreachRDD(() => undefined);
    await ssc.start();
    await ssc.step(1);
    expect(cached.generatedRDDs.get(1000)?.getStorageLevel()).toBe(StorageLevel.MEMORY_ONLY_SER);
    expect(persisted.generatedRDDs.get(1000)?.getStorageLevel()).toBe(StorageLevel.MEMORY_AND_DISK);
  });
});
