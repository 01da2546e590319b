import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManualClock } from '../../lib/core/clock/ManualClock';
import { IllegalArgumentException, IllegalStateException } from '../../lib/core/errors';
import { SparkConf } from '../../lib/core/SparkConf';
import { FileBasedWriteAheadLog, type FileBasedWriteAheadLogOptions } from '../../wal/FileBasedWriteAheadLog';
import type { FileBasedWriteAheadLogSegment } from '../../wal/FileBasedWriteAheadLogSegment';
import { FileBasedWriteAheadLogRandomReader } from '../../wal/FileBasedWriteAheadLogRandomReader';
import { WriteAheadLogCorruptionError, WriteAheadLogReadError, WriteAheadLogSegmentError } from '../../wal/WriteAheadLogErrors';
import { asStrings, FRAME_HEADER, frameV1, readSegmentManually, removeDir, SEGMENT_HEADER, segmentFiles, strings, tempDir, writeSegment } from './walTestKit';

// WriteAheadLogSuite's harness: rolling interval 1 s, maxFailures 1.
const SUITE_OPTIONS: Partial<FileBasedWriteAheadLogOptions> = { rollingIntervalSecs: 1, maxFailures: 1 };

function createLog(dir: string, options: Partial<FileBasedWriteAheadLogOptions> = {}): FileBasedWriteAheadLog {
  return new FileBasedWriteAheadLog(dir, { ...SUITE_OPTIONS, ...options });
}

/** WriteAheadLogSuite.writeDataUsingWriteAheadLog: clock from 10000, +500 ms per record, written one by one. */
async function writeData(
  dir: string,
  data: Buffer[],
  opts: { clock?: ManualClock; closeLog?: boolean; step?: number; options?: Partial<FileBasedWriteAheadLogOptions> } = {},
): Promise<{ wal: FileBasedWriteAheadLog; handles: FileBasedWriteAheadLogSegment[]; clock: ManualClock }> {
  const clock = opts.clock ?? new ManualClock();
  if (clock.getTimeMillis() < 100000) clock.setTime(10000);
  const wal = createLog(dir, opts.options);
  const handles: FileBasedWriteAheadLogSegment[] = [];
  for (const item of data) {
    clock.advance(opts.step ?? 500);
    handles.push(await wal.write(item, clock.getTimeMillis()));
  }
  if (opts.closeLog ?? true) await wal.close();
  return { wal, handles, clock };
}

function readAllManually(dir: string): string[] {
  return segmentFiles(dir).flatMap((f) => readSegmentManually(f).map((r) => r.payload.toString()));
}

let dir: string;
beforeEach(() => {
  dir = path.join(tempDir(), 'wal');
});
afterEach(() => removeDir(path.dirname(dir)));

describe('FileBasedWriteAheadLog (WriteAheadLogSuite)', () => {
  test('read all logs: 10 hand-written segments of 100 records each, in file order', () => {
    fs.mkdirSync(dir, { recursive: true });
    const expected: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const data = strings(i * 1000, i * 1000 + 99);
      writeSegment(path.join(dir, `log-${i}-${i}`), data, i);
      expected.push(...data.map(String));
    }
    const wal = createLog(dir);
    expect(asStrings(wal.readAll())).toEqual(expected);
    // The iterable reads afresh each time.
    expect(asStrings(wal.readAll())).toHaveLength(1000);
  });

  test('write logs: rolls by record time and the bytes on disk are the records', async () => {
    const data = strings(1, 100);
    await writeData(dir, data);
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(1);
    // Spark's naming: first record at 10500 with a 1 s interval.
    expect(path.basename(files[0])).toBe('log-10500-11500');
    expect(path.basename(files[1])).toBe('log-12000-13000');
    expect(readSegmentManually(files[0]).map((r) => r.payload.toString())).toEqual(['1', '2', '3']);
    expect(readAllManually(dir)).toEqual(data.map(String));
  });

  test('read all logs after write: a new log instance reads what the previous one wrote', async () => {
    const data = strings(1, 100);
    await writeData(dir, data);
    const wal = createLog(dir);
    expect(asStrings(wal.readAll())).toEqual(data.map(String));
    expect(wal.recoveryReport.damage).toEqual([]);
    await wal.close();
  });

  test('readAll of an open log returns what is durable, including the open segment', async () => {
    const { wal } = await writeData(dir, strings(1, 10), { closeLog: false });
    expect(asStrings(wal.readAll())).toEqual(strings(1, 10).map(String));
    await wal.close();
  });

  test.each([true, false])('clean old logs (waitForCompletion=%s) deletes whole old segments', async (wait) => {
    const { wal, clock } = await writeData(dir, strings(1, 100), { closeLog: false });
    const before = segmentFiles(dir).length;
    await wal.clean(clock.getTimeMillis() / 2, wait);
    if (!wait) await wal.close(); // close waits for pending deletions
    const after = segmentFiles(dir);
    expect(after.length).toBeLessThan(before);
    // Everything left ends at or after the threshold; the open segment is never deleted.
    for (const f of after) expect(Number(path.basename(f).split('-')[2])).toBeGreaterThanOrEqual(clock.getTimeMillis() / 2);
    await wal.close();
    await wal.close(); // close twice is fine
    const remaining = asStrings(createLog(dir).readAll()).map(Number);
    expect(remaining[remaining.length - 1]).toBe(100);
    expect(remaining.length).toBeLessThan(100);
  });

  test('clean never deletes the open segment', async () => {
    const { wal, clock } = await writeData(dir, strings(1, 3), { closeLog: false });
    await wal.clean(clock.getTimeMillis() + 1_000_000, true);
    expect(segmentFiles(dir)).toHaveLength(1);
    await wal.close();
  });

  test('handling file errors while reading rotating logs: older files truncated to 1 byte are an error, or skipped and reported', async () => {
    const clock = new ManualClock();
    const set1 = strings(1, 10);
    await writeData(dir, set1, { clock });
    const set1Files = segmentFiles(dir);
    clock.advance(100000);
    const set2 = strings(11, 20);
    await writeData(dir, set2, { clock });
    expect(asStrings(createLog(dir).readAll())).toEqual([...set1, ...set2].map(String));
    for (const f of set1Files) fs.truncateSync(f, 1);
    // Spark stops silently at the EOF; a segment that is not being written cannot be torn by a crash, so here the
    // damage is an error naming the first file, or with skipCorruptRecords skipped and reported.
    expect(() => [...createLog(dir).readAll()]).toThrow(`Write-ahead log segment ${set1Files[0]} is unreadable at offset 0: partial segment header (1 byte)`);
    const skipping = createLog(dir, { skipCorruptRecords: true });
    expect(asStrings(skipping.readAll())).toEqual(set2.map(String));
    expect(skipping.recoveryReport.damage.map((d) => [d.segment, d.kind, d.action])).toEqual(set1Files.map((f) => [f, 'bad-segment', 'skipped']));
  });

  test('do not create directories or files unless write', async () => {
    const wal = createLog(dir);
    expect([...wal.readAll()]).toEqual([]);
    await wal.clean(1000, true);
    await wal.close();
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('close after write flag: one segment per record', async () => {
    const data = strings(0, 2);
    await writeData(dir, data, { step: 100, options: { closeFileAfterWrite: true } });
    expect(segmentFiles(dir)).toHaveLength(3);
    expect(readAllManually(dir)).toEqual(['0', '1', '2']);
    expect(asStrings(createLog(dir).readAll())).toEqual(['0', '1', '2']);
  });

  test('close after write with equal times appends to the segment it just closed', async () => {
    const wal = createLog(dir, { closeFileAfterWrite: true });
    const hs = await Promise.all([wal.write(Buffer.from('a'), 5000), wal.write(Buffer.from('b'), 5000)]);
    await wal.close();
    expect(hs[0].path).toBe(hs[1].path);
    expect(asStrings(createLog(dir).readAll())).toEqual(['a', 'b']);
  });
});

describe('FileBasedWriteAheadLog restarts', () => {
  test('an empty newest segment (crash right after its creation) takes records again, with a header', async () => {
    await writeData(dir, strings(1, 3));
    const empty = path.join(dir, 'log-50000-51000');
    fs.writeFileSync(empty, '');
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(empty, later, later);
    const wal = createLog(dir);
    expect(wal.recoveryReport.checkedSegment).toBe(empty);
    const h = await wal.write(Buffer.from('again'), 50000);
    await wal.close();
    expect(h.path).toBe(empty);
    expect(readSegmentManually(empty).map((r) => r.payload.toString())).toEqual(['again']);
    expect(asStrings(createLog(dir).readAll())).toEqual(['1', '2', '3', 'again']);
  });

  test('a torn segment header is cut to an empty segment', async () => {
    await writeData(dir, strings(1, 3));
    const torn = path.join(dir, 'log-50000-51000');
    fs.writeFileSync(torn, Buffer.from([0x44, 0x53, 0x57]));
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(torn, later, later);
    const wal = createLog(dir);
    expect(wal.recoveryReport.damage).toEqual([expect.objectContaining({ segment: torn, offset: 0, bytes: 3, kind: 'torn-tail', action: 'truncated' })]);
    expect(fs.statSync(torn).size).toBe(0);
    expect(asStrings(wal.readAll())).toEqual(['1', '2', '3']);
  });

  test('a new segment whose name is taken by a damaged one gets the next start time', async () => {
    fs.mkdirSync(dir, { recursive: true });
    const damaged = path.join(dir, 'log-5000-6000');
    writeSegment(damaged, strings(1, 3));
    const bytes = fs.readFileSync(damaged);
    bytes[SEGMENT_HEADER + FRAME_HEADER] ^= 0xff; // payload of the first record: a corrupt middle frame
    fs.writeFileSync(damaged, bytes);
    const wal = createLog(dir);
    const h = await wal.write(Buffer.from('new'), 5000);
    await wal.close();
    expect(path.basename(h.path)).toBe('log-5001-6000');
    expect(asStrings(createLog(dir, { skipCorruptRecords: true }).readAll())).toEqual(['2', '3', 'new']);
  });
});

describe('FileBasedWriteAheadLog reads (FileBasedWriteAheadLogSuite)', () => {
  test('writer writes, then every segment reads back, in any order', async () => {
    const data = strings(1, 100);
    const { handles } = await writeData(dir, data);
    const order = handles.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101));
    const wal = createLog(dir);
    for (const i of order) expect((await wal.read(handles[i])).toString()).toBe(String(i + 1));
    for (const i of order) expect(FileBasedWriteAheadLogRandomReader.readSync(handles[i]).toString()).toBe(String(i + 1));
  });

  test('write and read immediately', async () => {
    const wal = createLog(dir);
    for (let i = 0; i < 20; i++) {
      const h = await wal.write(Buffer.from(`record ${i}`), 1000 + i);
      expect((await FileBasedWriteAheadLog.readRecord(h)).toString()).toBe(`record ${i}`);
    }
    await wal.close();
  });

  test('handles are plain JSON and read back after a round trip through JSON', async () => {
    const { handles } = await writeData(dir, strings(1, 5));
    const parsed = JSON.parse(JSON.stringify(handles)) as FileBasedWriteAheadLogSegment[];
    expect(parsed[2]).toEqual({ path: handles[2].path, offset: handles[2].offset, length: 1 });
    expect(path.isAbsolute(parsed[2].path)).toBe(true);
    expect((await FileBasedWriteAheadLog.readRecord(parsed[2])).toString()).toBe('3');
  });

  test('reader after corrupted write: 27 bytes of garbage appended still returns every record, and open cuts them', async () => {
    await writeData(dir, strings(1, 3));
    const file = segmentFiles(dir)[0];
    const size = fs.statSync(file).size;
    fs.appendFileSync(file, 'This line appended to file!');
    const wal = createLog(dir);
    expect(wal.recoveryReport.damage).toEqual([
      expect.objectContaining({ segment: file, offset: size, bytes: 27, kind: 'torn-tail', action: 'truncated' }),
    ]);
    expect(fs.statSync(file).size).toBe(size);
    expect(asStrings(wal.readAll())).toEqual(['1', '2', '3']);
  });

  test('reader after corrupted write: file truncated by 1 byte returns all but the last record', async () => {
    await writeData(dir, strings(1, 3));
    const file = segmentFiles(dir)[0];
    fs.truncateSync(file, fs.statSync(file).size - 1);
    expect(asStrings(createLog(dir).readAll())).toEqual(['1', '2']);
  });

  test('an older segment cut inside its last frame is not cut further on open; reads fail at it, or skip it and report it', async () => {
    await writeData(dir, strings(1, 6));
    const [first] = segmentFiles(dir);
    const size = fs.statSync(first).size - 1;
    fs.truncateSync(first, size);
    // Even when it is the most recently modified file: the segment being written is the last one.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(first, later, later);
    const wal = createLog(dir);
    expect(wal.recoveryReport.checkedSegment).toBe(segmentFiles(dir).at(-1));
    expect(fs.statSync(first).size).toBe(size);
    const lastFrame = readSegmentManually(first).at(-1)!.end;
    const seen: string[] = [];
    expect(() => {
      for (const r of wal.readAll()) seen.push(r.toString());
    }).toThrow(`Corrupt write-ahead log record in segment ${first} at offset ${lastFrame}: partial frame`);
    expect(seen).toEqual(['1', '2']);
    const skipping = createLog(dir, { skipCorruptRecords: true });
    expect(asStrings(skipping.readAll())).toEqual(['1', '2', '4', '5', '6']);
    expect(skipping.recoveryReport.damage).toEqual([
      expect.objectContaining({ segment: first, offset: lastFrame, bytes: size - lastFrame, kind: 'corrupt-frame', action: 'skipped' }),
    ]);
  });

  test('reader on a deleted segment: readAll yields no records from it, read(handle) is a clear error', async () => {
    const { handles } = await writeData(dir, strings(1, 6));
    const wal = createLog(dir);
    fs.unlinkSync(handles[0].path);
    expect(asStrings(wal.readAll())).toEqual(['4', '5', '6']);
    await expect(wal.read(handles[0])).rejects.toThrow(WriteAheadLogReadError);
    await expect(wal.read(handles[0])).rejects.toThrow(/segment \S*log-10500-11500: the segment does not exist \(deleted by WriteAheadLog.clean/);
  });

  test('reading a handle of a cleaned segment names the segment', async () => {
    const { wal, handles, clock } = await writeData(dir, strings(1, 20), { closeLog: false });
    await wal.clean(clock.getTimeMillis(), true);
    await expect(wal.read(handles[0])).rejects.toThrow(`offset ${handles[0].offset} of segment ${handles[0].path}: the segment does not exist`);
    await wal.close();
  });

  test('a handle past the end, a wrong length, or a non-frame offset are clear errors', async () => {
    const { handles } = await writeData(dir, strings(1, 3));
    const h = handles[2];
    await expect(FileBasedWriteAheadLog.readRecord({ ...h, offset: h.offset + 1000 })).rejects.toThrow(/past the end of the segment/);
    await expect(FileBasedWriteAheadLog.readRecord({ ...h, length: 5 })).rejects.toThrow('Expected message length to be 5, but was 1');
    await expect(FileBasedWriteAheadLog.readRecord({ ...h, offset: h.offset + 1 })).rejects.toThrow(/frame header CRC mismatch/);
    await expect(FileBasedWriteAheadLog.readRecord({ ...h, offset: 2 })).rejects.toThrow(/offset 2 is inside the segment header/);
    await expect(FileBasedWriteAheadLog.readRecord({ path: h.path } as never)).rejects.toThrow(IllegalArgumentException);
  });

  test('a damaged record read by handle fails its CRC', async () => {
    const { handles } = await writeData(dir, strings(100, 102));
    const h = handles[1];
    const fd = fs.openSync(h.path, 'r+');
    fs.writeSync(fd, Buffer.from('X'), 0, 1, h.offset + FRAME_HEADER);
    fs.closeSync(fd);
    expect(() => FileBasedWriteAheadLogRandomReader.readSync(h)).toThrow(/record CRC mismatch/);
  });
});

describe('FileBasedWriteAheadLog corruption in the middle of a segment', () => {
  async function corruptMiddle(): Promise<{ file: string; handles: FileBasedWriteAheadLogSegment[] }> {
    const wal = createLog(dir, { rollingIntervalSecs: 100 });
    const handles: FileBasedWriteAheadLogSegment[] = [];
    for (let i = 1; i <= 5; i++) handles.push(await wal.write(Buffer.from(`record-${i}`), 1000 + i));
    await wal.close();
    const fd = fs.openSync(handles[2].path, 'r+');
    fs.writeSync(fd, Buffer.from('?'), 0, 1, handles[2].offset + FRAME_HEADER + 2);
    fs.closeSync(fd);
    return { file: handles[2].path, handles };
  }

  test('is an error naming the segment and the offset; records before it are returned first', async () => {
    const { file, handles } = await corruptMiddle();
    const wal = createLog(dir);
    expect(wal.recoveryReport.damage).toEqual([expect.objectContaining({ kind: 'corrupt-frame', offset: handles[2].offset, action: 'error' })]);
    expect(fs.statSync(file).size).toBe(handles[4].offset + FRAME_HEADER + 8); // nothing cut
    const seen: string[] = [];
    let error: unknown;
    try {
      for (const r of wal.readAll()) seen.push(r.toString());
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual(['record-1', 'record-2']);
    expect(error).toBeInstanceOf(WriteAheadLogCorruptionError);
    expect((error as WriteAheadLogCorruptionError).segment).toBe(file);
    expect((error as WriteAheadLogCorruptionError).offset).toBe(handles[2].offset);
    expect((error as Error).message).toContain(`segment ${file} at offset ${handles[2].offset}: payload CRC mismatch`);
  });

  test('with skipCorruptRecords the bad record is skipped and reported', async () => {
    await corruptMiddle();
    const conf = new SparkConf(false).set('dstreams.wal.skipCorruptRecords', 'true');
    const wal = new FileBasedWriteAheadLog(dir, FileBasedWriteAheadLog.optionsFromConf(conf, false));
    expect(wal.recoveryReport.damage).toEqual([expect.objectContaining({ kind: 'corrupt-frame', action: 'skipped' })]);
    expect(asStrings(wal.readAll())).toEqual(['record-1', 'record-2', 'record-4', 'record-5']);
  });

  test('a file named like a segment that is not one is an error naming it', () => {
    fs.mkdirSync(dir, { recursive: true });
    writeSegment(path.join(dir, 'log-1-2'), strings(1, 2));
    const other = path.join(dir, 'log-3-4');
    fs.writeFileSync(other, 'not a write-ahead log segment at all');
    const wal = createLog(dir);
    // Not cut, though it is the last segment: a crash leaves zeros or a header's prefix, not other bytes.
    expect(fs.readFileSync(other, 'utf8')).toBe('not a write-ahead log segment at all');
    expect(() => [...wal.readAll()]).toThrow(WriteAheadLogSegmentError);
    expect(() => [...wal.readAll()]).toThrow(`Write-ahead log segment ${other} is unreadable at offset 0: bad magic (first bytes 0x6e6f742061207772`);
  });

  test('an unknown format version is named', () => {
    fs.mkdirSync(dir, { recursive: true });
    const f = path.join(dir, 'log-1-2');
    const b = Buffer.concat([Buffer.from([0x44, 0x53, 0x57, 0x4c, 0, 9, 0, 0]), frameV1(Buffer.from('x'))]);
    fs.writeFileSync(f, b);
    expect(() => [...createLog(dir).readAll()]).toThrow(/format version 9; this build reads versions 1 and 2/);
    expect(fs.readFileSync(f)).toEqual(b);
  });
});

describe('FileBasedWriteAheadLog bad input', () => {
  test('an empty record round-trips', async () => {
    const wal = createLog(dir);
    const h = await wal.write(Buffer.alloc(0), 1000);
    const h2 = await wal.write(Buffer.from('after'), 1000);
    expect(h.length).toBe(0);
    expect((await wal.read(h)).length).toBe(0);
    await wal.close();
    expect(asStrings(createLog(dir).readAll())).toEqual(['', 'after']);
    expect((await FileBasedWriteAheadLog.readRecord(h2)).toString()).toBe('after');
  });

  test('a 64 MiB record round-trips', async () => {
    const big = Buffer.alloc(64 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const wal = createLog(dir);
    const [h1, h2] = await Promise.all([wal.write(big, 1000), wal.write(Buffer.from('small'), 1000)]);
    expect(h1.length).toBe(big.length);
    expect((await wal.read(h1)).equals(big)).toBe(true);
    await wal.close();
    const all = [...createLog(dir).readAll()];
    expect(all).toHaveLength(2);
    expect(all[0].equals(big)).toBe(true);
    expect(all[1].toString()).toBe('small');
    expect((await FileBasedWriteAheadLog.readRecord(h2)).toString()).toBe('small');
  });

  test('a missing folder is created (with its parents) on the first write', async () => {
    const deep = path.join(dir, 'a', 'b');
    const wal = createLog(deep);
    await wal.write(Buffer.from('x'), 1);
    await wal.close();
    expect(segmentFiles(deep)).toHaveLength(1);
  });

  test('a folder that cannot be created (a path under a regular file) fails the write, naming the folder', async () => {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const file = path.join(path.dirname(dir), 'plain-file');
    fs.writeFileSync(file, 'x');
    const wal = createLog(path.join(file, 'wal'), { maxFailures: 2 });
    await expect(wal.write(Buffer.from('x'), 1)).rejects.toThrow(
      new RegExp(`Failed to write to the write-ahead log in ${path.join(file, 'wal')} after 2 attempt\\(s\\): .*(ENOTDIR|EEXIST)`),
    );
    await wal.close();
  });

  test('a read-only folder (chattr +i, since tests run as root) fails the write, naming the folder', async () => {
    fs.mkdirSync(dir, { recursive: true });
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('chattr', ['+i', dir]);
    // chattr needs a file system with attributes (ext4 here); elsewhere use permissions (non-root runs).
    if (r.status !== 0) fs.chmodSync(dir, 0o555);
    try {
      const wal = createLog(dir);
      await expect(wal.write(Buffer.from('x'), 1)).rejects.toThrow(new RegExp(`write-ahead log in ${dir} after 1 attempt\\(s\\): (EPERM|EACCES)`));
      await wal.close();
    } finally {
      if (r.status === 0) spawnSync('chattr', ['-i', dir]);
      fs.chmodSync(dir, 0o755);
    }
    expect(r.status).toBe(0);
  });

  test('non-Buffer records, bad times and writes after close are rejected clearly', async () => {
    const wal = createLog(dir);
    await expect(wal.write('text' as never, 1)).rejects.toThrow('A write-ahead log record must be a Buffer, got string');
    await expect(wal.write(Buffer.from('x'), Number.NaN)).rejects.toThrow(/finite number of ms, got NaN/);
    const h = await wal.write(new Uint8Array([1, 2, 3]) as Buffer, 5);
    expect([...(await wal.read(h))]).toEqual([1, 2, 3]);
    await wal.close();
    await expect(wal.write(Buffer.from('x'), 7)).rejects.toThrow(IllegalStateException);
    await expect(wal.write(Buffer.from('x'), 7)).rejects.toThrow(`The write-ahead log in ${dir} is closed; cannot write the record with time 7`);
  });

  test('invalid options name the option', () => {
    expect(() => createLog(dir, { rollingIntervalSecs: 0 })).toThrow(/rollingIntervalSecs/);
    expect(() => createLog(dir, { maxFailures: 0 })).toThrow(/maxFailures/);
    expect(() => createLog(dir, { sync: 'always' as never })).toThrow(/sync/);
  });
});

describe('FileBasedWriteAheadLog group commit and concurrency', () => {
  test('concurrent writes share commits; records come back complete and in resolution order', async () => {
    const wal = createLog(dir, { rollingIntervalSecs: 3600 });
    const resolved: string[] = [];
    const writers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; i < 40; i++) {
        const payload = Buffer.alloc(1 + ((w * 131 + i * 17) % 5000), `${w}:${i};`);
        const h = await wal.write(payload, 1000);
        resolved.push(payload.toString('latin1'));
        expect(h.length).toBe(payload.length);
      }
    });
    await Promise.all(writers);
    expect(wal.stats.records).toBe(640);
    expect(wal.stats.commits).toBeLessThan(640 / 4);
    await wal.close();
    expect([...createLog(dir).readAll()].map((b) => b.toString('latin1'))).toEqual(resolved);
  });

  test('records written in one turn resolve in write order with consecutive offsets', async () => {
    const wal = createLog(dir);
    const hs = await Promise.all(Array.from({ length: 50 }, (_, i) => wal.write(Buffer.from(`r${i}`), 1000)));
    expect(wal.stats.commits).toBe(1);
    expect(wal.stats.syncs).toBe(1);
    for (let i = 1; i < hs.length; i++) expect(hs[i].offset).toBe(hs[i - 1].offset + FRAME_HEADER + hs[i - 1].length);
    await wal.close();
  });

  test('a group that spans the rolling boundary is split over two segments, both synced', async () => {
    const wal = createLog(dir);
    const hs = await Promise.all([wal.write(Buffer.from('a'), 1000), wal.write(Buffer.from('b'), 1500), wal.write(Buffer.from('c'), 2500)]);
    expect(hs.map((h) => path.basename(h.path))).toEqual(['log-1000-2000', 'log-1000-2000', 'log-2500-3500']);
    expect(wal.stats.syncs).toBe(2);
    await wal.close();
  });

  test('groupCommitBytes bounds a commit; sync=record commits every record alone', async () => {
    const capped = createLog(dir, { groupCommitBytes: 1000 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => capped.write(Buffer.alloc(300, i), 1000)));
    expect(capped.stats.commits).toBe(3); // 4 frames of 316 bytes reach 1000: 4 + 4 + 2
    await capped.close();
    const perRecord = createLog(path.join(dir, 'r'), { sync: 'record' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => perRecord.write(Buffer.alloc(30, i), 1000)));
    expect(perRecord.stats.commits).toBe(10);
    expect(perRecord.stats.syncs).toBe(10);
    await perRecord.close();
    const none = createLog(path.join(dir, 'n'), { sync: 'none' });
    await none.write(Buffer.from('x'), 1);
    expect(none.stats.syncs).toBe(0);
    await none.close();
  });

  test('a linger delay gathers records written in later turns into one commit', async () => {
    const wal = createLog(dir, { groupCommitDelayMs: 30 });
    const first = wal.write(Buffer.from('a'), 1000);
    await new Promise((r) => setImmediate(r));
    const second = wal.write(Buffer.from('b'), 1000);
    await Promise.all([first, second]);
    expect(wal.stats.commits).toBe(1);
    await wal.close();
  });

  test('close() commits pending writes before it resolves', async () => {
    const wal = createLog(dir);
    const writes = Array.from({ length: 5 }, (_, i) => wal.write(Buffer.from(`p${i}`), 1000));
    await wal.close();
    await expect(Promise.all(writes)).resolves.toHaveLength(5);
    expect(asStrings(createLog(dir).readAll())).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
  });

  test('options from SparkConf use the driver or receiver keys', () => {
    const conf = new SparkConf(false)
      .set('spark.streaming.receiver.writeAheadLog.rollingIntervalSecs', '7')
      .set('spark.streaming.driver.writeAheadLog.maxFailures', '9')
      .set('dstreams.wal.sync', 'record')
      .set('dstreams.wal.groupCommit.bytes', '64k')
      .set('dstreams.wal.groupCommit.delay', '3ms');
    expect(FileBasedWriteAheadLog.optionsFromConf(conf, false)).toEqual({
      rollingIntervalSecs: 7,
      maxFailures: 3,
      closeFileAfterWrite: false,
      sync: 'record',
      groupCommitBytes: 65536,
      groupCommitDelayMs: 3,
      skipCorruptRecords: false,
    });
    expect(FileBasedWriteAheadLog.optionsFromConf(conf, true)).toMatchObject({ rollingIntervalSecs: 60, maxFailures: 9 });
  });
});
