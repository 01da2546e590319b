import { KeyMap } from '../../rdd/KeyMap';
import type { RDD } from '../../rdd/RDD';
import { ReducedWindowedDStream } from '../../streaming/dstream/ReducedWindowedDStream';
import { WindowedDStream } from '../../streaming/dstream/WindowedDStream';
import type { PartitionJson, WindowJson, WindowKeyJson } from './CaptureJson';
import { readIfCheap } from './CheapRead';
import type { RDDsAt } from './RDDSnapshot';
import { elementText } from './RDDTap';

export type WindowStream = WindowedDStream<unknown> | ReducedWindowedDStream<unknown, unknown>;

export function isWindowStream(s: unknown): s is WindowStream {
  return s instanceof WindowedDStream || s instanceof ReducedWindowedDStream;
}

/** `from, from + step, ..., to`, keeping times after the zero time. */
function times(from: number, to: number, step: number, zero: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += step) if (t > zero) out.push(t);
  return out;
}

/** The window's shape, from its durations only. */
export function windowInfo(s: WindowStream): { windowMs: number; slideMs: number; incremental: boolean } {
  return { windowMs: s.windowDuration.milliseconds, slideMs: s.slideDuration.milliseconds, incremental: s instanceof ReducedWindowedDStream };
}

/**
 * The window at `t`: the parent batches it covers, `(t - W, t]`, and those that entered and left since the previous
 * window. For the incremental form these are Spark's intervals (`ReducedWindowedDStream.compute`): entered
 * `[t - S + P, t]`, left `[t - S - W + P, t - W]` (P the parent's slide), and the reduced batches on both sides are
 * read back (they are persisted), with, for the first keys of each partition, the previous window's value, what
 * entered, what left (what the inverse function took out) and the new value.
 */
export async function windowView(s: WindowStream, t: number, maxRecords: number, rddAt: RDDsAt): Promise<WindowJson> {
  const info = windowInfo(s);
  const W = info.windowMs;
  const S = info.slideMs;
  const P = s.parent.slideDuration.milliseconds;
  const zero = s.zeroTime?.milliseconds ?? 0;
  const covered = times(t - W + P, t, P, zero);
  if (!(s instanceof ReducedWindowedDStream)) {
    const before = new Set(times(t - S - W + P, t - S, P, zero));
    const now = new Set(covered);
    return { ...info, times: covered, entered: covered.filter((x) => !before.has(x)), left: [...before].filter((x) => !now.has(x)) };
  }
  const entered = times(t - S + P, t, P, zero);
  const left = times(t - S - W + P, t - W, P, zero);
  const keys = new KeyMap<unknown, { entered: unknown[]; left: unknown[] }>();
  const keysPerPartition = new Map<number, number>();
  const sideData = async (side: 'entered' | 'left', batchTimes: number[]): Promise<PartitionJson[]> => {
    const out: PartitionJson[] = [];
    for (const bt of batchTimes) {
      const rdd = rddAt(s.reducedStream, bt) as RDD<[unknown, unknown]> | undefined;
      if (rdd === undefined) continue;
      for (let i = 0; i < rdd.partitions.length; i++) {
        const kept: string[] = [];
        let n = 0;
        const ok = await readIfCheap(rdd, i, (kv) => {
          if (n < maxRecords) kept.push(elementText(kv));
          n++;
          const e = keys.get(kv[0]);
          if (e !== undefined) {
            e[side].push(kv[1]);
            return;
          }
          const p = s.partitioner.getPartition(kv[0]);
          const have = keysPerPartition.get(p) ?? 0;
          if (have >= maxRecords) return;
          keysPerPartition.set(p, have + 1);
          keys.set(kv[0], side === 'entered' ? { entered: [kv[1]], left: [] } : { entered: [], left: [kv[1]] });
        });
        out.push({ index: i, batchTime: bt, elements: kept, ...(ok ? { count: n } : {}) });
      }
    }
    return out;
  };
  const enteredData = await sideData('entered', entered);
  const leftData = await sideData('left', left);
  const prev = rddAt(s, t - S) as RDD<[unknown, unknown]> | undefined;
  const cur = rddAt(s, t) as RDD<[unknown, unknown]> | undefined;
  const [before, after] = [await valuesOf(prev, keys, s), await valuesOf(cur, keys, s)];
  const keyRows: WindowKeyJson[] = [];
  keys.forEach((v, k) => {
    const b = before.get(k);
    const a = after.get(k);
    keyRows.push({
      key: elementText(k),
      partition: s.partitioner.getPartition(k),
      ...(b !== undefined ? { before: elementText(b[0]) } : {}),
      entered: v.entered.map(elementText),
      left: v.left.map(elementText),
      ...(a !== undefined ? { after: elementText(a[0]) } : {}),
    });
  });
  keyRows.sort((x, y) => x.partition - y.partition);
  return { ...info, times: covered, entered, left, enteredData, leftData, keys: keyRows };
}

/** The values of `keys` in a window RDD (boxed, so a value `undefined` is still found), reading only their partitions. */
async function valuesOf(rdd: RDD<[unknown, unknown]> | undefined, keys: KeyMap<unknown, unknown>, s: ReducedWindowedDStream<unknown, unknown>): Promise<KeyMap<unknown, [unknown]>> {
  const out = new KeyMap<unknown, [unknown]>();
  if (rdd === undefined || keys.size === 0) return out;
  const parts = new Set<number>();
  for (const k of keys.keys()) parts.add(s.partitioner.getPartition(k));
  for (const p of parts) {
    if (p >= rdd.partitions.length) continue;
    await readIfCheap(rdd, p, (kv) => {
      if (keys.has(kv[0])) out.set(kv[0], [kv[1]]);
    });
  }
  return out;
}
