/**
 * Damage a crash cannot cause, on real files: a zeroed or damaged segment header, a bad last frame of a segment that
 * is no longer being written, segments deleted from the middle, copied or renamed, and frames embedded in payloads.
 * None of it is ever cut on open or read silently: reads fail with an error naming the segment and the offset, or
 * with `skipCorruptRecords` skip exactly the damage, report it, and return every intact record once, in order.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setLogLevel } from '../../lib/core/logging';
import { collect, dstreams, exitCode } from '../cli/cliHelpers';
import { FileBasedWriteAheadLog, type FileBasedWriteAheadLogOptions } from '../../wal/FileBasedWriteAheadLog';
import type { FileBasedWriteAheadLogSegment } from '../../wal/FileBasedWriteAheadLogSegment';
import { WriteAheadLogCorruptionError, WriteAheadLogSegmentError } from '../../wal/WriteAheadLogErrors';
import { FRAME_HEADER, frameV1, frameV2, readHeaderManually, readSegmentManually, removeDir, segmentFiles, tempDir, V1_FRAME_HEADER, writeSegment } from './walTestKit';

let dir: string;
beforeAll(() => setLogLevel('silent'));
afterAll(() => setLogLevel((process.env.DSTREAMS_LOG_LEVEL as 'warn') ?? 'warn'));
beforeEach(() => {
  dir = path.join(tempDir('wal-damage-'), 'wal');
});
afterEach(() => removeDir(path.dirname(dir)));

const open = (options: Partial<FileBasedWriteAheadLogOptions> = {}): FileBasedWriteAheadLog => new FileBasedWriteAheadLog(dir, { rollingIntervalSecs: 1, ...options });
const skipping = (): FileBasedWriteAheadLog => open({ skipCorruptRecords: true });

const record = (i: number): Buffer => Buffer.from(`record-${i}-${'x'.repeat(20 + ((i * 13) % 40))}`);

/** `segments` segments of 3 records each (times 1000, 3000, 5000, ...: one segment per time). */
async function writeLog(segments = 3): Promise<{ records: string[]; handles: FileBasedWriteAheadLogSegment[]; files: string[] }> {
  const wal = open();
  const handles: FileBasedWriteAheadLogSegment[] = [];
  const records: string[] = [];
  for (let i = 0; i < segments * 3; i++) {
    records.push(record(i).toString());
    handles.push(await wal.write(record(i), 1000 + 2000 * Math.floor(i / 3)));
  }
  await wal.close();
  const files = segmentFiles(dir);
  expect(files).toHaveLength(segments);
  return { records, handles, files };
}

function readAllOf(wal: FileBasedWriteAheadLog): { records: string[]; error: (Error & Record<string, unknown>) | undefined } {
  const records: string[] = [];
  try {
    for (const r of wal.readAll()) records.push(r.toString());
    return { records, error: undefined };
  } catch (error) {
    return { records, error: error as Error & Record<string, unknown> };
  }
}

function patch(file: string, at: number, bytes: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, at);
  fs.closeSync(fd);
}

function flipBit(file: string, at: number): void {
  const b = fs.readFileSync(file);
  b[at] ^= 0x04;
  fs.writeFileSync(file, b);
}

describe('a damaged segment header (a crash tears only the end of the segment being written)', () => {
  test("zeroing the newest segment's 8-byte header: nothing cut; reads fail naming the segment and offset 0; handles read; skipping reads all", async () => {
    const { records, handles, files } = await writeLog();
    const newest = files[2];
    const size = fs.statSync(newest).size;
    patch(newest, 0, Buffer.alloc(8));
    const wal = open();
    expect(fs.statSync(newest).size).toBe(size);
    expect(wal.recoveryReport.damage).toEqual([expect.objectContaining({ segment: newest, offset: 0, kind: 'bad-segment', action: 'error' })]);
    const { records: got, error } = readAllOf(wal);
    expect(got).toEqual(records.slice(0, 6));
    expect(error).toBeInstanceOf(WriteAheadLogSegmentError);
    expect(error).toMatchObject({ segment: newest, offset: 0 });
    expect(error?.message).toContain(`Write-ahead log segment ${newest} is unreadable at offset 0: zeroed segment header; intact records follow`);
    for (const h of handles.slice(6)) expect((await wal.read(h)).toString()).toBe(records[handles.indexOf(h)]);
    await wal.close();

    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records, error: undefined });
    expect(skip.recoveryReport.damage).toEqual([expect.objectContaining({ segment: newest, offset: 0, kind: 'bad-segment', action: 'skipped' })]);
    // New records go to a new segment, which follows the damaged one without a sequence break.
    await skip.write(Buffer.from('after'), 5000);
    await skip.close();
    expect(segmentFiles(dir)).toHaveLength(4);
    const again = skipping();
    expect(readAllOf(again)).toEqual({ records: [...records, 'after'], error: undefined });
    expect(again.recoveryReport.damage.map((d) => d.kind)).toEqual(['bad-segment']);
  });

  test('the same damage to an older segment is an error too, not records skipped with an info log', async () => {
    const { records, files } = await writeLog();
    patch(files[1], 0, Buffer.alloc(8));
    const { records: got, error } = readAllOf(open());
    expect(got).toEqual(records.slice(0, 3));
    expect(error).toMatchObject({ segment: files[1], offset: 0 });
    expect(error).toBeInstanceOf(WriteAheadLogSegmentError);
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records, error: undefined });
    expect(skip.recoveryReport.damage).toEqual([expect.objectContaining({ segment: files[1], kind: 'bad-segment', action: 'skipped' })]);
  });

  test('zeroed header and first frame: the other intact frames are kept (not cut); their loss when skipping is reported', async () => {
    const { records, files } = await writeLog();
    const newest = files[2];
    const [first] = readSegmentManually(newest);
    const size = fs.statSync(newest).size;
    patch(newest, 0, Buffer.alloc(first.end));
    const wal = open();
    expect(fs.statSync(newest).size).toBe(size);
    const { records: got, error } = readAllOf(wal);
    expect(got).toEqual(records.slice(0, 6));
    expect(error).toMatchObject({ segment: newest, offset: 0 });
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records: records.slice(0, 6), error: undefined });
    expect(skip.recoveryReport.damage).toEqual([expect.objectContaining({ segment: newest, offset: 0, bytes: size, kind: 'bad-segment', action: 'skipped' })]);
    expect(skip.recoveryReport.damage[0].reason).toMatch(/first frame is damaged too, so the segment's salt is unknown/);
  });

  test('a crash while creating a segment (zeros where the header goes, nothing intact after) is still cut and reused', async () => {
    const { records, files } = await writeLog(2);
    const created = path.join(dir, 'log-9000-10000');
    fs.writeFileSync(created, Buffer.alloc(4096));
    const wal = open();
    expect(wal.recoveryReport.damage).toEqual([expect.objectContaining({ segment: created, offset: 0, bytes: 4096, kind: 'torn-tail', action: 'truncated' })]);
    expect(fs.statSync(created).size).toBe(0);
    expect(readAllOf(wal)).toEqual({ records, error: undefined });
    const h = await wal.write(Buffer.from('again'), 9000);
    await wal.close();
    expect(h.path).toBe(created);
    expect(readHeaderManually(created)).toMatchObject({ version: 2, sequence: 3 });
    expect(readAllOf(open())).toEqual({ records: [...records, 'again'], error: undefined });
    expect(files).toHaveLength(2);
  });
});

describe('damage at the end of a segment that is no longer being written', () => {
  const damages: Array<[string, (file: string) => void, RegExp]> = [
    ['a bit flipped in its last frame', (f) => flipBit(f, readSegmentManually(f).at(-1)!.end - 3), /payload CRC mismatch .*no intact frame after it, and the segment is not the one being written/],
    ['cut inside its last frame', (f) => fs.truncateSync(f, readSegmentManually(f).at(-1)!.end - 3), /partial frame .*a crash cannot tear it/],
    ['garbage appended', (f) => fs.appendFileSync(f, 'This line appended to file!'), /a crash cannot tear it/],
  ];
  test.each(damages)('%s: an error naming the segment and offset, or with skipping a warning in the report', async (_what, damage, reason) => {
    const { records, files } = await writeLog();
    const older = files[0];
    const frames = readSegmentManually(older);
    damage(older);
    const bytes = fs.readFileSync(older);
    // Damage in the last frame loses that record; appended bytes lose nothing.
    const lastIntact = readSegmentManually(older).length === frames.length;
    const at = lastIntact ? frames.at(-1)!.end : frames.at(-1)!.offset;
    const wal = open();
    const { records: got, error } = readAllOf(wal);
    expect(fs.readFileSync(older)).toEqual(bytes);
    expect(got).toEqual(records.slice(0, lastIntact ? 3 : 2));
    expect(error).toBeInstanceOf(WriteAheadLogCorruptionError);
    expect(error).toMatchObject({ segment: older, offset: at });
    expect(error?.message).toMatch(reason);
    expect(wal.recoveryReport.damage).toEqual([expect.objectContaining({ segment: older, offset: at, kind: 'corrupt-frame', action: 'error' })]);
    const skip = skipping();
    const kept = lastIntact ? records : records.filter((_, i) => i !== 2);
    expect(readAllOf(skip)).toEqual({ records: kept, error: undefined });
    expect(skip.recoveryReport.damage).toEqual([
      expect.objectContaining({ segment: older, offset: at, bytes: bytes.length - at, kind: 'corrupt-frame', action: 'skipped' }),
    ]);
  });
});

describe('what a restarted program logs (default level)', () => {
  function readInChild(mode: 'strict' | 'skip'): { out: Record<string, unknown>; logs: Array<Record<string, unknown>> } {
    const env = { ...process.env };
    delete env.DSTREAMS_LOG_LEVEL;
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'walReaderChild.ts'), dir, mode], {
      cwd: path.resolve(__dirname, '../..'),
      env,
      encoding: 'utf8',
    });
    const logs = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { out: JSON.parse(r.stdout) as Record<string, unknown>, logs };
  }

  test('a bad last frame of an older segment: an error log (strict), a warning (skipping); never an info log', async () => {
    const { files } = await writeLog();
    flipBit(files[0], readSegmentManually(files[0]).at(-1)!.end - 3);
    const strict = readInChild('strict');
    expect(strict.out).toMatchObject({ records: 2, error: 'WriteAheadLogCorruptionError' });
    expect(strict.logs).toEqual([
      expect.objectContaining({ level: 50, component: 'FileBasedWriteAheadLog', segment: files[0], kind: 'corrupt-frame', action: 'error', msg: 'write-ahead log: damaged data' }),
    ]);
    const skip = readInChild('skip');
    expect(skip.out).toEqual({ records: 8 });
    expect(skip.logs).toEqual([
      expect.objectContaining({ level: 40, segment: files[0], kind: 'corrupt-frame', action: 'skipped', msg: 'write-ahead log: skipped damaged data (dstreams.wal.skipCorruptRecords)' }),
    ]);
  });
});

describe('segments deleted from the middle, copied or renamed', () => {
  test('a segment deleted from the middle: reads fail naming the gap and both neighbours; skipping reads on and reports it', async () => {
    const { records, files } = await writeLog(4);
    fs.unlinkSync(files[1]);
    const { records: got, error } = readAllOf(open());
    expect(got).toEqual(records.slice(0, 3));
    expect(error).toBeInstanceOf(WriteAheadLogSegmentError);
    expect(error).toMatchObject({ name: 'WriteAheadLogSequenceError', kind: 'missing-segment', segment: files[2], other: files[0] });
    expect(error?.message).toContain(
      `Write-ahead log segments out of sequence: log-5000-6000 (sequence 3) follows log-1000-2000 (sequence 1) in ${dir}: sequence 2 is missing (a segment deleted from the middle of the log)`,
    );
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records: [...records.slice(0, 3), ...records.slice(6)], error: undefined });
    expect(skip.recoveryReport.damage).toEqual([expect.objectContaining({ segment: files[2], other: files[0], kind: 'missing-segment', action: 'skipped' })]);
  });

  test('dstreams inspect names the break on the segment after the gap', async () => {
    const cp = path.dirname(dir);
    dir = path.join(cp, 'receivedBlockMetadata');
    const { files } = await writeLog(3);
    fs.unlinkSync(files[1]);
    const child = dstreams(['inspect', cp]);
    const out = collect(child.stdout);
    expect(await exitCode(child)).toBe(0);
    expect(out.text()).toContain('Write-ahead log receivedBlockMetadata: 2 segment(s)');
    expect(out.text()).toMatch(/log-1000-2000 +\d+ B {2}3 records\n/);
    expect(out.text()).toMatch(
      /log-5000-6000 +\d+ B {2}3 records {2}missing-segment: log-5000-6000 \(sequence 3\) follows log-1000-2000 \(sequence 1\) in \S+: sequence 2 is missing/,
    );
  });

  test('deleting the oldest segments (as cleaning does) is normal', async () => {
    const { records, files } = await writeLog(4);
    fs.unlinkSync(files[0]);
    fs.unlinkSync(files[1]);
    const wal = open();
    expect(readAllOf(wal)).toEqual({ records: records.slice(6), error: undefined });
    expect(wal.recoveryReport.damage).toEqual([]);
  });

  test.each([
    ['after the last segment', 'log-9000-10000'],
    ['between two segments', 'log-4000-4500'],
  ])('a segment copied under another name (%s): named with its original; skipping returns its records once', async (_where, copyName) => {
    const { records, files } = await writeLog();
    const copy = path.join(dir, copyName);
    fs.copyFileSync(files[0], copy);
    const { records: got, error } = readAllOf(open());
    expect(error).toMatchObject({ name: 'WriteAheadLogSequenceError', kind: 'duplicate-segment', segment: copy, other: files[0] });
    expect(error?.message).toContain(`${copyName} has the sequence number 1 of log-1000-2000 in ${dir}: one is a copy of the other`);
    expect(got).toEqual(copyName === 'log-9000-10000' ? records : records.slice(0, 6));
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records, error: undefined });
    expect(skip.recoveryReport.damage).toEqual([expect.objectContaining({ segment: copy, kind: 'duplicate-segment', action: 'skipped' })]);
    // New records never go into the copy.
    const h = await skip.write(Buffer.from('after'), 9000);
    expect(h.path).not.toBe(copy);
    await skip.close();
  });

  test('a copy whose header is unreadable is still known, by its salt', async () => {
    const { records, files } = await writeLog();
    const copy = path.join(dir, 'log-9000-10000');
    fs.copyFileSync(files[1], copy);
    patch(copy, 0, Buffer.alloc(8));
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records, error: undefined });
    expect(skip.recoveryReport.damage).toEqual([expect.objectContaining({ segment: copy, other: files[1], kind: 'duplicate-segment', action: 'skipped' })]);
  });

  test('two segments swapped (renamed): reads fail naming both; skipping reads them in write order', async () => {
    const { records, files } = await writeLog();
    const tmp = path.join(dir, 'tmp');
    fs.renameSync(files[0], tmp);
    fs.renameSync(files[1], files[0]);
    fs.renameSync(tmp, files[1]);
    const { records: got, error } = readAllOf(open());
    expect(got).toEqual([]);
    expect(error).toMatchObject({ name: 'WriteAheadLogSequenceError', kind: 'misordered-segment', segment: files[1], other: files[0] });
    expect(error?.message).toContain(`log-3000-4000 (sequence 1) sorts after log-1000-2000 (sequence 2) in ${dir}: renamed or moved`);
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records, error: undefined });
    expect(skip.recoveryReport.damage.map((d) => d.kind)).toEqual(['misordered-segment']);
  });

  test("a renamed segment whose header is unreadable is placed by its successor's header (which names its salt)", async () => {
    const { records, files } = await writeLog();
    patch(files[0], 0, Buffer.alloc(8));
    const tmp = path.join(dir, 'tmp');
    fs.renameSync(files[0], tmp);
    fs.renameSync(files[1], files[0]);
    fs.renameSync(tmp, files[1]);
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records, error: undefined });
    expect(skip.recoveryReport.damage.map((d) => [path.basename(d.segment), d.kind])).toEqual([
      ['log-3000-4000', 'misordered-segment'],
      ['log-3000-4000', 'bad-segment'],
    ]);
    expect(readAllOf(open()).error).toMatchObject({ kind: 'misordered-segment', segment: files[1] });
  });

  test('a segment with an unreadable header where the sequence has no room for it is skipped, never read out of order', async () => {
    const { records, files } = await writeLog();
    // The newest segment, header zeroed, copied to a name between the first two: no header names its salt there.
    const stray = path.join(dir, 'log-2000-2500');
    fs.copyFileSync(files[2], stray);
    fs.unlinkSync(files[2]);
    patch(stray, 0, Buffer.alloc(8));
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records: records.slice(0, 6), error: undefined });
    expect(skip.recoveryReport.damage).toContainEqual(expect.objectContaining({ segment: stray, kind: 'misordered-segment', action: 'skipped' }));
    expect(skip.recoveryReport.damage.find((d) => d.kind === 'misordered-segment')?.reason).toMatch(/where the sequence has no room for it: its place in the log is unknown/);
  });

  test('cleaning deletes a prefix of the log only, so it never leaves a gap', async () => {
    // A segment with a long span, then (rolling interval shortened, clock behind) one that ends before it.
    const first = new FileBasedWriteAheadLog(dir, { rollingIntervalSecs: 10 });
    await first.write(Buffer.from('a'), 1000);
    await first.close();
    const wal = open();
    await wal.write(Buffer.from('b'), 500);
    await wal.write(Buffer.from('c'), 3000);
    // The new segment sorts after the existing one (its start is raised), so name order stays write order.
    expect(segmentFiles(dir).map((f) => path.basename(f))).toEqual(['log-1000-11000', 'log-1001-1500', 'log-3000-4000']);
    await wal.clean(5000, true);
    await wal.close();
    expect(segmentFiles(dir).map((f) => path.basename(f))).toEqual(['log-1000-11000', 'log-1001-1500', 'log-3000-4000']);
    const again = open();
    expect(readAllOf(again)).toEqual({ records: ['a', 'b', 'c'], error: undefined });
    expect(again.recoveryReport.damage).toEqual([]);
    await again.write(Buffer.from('d'), 20_000);
    await again.clean(12_000, true);
    expect(segmentFiles(dir).map((f) => path.basename(f))).toEqual(['log-20000-21000']);
    await again.close();
    expect(readAllOf(open())).toEqual({ records: ['d'], error: undefined });
  });

  test('failed writes (a real EFBIG past a file size limit) abandon segments without leaving a gap in the sequence', async () => {
    const r = spawnSync('prlimit', ['--fsize=4096', process.execPath, '--import', 'tsx', path.join(__dirname, 'fixtures', 'walWriteFailureChild.ts'), dir], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DSTREAMS_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i: number; h?: FileBasedWriteAheadLogSegment; error?: string });
    // The 1500-byte record crosses the limit in the first segment and goes to a new one; the 5000-byte record fails in
    // every segment (the one made for its retry is removed again); the last record takes the removed one's number.
    expect(lines.map((l) => (l.error ? 'failed' : path.basename(l.h!.path)))).toEqual([
      'log-1000-2000',
      'log-1000-2000',
      'log-1000-2000',
      'log-1001-2000',
      'failed',
      'log-1002-2000',
    ]);
    expect(lines[4].error).toMatch(/after 2 attempt\(s\): EFBIG/);
    const headers = segmentFiles(dir).map((f) => readHeaderManually(f) as { sequence: number; salt: number; previousSalt: number });
    expect(headers.map((h) => h.sequence)).toEqual([1, 2, 3]);
    expect(headers.map((h) => h.previousSalt)).toEqual([0, headers[0].salt, headers[1].salt]);
    const wal = open();
    expect(wal.recoveryReport.damage).toEqual([]);
    expect([...wal.readAll()].map((b) => [b.length, b[0]])).toEqual([
      [1000, 1],
      [1000, 2],
      [1000, 3],
      [1500, 4],
      [100, 6],
    ]);
  });

  test('a log of format-1 segments (written before sequence numbers) still reads, and new segments follow it', async () => {
    fs.mkdirSync(dir, { recursive: true });
    writeSegment(path.join(dir, 'log-1000-2000'), [Buffer.from('old-1'), Buffer.from('old-2')], 'v1');
    writeSegment(path.join(dir, 'log-3000-4000'), [Buffer.from('old-3')], 'v1');
    const wal = open();
    expect(wal.recoveryReport.damage).toEqual([]);
    expect(readAllOf(wal)).toEqual({ records: ['old-1', 'old-2', 'old-3'], error: undefined });
    const h = await wal.write(Buffer.from('new'), 2000);
    await wal.close();
    expect(path.basename(h.path)).toBe('log-3001-3001');
    expect(readHeaderManually(h.path)).toMatchObject({ version: 2, sequence: 1 });
    const again = open();
    expect(readAllOf(again)).toEqual({ records: ['old-1', 'old-2', 'old-3', 'new'], error: undefined });
    expect(again.recoveryReport.damage).toEqual([]);
    expect((await again.read(h)).toString()).toBe('new');
  });
});

describe('resynchronisation after a damaged frame header', () => {
  test('a payload embedding valid-looking frames is never returned as a record', async () => {
    const wal = open({ rollingIntervalSecs: 100 });
    const h1 = await wal.write(Buffer.from('first record'), 1000);
    const file = h1.path;
    const format = readHeaderManually(file);
    const hs = format.version === 2 ? FRAME_HEADER : V1_FRAME_HEADER;
    // Where the second record's payload will be: right after the first frame, then its own frame header.
    const payloadAt = h1.offset + hs + h1.length + hs;
    const parts: Buffer[] = [Buffer.from('user data: ')];
    let at = payloadAt + parts[0].length;
    const embed = (b: Buffer): void => {
      parts.push(b);
      at += b.length;
    };
    embed(frameV1(Buffer.from('FORGED format-1 frame')));
    // A format-2 frame made for its exact offset, with a salt that is not the segment's.
    const otherSalt = format.version === 2 ? (format.salt ^ 0x1) >>> 0 || 7 : 7;
    embed(frameV2(Buffer.from('FORGED frame for this offset'), at, otherSalt));
    // The first record's own frame (right salt), copied to another place.
    embed(fs.readFileSync(file).subarray(h1.offset, h1.offset + hs + h1.length));
    embed(Buffer.from(' end of user data'));
    const h2 = await wal.write(Buffer.concat(parts), 1000);
    expect(h2.offset + hs).toBe(payloadAt);
    await wal.write(Buffer.from('third record'), 1000);
    await wal.close();
    // Damage the second frame's length: the scan must find where the next frame starts.
    flipBit(file, h2.offset + 1);

    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records: ['first record', 'third record'], error: undefined });
    expect(skip.recoveryReport.damage).toEqual([expect.objectContaining({ segment: file, offset: h2.offset, kind: 'corrupt-frame', action: 'skipped' })]);
    const strict = readAllOf(open());
    expect(strict.records).toEqual(['first record']);
    expect(strict.error).toBeInstanceOf(WriteAheadLogCorruptionError);
    expect(strict.error).toMatchObject({ segment: file, offset: h2.offset });
  });

  test('a format-1 segment is not resynchronised after a damaged frame header: the rest is reported, never guessed', () => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'log-1000-2000');
    const forged = Buffer.concat([Buffer.from('data '), frameV1(Buffer.from('FORGED')), Buffer.from(' data')]);
    writeSegment(file, [Buffer.from('one'), forged, Buffer.from('three')], 'v1');
    const second = readSegmentManually(file)[1].offset;
    flipBit(file, second + 1);
    writeSegment(path.join(dir, 'log-3000-4000'), [Buffer.from('four')], 'v1');
    fs.utimesSync(file, new Date(0), new Date(0));
    const skip = skipping();
    expect(readAllOf(skip)).toEqual({ records: ['one', 'four'], error: undefined });
    expect(skip.recoveryReport.damage).toEqual([
      expect.objectContaining({ segment: file, offset: second, bytes: fs.statSync(file).size - second, kind: 'corrupt-frame', action: 'skipped' }),
    ]);
    expect(skip.recoveryReport.damage[0].reason).toMatch(/format-1 segment cannot be resynchronised safely/);
  });
});
