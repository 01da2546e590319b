/**
 * A probe of the WAL replay path alone (for profiling the recovery benchmark's replay figure): writes `--mb` MB of
 * 10,000-line blocks (the receiver's format) to a receiver WAL, then times, cold (page cache dropped) and warm:
 * a plain sequential read of the segment, `count()` over a WriteAheadLogBackedBlockRDD of every block (all read from
 * the WAL), the record reads alone (FileBasedWriteAheadLog.readRecord), and the decoding alone.
 *
 *   npx tsx benchmarks/recovery/replayProbe.ts [--mb 300] [--dir <existing WAL dir>] [--reps 2]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SparkConf, SparkContext } from '../../lib';
import { BlockSerializer } from '../../lib/storage/BlockSerializer';
import { StreamBlockId } from '../../lib/storage/BlockId';
import { WriteAheadLogBackedBlockRDD } from '../../receivers';
import { pushBlockBytes } from '../../receivers/rdd/readBlock';
import { FileBasedWriteAheadLog } from '../../wal/FileBasedWriteAheadLog';
import type { FileBasedWriteAheadLogSegment } from '../../wal/FileBasedWriteAheadLogSegment';
import { SegmentScanner } from '../../wal/SegmentScanner';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const MB = Number(arg('mb', '300'));
const REPS = Number(arg('reps', '2'));
const MiB = 2 ** 20;
const PAYLOAD = 'event-payload-'.padEnd(90, 'abcdefghijklmnopqrstuvwxyz0123456789');
const lineAt = (i: number): string => `u${String((Math.imul(i, 0x9e3779b1) >>> 0) % 1_000_000).padStart(7, '0')} ${PAYLOAD.slice(i % 90)}${PAYLOAD.slice(0, i % 90)}`;

function drop(): boolean {
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

async function writeWal(dir: string): Promise<void> {
  const wal = new FileBasedWriteAheadLog(dir, { rollingIntervalSecs: 3600 });
  const records = Math.ceil((MB * 1e6) / 100);
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < records; i += 10_000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(records, i + 10_000); j++) lines.push(lineAt(j));
    pending.push(wal.write(BlockSerializer.serialize(lines), 1000));
    if (pending.length >= 16) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  await wal.close();
}

function handlesOf(dir: string): FileBasedWriteAheadLogSegment[] {
  const out: FileBasedWriteAheadLogSegment[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.startsWith('log-')).sort()) {
    const p = path.join(dir, name);
    const s = new SegmentScanner(p, { onCorrupt: 'throw' });
    for (let f = s.next(); f !== undefined; f = s.next()) out.push({ path: p, offset: f.offset, length: f.payload.length });
  }
  return out;
}

async function main(): Promise<void> {
  const own = arg('dir', '') === '';
  const dir = own ? fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-replay-probe-')) : arg('dir', '');
  try {
    if (own) await writeWal(dir);
    const handles = handlesOf(dir);
    const bytes = handles.reduce((s, h) => s + h.length + 12, 0);
    const files = [...new Set(handles.map((h) => h.path))];
    const sc = new SparkContext(new SparkConf(false).setMaster('local[2]').setAppName('replayProbe'));
    const rate = (ms: number): number => Math.round(bytes / MiB / (ms / 1000));
    const time = async (label: string, cold: boolean, fn: () => Promise<unknown> | unknown): Promise<void> => {
      for (let r = 0; r < REPS; r++) {
        const dropped = cold ? drop() : false;
        const t0 = performance.now();
        const v = await fn();
        const ms = performance.now() - t0;
        console.log(`${label.padEnd(34)} ${cold ? (dropped ? 'cold' : 'COLD?') : 'warm'} ${String(Math.round(ms)).padStart(6)} ms ${String(rate(ms)).padStart(6)} MiB/s  ${String(v ?? '')}`);
      }
    };
    const seqRead = (): number => {
      const buf = Buffer.allocUnsafe(8 * MiB);
      let n = 0;
      for (const f of files) {
        const fd = fs.openSync(f, 'r');
        for (let r; (r = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) n += r;
        fs.closeSync(fd);
      }
      return n;
    };
    const rdd = (): WriteAheadLogBackedBlockRDD<string> =>
      new WriteAheadLogBackedBlockRDD<string>(sc, handles.map((_, i) => new StreamBlockId(0 as never, i)), handles, handles.map(() => false));
    const readAll = async (): Promise<number> => {
      let n = 0;
      for (const h of handles) n += (await FileBasedWriteAheadLog.readRecord(h)).length;
      return n;
    };
    console.log(`${handles.length} records, ${Math.round(bytes / 1e6)} MB in ${files.length} segment(s)`);
    await time('sequential read 8 MiB chunks', true, seqRead);
    await time('sequential read 8 MiB chunks', false, seqRead);
    await time('count() over WAL-backed RDD', true, () => rdd().count());
    await time('count() over WAL-backed RDD', false, () => rdd().count());
    await time('readRecord one by one', true, readAll);
    await time('readRecord one by one', false, readAll);
    const blocks: Buffer[] = [];
    for (const h of handles.slice(0, 200)) blocks.push(await FileBasedWriteAheadLog.readRecord(h));
    const part = blocks.reduce((s, b) => s + b.length, 0) / bytes;
    const decode = (): number => {
      let n = 0;
      const sink = (): void => {
        n++;
      };
      for (const b of blocks) pushBlockBytes(b, sink);
      return n;
    };
    for (let r = 0; r < REPS; r++) {
      const t0 = performance.now();
      const n = decode();
      const ms = (performance.now() - t0) / part;
      console.log(`${'decode only (200 blocks, scaled)'.padEnd(34)} warm ${String(Math.round(ms)).padStart(6)} ms ${String(rate(ms)).padStart(6)} MiB/s  ${n}`);
    }
    sc.stop();
  } finally {
    if (own) fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
