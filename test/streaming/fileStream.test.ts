/**
 * File input streams (Spark's InputStreamsSuite file cases, reference §10.9; selection rules §5.5): real folders in
 * the temp directory, the manual clock, modification times set explicitly so every batch is deterministic.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobFailedException, Seconds, type StreamInputInfo, type StreamingContext, WrongRecordLengthException } from '../../lib';
import { getLogger } from '../../lib/core/logging';
import { collectOutput, createManualContext, manualClock, stopAllContexts } from './harness';

const B = 2000; // batch duration (ms), as InputStreamsSuite

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-filestream-'));
});
afterEach(async () => {
  jest.restoreAllMocks();
  await stopAllContexts();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Writes a file and sets its modification time (ms; whole or half seconds stay exact through utimes). */
function writeFile(dir: string, name: string, content: string | Buffer, mtimeMs: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  fs.utimesSync(p, mtimeMs / 1000, mtimeMs / 1000);
  return p;
}

/** A 2 s manual-clock context whose clock stands at 12000 (past a pre-existing file at 10000), as the suite. */
function fileContext(conf?: Record<string, string>): StreamingContext {
  const ssc = createManualContext({ batchDuration: Seconds(2), conf });
  manualClock(ssc).setTime(10000 + B);
  return ssc;
}

/** Writes file `name` half a batch before the next batch, then runs that batch (InputStreamsSuite's rhythm). */
async function writeAndStep(ssc: StreamingContext, dir: string, name: string, content: string | Buffer): Promise<string> {
  const clock = manualClock(ssc);
  const next = ssc.scheduler.jobGenerator.nextBatchTime().milliseconds;
  clock.setTime(next - B / 2);
  const p = writeFile(dir, name, content, clock.getTimeMillis());
  await ssc.step();
  return p;
}

function inputInfos(ssc: StreamingContext): StreamInputInfo[] {
  const infos: StreamInputInfo[] = [];
  ssc.addStreamingListener({
    onBatchCompleted: (e) => {
      for (const i of e.batchInfo.streamIdToInputInfo.values()) infos.push(i);
    },
  });
  return infos;
}

async function failureOf(ssc: StreamingContext): Promise<unknown> {
  return ssc.awaitTerminationOrTimeout(0).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('fileStream selection (InputStreamsSuite "file input stream")', () => {
  for (const newFilesOnly of [true, false]) {
    test(`newFilesOnly = ${newFilesOnly}: the pre-existing file is ${newFilesOnly ? 'ignored' : 'read'}, each new file in exactly one batch`, async () => {
      writeFile(root, '0', '0\n', 10000);
      const ssc = fileContext();
      const stream = ssc.fileStream(root, () => true, newFilesOnly);
      const out = collectOutput(stream);
      await ssc.start();
      for (const i of [1, 2, 3, 4, 5]) await writeAndStep(ssc, root, String(i), `${i}\n`);
      await expect(failureOf(ssc)).resolves.toBeUndefined();
      expect(out.times.map((t) => t.milliseconds)).toEqual([14000, 16000, 18000, 20000, 22000]);
      const expected = [['1'], ['2'], ['3'], ['4'], ['5']];
      if (!newFilesOnly) expected[0] = ['0', '1'];
      expect(out.batches.map((b) => [...b].sort())).toEqual(expected);
    });
  }

  test('names starting with "." are skipped by the default filter; a custom filter sees full paths', async () => {
    const ssc = fileContext();
    const all = ssc.textFileStream(root);
    const txtOnly = ssc.fileStream(root, (p) => p.endsWith('.txt') && path.isAbsolute(p));
    const outAll = collectOutput(all);
    const outTxt = collectOutput(txtOnly);
    await ssc.start();
    const clock = manualClock(ssc);
    clock.setTime(13000);
    writeFile(root, '.hidden', 'hidden\n', 13000);
    writeFile(root, 'a.txt', 'a\n', 13000);
    writeFile(root, 'b.log', 'b\n', 13000);
    await ssc.step();
    expect([...outAll.batches[0]].sort()).toEqual(['a', 'b']);
    expect(outTxt.batches[0]).toEqual(['a']);
  });

  test('a file whose mtime is after the batch time waits for a later batch; old files and re-touched files are not re-read', async () => {
    const ssc = fileContext({ 'spark.streaming.fileStream.minRememberDuration': '4s' });
    const stream = ssc.textFileStream(root);
    expect(stream.durationToRemember.milliseconds).toBe(4000);
    expect(stream.rememberDuration?.milliseconds).toBe(4000);
    const out = collectOutput(stream);
    await ssc.start();
    writeFile(root, 'future', 'future\n', 15000); // selected by batch 16000, not 14000
    writeFile(root, 'now', 'now\n', 14000); // mtime == batch time: selected (<= currentTime)
    await ssc.step(); // 14000
    await ssc.step(); // 16000
    // Batch 18000 ignores mtimes <= 18000 - 4000 = 14000: a late file with an old mtime is lost, as in Spark.
    writeFile(root, 'late', 'late\n', 14000);
    writeFile(root, 'edge', 'edge\n', 14500);
    await ssc.step(); // 18000
    await ssc.step(); // 20000
    expect(out.batches).toEqual([['now'], ['future'], ['edge'], []]);
    expect(stream.isRecentlySelected(path.join(root, 'now'))).toBe(false); // forgotten after the remember window
    expect(stream.isRecentlySelected(path.join(root, 'edge'))).toBe(true);
    expect([...stream.batchTimeToSelectedFiles.keys()].every((t) => t >= 20000 - 4000)).toBe(true);
  });

  test('durationToRemember is the batch duration times ceil(minRememberDuration / batch)', () => {
    const ssc = createManualContext({ batchDuration: Seconds(2), conf: { 'spark.streaming.minRememberDuration': '5s' } });
    expect(ssc.textFileStream(root).durationToRemember.milliseconds).toBe(6000);
  });

  test('the default minimum remember duration is 60 s', () => {
    const ssc = createManualContext({ batchDuration: Seconds(7) });
    expect(ssc.textFileStream(root).durationToRemember.milliseconds).toBe(63000);
  });

  test('StreamInputInfo carries the files and a Description; the stream is named "File stream [id]"', async () => {
    const ssc = fileContext();
    const stream = ssc.textFileStream(root);
    collectOutput(stream);
    const infos = inputInfos(ssc);
    await ssc.start();
    manualClock(ssc).setTime(13000);
    const a = writeFile(root, 'a', 'x\n', 13000);
    const b = writeFile(root, 'b', 'y\n', 13000);
    await ssc.step(2);
    expect(stream.name).toBe('File stream [0]');
    expect(infos).toHaveLength(2);
    expect(infos[0].inputStreamId).toBe(stream.id);
    expect(infos[0].numRecords).toBe(0);
    expect([...(infos[0].metadata.files as string[])].sort()).toEqual([a, b]);
    expect((infos[0].metadata.Description as string).split('\n').sort()).toEqual([a, b]);
    expect(infos[1].metadata).toEqual({ files: [], Description: '' });
  });
});

describe('folders and globs', () => {
  test('wildcard "dir/*/" monitors every sub-folder (InputStreamsSuite "file input stream - wildcard")', async () => {
    writeFile(root, '0', '0\n', 10000);
    const sub1 = path.join(root, 'tmp1');
    const sub2 = path.join(root, 'tmp2');
    fs.mkdirSync(sub1);
    fs.mkdirSync(sub2);
    const ssc = fileContext();
    const out = collectOutput(ssc.textFileStream(root + '/*/'));
    await ssc.start();
    for (const i of [1, 2, 3, 4, 5]) await writeAndStep(ssc, sub1, String(i), `${i}\n`);
    for (const i of [6, 7, 8, 9, 10]) await writeAndStep(ssc, sub2, String(i), `${i}\n`);
    expect(out.batches).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => [String(i)]));
  });

  test('a folder renamed into a "sub*" glob contributes only its files inside the window ("Modified files are correctly detected")', async () => {
    const streamDir = path.join(root, 'streaming');
    const generatedSub = path.join(root, 'generated', 'subdir');
    fs.mkdirSync(streamDir, { recursive: true });
    const ssc = fileContext();
    writeFile(generatedSub, 'existing', 'existing\n', 10000);
    const out = collectOutput(ssc.textFileStream(path.join(streamDir, 'sub*')));
    await ssc.start();
    await ssc.step(); // 14000
    const now = manualClock(ssc).getTimeMillis();
    writeFile(generatedSub, 'renamed.txt', 'renamed\n', now + B / 2);
    fs.renameSync(generatedSub, path.join(streamDir, 'subdir'));
    await ssc.step(); // 16000
    expect(out.batches.flat()).toEqual(['renamed']);
  });

  test('glob classes and alternatives select matching folders only', async () => {
    for (const d of ['2024-01', '2024-02', '2024-13', 'other']) fs.mkdirSync(path.join(root, d));
    const ssc = fileContext();
    const out = collectOutput(ssc.textFileStream(path.join(root, '{2024-0[12],other}')));
    await ssc.start();
    manualClock(ssc).setTime(13000);
    for (const d of ['2024-01', '2024-02', '2024-13', 'other']) writeFile(path.join(root, d), 'f', `${d}\n`, 13000);
    await ssc.step();
    expect([...out.batches[0]].sort()).toEqual(['2024-01', '2024-02', 'other']);
  });

  test('a missing folder gives empty batches with one warning naming the stream and folder; files count once it appears', async () => {
    const warn = jest.spyOn(getLogger('FileInputDStream'), 'warn');
    const dir = path.join(root, 'not-yet');
    const ssc = fileContext();
    const out = collectOutput(ssc.textFileStream(dir));
    await ssc.start();
    await ssc.step(3);
    const messages = warn.mock.calls.map((c) => String(c[1]));
    const missing = messages.filter((m) => m.includes('No directory to scan'));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toContain('File stream [0]');
    expect(missing[0]).toContain(dir);
    await writeAndStep(ssc, dir, 'a', 'hello\n');
    expect(out.batches).toEqual([[], [], [], ['hello']]);
    await expect(failureOf(ssc)).resolves.toBeUndefined();
  });

  test('an empty file logs Spark\'s "has no data in it" warning and adds nothing', async () => {
    const warn = jest.spyOn(getLogger('FileInputDStream'), 'warn');
    const ssc = fileContext();
    const out = collectOutput(ssc.textFileStream(root));
    await ssc.start();
    const empty = await writeAndStep(ssc, root, 'empty', '');
    expect(out.batches).toEqual([[]]);
    const msg = warn.mock.calls.map((c) => String(c[1])).find((m) => m.includes('has no data in it'));
    expect(msg).toBe(
      `File ${empty} has no data in it. Spark Streaming can only ingest files that have been "moved" to the directory assigned to the file stream. Refer to the streaming programming guide for more details.`,
    );
  });
});

describe('textFileStream lines', () => {
  test('lines end at \\n, \\r\\n and \\r; the last line needs no terminator; UTF-8 with replacement of invalid bytes', async () => {
    const ssc = fileContext();
    const out = collectOutput(ssc.textFileStream(root));
    await ssc.start();
    const bytes = Buffer.concat([Buffer.from('a\r\nb\rc\n\nhé 日本\n'), Buffer.from([0xff, 0x41, 0x0a]), Buffer.from('last')]);
    await writeAndStep(ssc, root, 'mixed', bytes);
    expect(out.batches).toEqual([['a', 'b', 'c', '', 'hé 日本', '\ufffdA', 'last']]);
  });

  test('a file larger than one read chunk keeps every line whole', async () => {
    const ssc = fileContext();
    const stream = ssc.textFileStream(root);
    const counts: number[] = [];
    const lengths = new Set<number>();
    stream.foreachRDD(async (rdd) => {
      const lines = await rdd.collect();
      counts.push(lines.length);
      for (const l of lines) lengths.add(l.length);
    });
    await ssc.start();
    const line = 'x'.repeat(99) + '\r\n'; // 101 bytes: lines and CRLFs straddle the 1 MiB chunk boundaries
    await writeAndStep(ssc, root, 'big', line.repeat(30000));
    expect(counts).toEqual([30000]);
    expect([...lengths]).toEqual([99]);
  });

  test('fileStream with OffsetTextInputFormat yields Spark\'s (byte offset, line) records', async () => {
    const { OffsetTextInputFormat } = await import('../../lib');
    const ssc = fileContext();
    const out = collectOutput(ssc.fileStream(root, { format: new OffsetTextInputFormat() }));
    await ssc.start();
    await writeAndStep(ssc, root, 'f', 'ab\r\ncdé\nx');
    expect(out.batches).toEqual([
      [
        [0, 'ab'],
        [4, 'cdé'],
        [9, 'x'],
      ],
    ]);
  });
});

describe('binaryRecordsStream', () => {
  test('records of length 1 from 5-byte files (InputStreamsSuite "binary records stream")', async () => {
    writeFile(root, '0', '0\n', 10000);
    const ssc = fileContext();
    const out = collectOutput(ssc.binaryRecordsStream(root, 1));
    await ssc.start();
    for (const i of [1, 2, 3, 4, 5]) await writeAndStep(ssc, root, String(i), Buffer.from([1, 2, 3, 4, 5].map((b) => b + i)));
    expect(out.batches.map((b) => b.map((r) => r.length))).toEqual([1, 2, 3, 4, 5].map(() => [1, 1, 1, 1, 1]));
    expect(out.batches.map((b) => b.map((r) => r[0]))).toEqual([1, 2, 3, 4, 5].map((i) => [1, 2, 3, 4, 5].map((b) => b + i)));
  });

  test('multi-byte records keep their bytes', async () => {
    const ssc = fileContext();
    const out = collectOutput(ssc.binaryRecordsStream(root, 4));
    await ssc.start();
    const data = Buffer.alloc(4 * 300_000);
    for (let i = 0; i < 300_000; i++) data.writeUInt32BE(i, i * 4); // 1.2 MB: records cross a read chunk
    await writeAndStep(ssc, root, 'ints', data);
    const recs = out.batches[0];
    expect(recs).toHaveLength(300_000);
    expect(recs.every((r, i) => r.length === 4 && r.readUInt32BE(0) === i)).toBe(true);
  });

  test('a file that is not a multiple of the record length fails its batch with Spark\'s error naming the file', async () => {
    const ssc = fileContext();
    collectOutput(ssc.binaryRecordsStream(root, 2));
    await ssc.start();
    const clock = manualClock(ssc);
    clock.setTime(ssc.scheduler.jobGenerator.nextBatchTime().milliseconds - B / 2);
    const file = writeFile(root, 'odd', Buffer.from([1, 2, 3, 4, 5]), clock.getTimeMillis());
    // As in Spark, the task's error is the cause of the failed job; step() and awaitTermination() reject with it.
    const stepped = await ssc.step().then(() => undefined, (e: unknown) => e);
    const err = (await failureOf(ssc)) as JobFailedException;
    expect(stepped).toBe(err);
    expect(err).toBeInstanceOf(JobFailedException);
    expect(err.message).toContain('Byte array does not have correct length');
    expect(err.cause).toBeInstanceOf(WrongRecordLengthException);
    const e = err.cause as WrongRecordLengthException;
    expect(e.message).toContain('requirement failed: Byte array does not have correct length. 1 did not equal recordLength: 2');
    expect(e.message).toContain(file);
    expect(e.message).toContain('File stream [0]');
    expect([e.file, e.actualLength, e.recordLength, e.offset]).toEqual([file, 1, 2, 4]);
  });

  test('a record length that is not a positive integer is rejected up front', () => {
    const ssc = fileContext();
    expect(() => ssc.binaryRecordsStream(root, 0)).toThrow('requirement failed: The record length must be a positive whole number of bytes, got 0');
    expect(() => ssc.binaryRecordsStream(root, 1.5)).toThrow(/got 1.5/);
    expect(() => ssc.textFileStream('  ')).toThrow(/textFileStream needs a directory to monitor/);
    expect(ssc.graph.inputStreams).toHaveLength(0);
  });
});
