/**
 * Damage to the metadata log (`<checkpoint>/receivedBlockMetadata`) between a stop and a recovery: a torn tail,
 * a missing newest segment, a flipped bit in the middle of a segment. Each case either recovers correctly (the
 * re-run batches read the blocks the remaining log names, lost allocations are allocated again, the source is
 * resumed after the last block stored, no record is counted twice or lost) or fails with an error naming the
 * segment and the offset, and produces no output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getCheckpointFiles, Milliseconds, SparkConf, StorageLevel, StreamingContext } from '../../lib';
import { MetadataLogIncompleteException, ReceivedBlockTracker, Receiver, type SourceOffsets } from '../../receivers';
import { deserializeLogEvent } from '../../receivers/ReceivedBlockTrackerLogEvent';
import { SegmentScanner } from '../../wal/SegmentScanner';

const B = 1000;
const BLOCK = 3;
const TOTAL = 5 * BLOCK;
const rec = (i: number): string => `r${i}`;

/** A reliable receiver fed by the test: records `r<offset>` stored as one block with `{ from, until }`. */
class FedReceiver extends Receiver<string> {
  constructor() {
    super(StorageLevel.MEMORY_ONLY_SER);
  }
  onStart(): void {}
  onStop(): void {}
  /** Stores records [from, until) as one block (resolves once stored: WAL, metadata log). */
  feed(from: number, until: number): Promise<void> {
    const records: string[] = [];
    for (let i = from; i < until; i++) records.push(rec(i));
    return this.store(records, { from, until } satisfies SourceOffsets);
  }
  /** Where a replayable source resumes: after the last block stored (before the crash too). */
  resumeOffset(): number {
    return (this.lastStoredMetadata() as SourceOffsets | undefined)?.until ?? 0;
  }
}

interface Outputs {
  /** Batch time -> the records of that batch. */
  batches: Map<number, string[]>;
  /** Batch time -> the running count per record. */
  state: Map<number, Record<string, number>>;
}

function conf(): SparkConf {
  return new SparkConf(false)
    .setMaster('local[2]')
    .setAppName('MetadataLogDamage')
    .set('spark.streaming.clock', 'manual')
    .set('spark.streaming.receiver.writeAheadLog.enable', 'true')
    // One metadata log segment per second of (manual) time, so the log has several segments.
    .set('spark.streaming.driver.writeAheadLog.rollingIntervalSecs', '1');
}

let receiver: FedReceiver;

function create(cp: string, out: Outputs): () => StreamingContext {
  return () => {
    const ssc = new StreamingContext(conf(), Milliseconds(B));
    ssc.checkpoint(cp);
    receiver = new FedReceiver();
    const lines = ssc.receiverStream(receiver);
    lines.foreachRDD(async (rdd, time) => {
      out.batches.set(time.milliseconds, (await rdd.collect()).sort());
    });
    lines
      .map((r) => [r, 1] as [string, number])
      .updateStateByKey((vs: number[], s: number | undefined) => vs.reduce((a, b) => a + b, s ?? 0))
      .checkpoint(Milliseconds(B))
      .foreachRDD(async (rdd, time) => {
        out.state.set(time.milliseconds, Object.fromEntries(await rdd.collect()));
      });
    return ssc;
  };
}

const newOutputs = (): Outputs => ({ batches: new Map(), state: new Map() });

/**
 * The first run: blocks [0,3) [3,6) [6,9) go to batches 1000, 2000, 3000; [9,12) is stored but not allocated;
 * then an immediate stop (the checkpoint's time is 3000).
 */
async function firstRun(cp: string): Promise<Outputs> {
  const out = newOutputs();
  const ssc = StreamingContext.getOrCreate(cp, create(cp, out));
  await ssc.start();
  for (let b = 0; b < 3; b++) {
    await receiver.feed(b * BLOCK, (b + 1) * BLOCK);
    await ssc.step(1);
  }
  await receiver.feed(3 * BLOCK, 4 * BLOCK);
  await ssc.stop(true, false);
  return out;
}

function segments(cp: string): string[] {
  const dir = ReceivedBlockTracker.checkpointDirToLogDir(cp);
  return fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('log-'))
    .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))
    .map((n) => path.join(dir, n));
}

/** The events of one frame (the driver log batches events: 'DSBW' <n> <length × n> <records>). */
function eventsOf(payload: Buffer): string[] {
  if (payload.readUInt32BE(0) !== 0x44534257) return [describeEvent(payload)];
  const n = payload.readUInt32BE(4);
  const out: string[] = [];
  let at = 8 + 4 * n;
  for (let i = 0; i < n; i++) {
    const len = payload.readUInt32BE(8 + 4 * i);
    out.push(describeEvent(payload.subarray(at, at + len)));
    at += len;
  }
  return out;
}

function describeEvent(record: Buffer): string {
  const e = deserializeLogEvent(record);
  switch (e.kind) {
    case 'BlockAdditionEvent':
      return `add ${JSON.stringify(e.receivedBlockInfo.metadataOption)}`;
    case 'BatchAllocationEvent':
      return `allocate ${e.time.milliseconds}: ${[...e.allocatedBlocks.streamIdToAllocatedBlocks.values()].flat().map((b) => JSON.stringify(b.metadataOption)).join(' ')}`;
    case 'BatchCleanupEvent':
      return `cleanup ${e.times.map((t) => t.milliseconds).join(' ')}`;
  }
}

/** The frames of a segment: offset, end and the events in each. */
function frames(segment: string): Array<{ offset: number; end: number; events: string[] }> {
  const s = new SegmentScanner(segment, { onCorrupt: 'throw' });
  const out: Array<{ offset: number; end: number; events: string[] }> = [];
  for (let f = s.next(); f !== undefined; f = s.next()) {
    out.push({ offset: f.offset, end: f.offset + 12 + f.payload.length, events: eventsOf(Buffer.from(f.payload)) });
  }
  return out;
}

type Outcome = { recovered: true; out: Outputs; first: Outputs } | { recovered: false; error: Error; out: Outputs; first: Outputs };

/** Damages the log of a finished first run, recovers, resumes the source after the last block stored, runs 2 batches. */
async function recoverAfter(damage: (cp: string) => void): Promise<Outcome & { cp: string }> {
  const cp = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-metalog-'));
  const first = await firstRun(cp);
  damage(cp);
  const out = newOutputs();
  let ssc: StreamingContext | undefined;
  try {
    ssc = StreamingContext.getOrCreate(cp, create(cp, out));
    await ssc.start();
  } catch (e) {
    await ssc?.stop(true, false).catch(() => undefined);
    return { recovered: false, error: e as Error, out, first, cp };
  }
  // The replayable source sends what was not stored yet; then two new batches.
  const from = receiver.resumeOffset();
  if (from < TOTAL) await receiver.feed(from, TOTAL);
  await ssc.step(2);
  await ssc.stop(true, false);
  return { recovered: true, out, first, cp };
}

const all = Array.from({ length: TOTAL }, (_, i) => rec(i)).sort();

/** Recovered with right results: re-run batches as before, every record counted once, nothing output twice. */
function expectCorrectRecovery(o: Outcome): void {
  if (!o.recovered) throw new Error(`expected a recovery, got: ${o.error.message}`);
  // The batch at the checkpoint's time is re-run with the blocks it had.
  expect(o.out.batches.get(3000)).toEqual(o.first.batches.get(3000));
  // An idempotent sink keyed by batch time: the re-run batch replaces its first output. Every record once.
  const sink = new Map([...o.first.batches, ...o.out.batches]);
  expect([...sink.values()].flat().sort()).toEqual(all);
  // The state counts every record exactly once.
  const last = [...o.out.state.keys()].sort((a, b) => a - b).at(-1)!;
  expect(o.out.state.get(last)).toEqual(Object.fromEntries(all.map((r) => [r, 1])));
}

/** Failed before any batch ran, with an error naming the segment and the offset. */
function expectClearFailure(o: Outcome, segment: string, offset: number): void {
  if (o.recovered) throw new Error(`expected a failure, but recovered with batches ${JSON.stringify([...o.out.batches])}`);
  expect(o.error.message).toContain(segment);
  expect(o.error.message).toContain(`offset ${offset}`);
  expect((o.error as unknown as { segment: string }).segment).toBe(segment);
  expect((o.error as unknown as { offset: number }).offset).toBe(offset);
  expect(o.out.batches.size).toBe(0);
  expect(o.out.state.size).toBe(0);
}

function flipBit(segment: string, at: number): void {
  const b = fs.readFileSync(segment);
  b[at] ^= 0x10;
  fs.writeFileSync(segment, b);
}

const newest = (cp: string): string => segments(cp).at(-1)!;
const frameWith = (segment: string, prefix: string): { offset: number; end: number } => frames(segment).find((f) => f.events[0].startsWith(prefix))!;

describe('damaged metadata log: recovery falls back or fails clearly, never with wrong results', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const run = async (damage: (cp: string) => void): Promise<Outcome & { cp: string }> => {
    const o = await recoverAfter(damage);
    dirs.push(o.cp);
    return o;
  };

  test('the undamaged log: batch 3000 re-run with its blocks, the unallocated block in the next batch', async () => {
    let layout: string[][] = [];
    const o = await run((cp) => {
      layout = segments(cp).map((s) => frames(s).flatMap((f) => f.events));
    });
    // The log this suite damages: two segments (1 s each on the manual clock).
    expect(layout).toEqual([
      ['add {"from":0,"until":3}', 'allocate 1000: {"from":0,"until":3}', 'add {"from":3,"until":6}'],
      ['allocate 2000: {"from":3,"until":6}', 'add {"from":6,"until":9}', 'allocate 3000: {"from":6,"until":9}', 'add {"from":9,"until":12}'],
    ]);
    expectCorrectRecovery(o);
    expect(o.out.batches.get(4000)).toEqual(all.filter((r) => Number(r.slice(1)) >= 9));
  });

  test('torn tail (the newest segment cut in the middle of its last frame, as a crash mid-write leaves it): recovers; the lost block is received again', async () => {
    let seg = '';
    const o = await run((cp) => {
      seg = newest(cp);
      const last = frameWith(seg, 'add {"from":9');
      fs.truncateSync(seg, (last.offset + last.end) >> 1);
    });
    expectCorrectRecovery(o);
    // The torn frame was cut on open (the segment reads to its end); the source resumed after the last block the
    // log still names, so that block came again, in the next batch.
    const scan = new SegmentScanner(seg, { onCorrupt: 'throw' });
    while (scan.next() !== undefined);
    expect(scan.stoppedAt).toBeUndefined();
    expect(o.out.batches.get(4000)).toEqual(all.filter((r) => Number(r.slice(1)) >= 9));
  });

  test('a bit flipped in the newest segment\'s last frame (a torn last write): recovers like a torn tail', async () => {
    const o = await run((cp) => {
      const last = frameWith(newest(cp), 'add {"from":9');
      flipBit(newest(cp), (last.offset + last.end) >> 1);
    });
    expectCorrectRecovery(o);
  });

  test('the newest segment cut inside the allocation of the checkpoint\'s batch: fails, naming where the log ends', async () => {
    let seg = '';
    let at = 0;
    const o = await run((cp) => {
      seg = newest(cp);
      const f = frameWith(seg, 'allocate 3000');
      at = f.offset;
      fs.truncateSync(seg, (f.offset + f.end) >> 1);
    });
    // Re-allocating the queued blocks to batch 3000 is not safe in general (blocks added after the lost allocation
    // would join it), so recovery stops.
    expectClearFailure(o, seg, at);
    expect(o.recovered || o.error.message).toMatch(/no block allocation for batch 3000 ms/);
  });

  test('the newest segment cut inside an earlier block addition: fails (else that block would be counted twice)', async () => {
    let seg = '';
    let at = 0;
    const o = await run((cp) => {
      seg = newest(cp);
      const f = frameWith(seg, 'add {"from":6');
      at = f.offset;
      fs.truncateSync(seg, (f.offset + f.end) >> 1);
    });
    expectClearFailure(o, seg, at);
  });

  test('the newest segment deleted: fails, naming the segment the log now ends with', async () => {
    let older = '';
    const o = await run((cp) => {
      older = segments(cp)[0];
      fs.rmSync(newest(cp));
    });
    expectClearFailure(o, older, fs.statSync(older).size);
    expect(o.recovered || o.error.message).toMatch(/after the allocation of batch 1000 ms/);
  });

  test('a bit flipped in the middle of the older segment: fails with the segment and the frame\'s offset', async () => {
    let seg = '';
    let at = 0;
    const o = await run((cp) => {
      seg = segments(cp)[0];
      const f = frameWith(seg, 'allocate 1000');
      at = f.offset;
      flipBit(seg, (f.offset + f.end) >> 1);
    });
    expectClearFailure(o, seg, at);
    expect(o.recovered || o.error.message).toMatch(/CRC mismatch/);
  });

  test('a bit flipped in the middle of the newest segment (a frame followed by intact ones): fails the same way', async () => {
    let seg = '';
    let at = 0;
    const o = await run((cp) => {
      seg = newest(cp);
      const f = frameWith(seg, 'add {"from":6');
      at = f.offset;
      flipBit(seg, (f.offset + f.end) >> 1);
    });
    expectClearFailure(o, seg, at);
  });
});

describe('a metadata log newer than the checkpoint recovered from', () => {
  test('newer checkpoint files lost, the log cleaned the older batch\'s allocation: fails, saying the log is ahead of the checkpoint', async () => {
    const cp = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-metalog-'));
    try {
      const first = newOutputs();
      const ssc = StreamingContext.getOrCreate(cp, create(cp, first));
      await ssc.start();
      for (let b = 0; b < 8; b++) {
        await receiver.feed(b * BLOCK, (b + 1) * BLOCK);
        await ssc.step(1);
      }
      await ssc.stop(true, false);
      const cleaned = segments(cp).flatMap((s) => frames(s).flatMap((f) => f.events)).filter((e) => e.startsWith('cleanup'));
      // Only the oldest checkpoint kept is left, one whose batch allocation the log has cleaned since.
      const oldest = Math.min(...getCheckpointFiles(cp).map((f) => f.timeMs));
      expect(cleaned).toContain(`cleanup ${oldest}`);
      for (const f of getCheckpointFiles(cp)) if (f.timeMs > oldest) fs.rmSync(f.path);
      const out = newOutputs();
      const again = StreamingContext.getOrCreate(cp, create(cp, out));
      let error: Error | undefined;
      try {
        await again.start();
      } catch (e) {
        error = e as Error;
      }
      await again.stop(true, false).catch(() => undefined);
      expect(error).toBeInstanceOf(MetadataLogIncompleteException);
      expect(error?.message).toMatch(new RegExp(`no block allocation for batch ${oldest} ms.*newer than the checkpoint recovered from`));
      expect(out.batches.size).toBe(0);
    } finally {
      fs.rmSync(cp, { recursive: true, force: true });
    }
  });
});
