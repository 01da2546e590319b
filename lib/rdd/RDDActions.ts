/**
 * The actions of {@link RDD} (Spark's `collect`, `count`, `reduce`, ...), added to the class here. Each runs a job
 * through the DAGScheduler and returns a promise.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnsupportedOperationException } from '../core/errors';
import { scalaString } from '../core/ScalaFormat';
import { cloneValue } from './cloneValue';
import { FileAlreadyExistsException } from './FileAlreadyExistsException';
import { KeyMap } from './KeyMap';
import { defaultOrdering, reverseOrdering, type Ordering } from './Ordering';
import { RDD } from './RDD';

declare module './RDD' {
  interface RDD<T> {
    /** Spark's `collect`: every element, partition by partition. */
    collect(): Promise<T[]>;
    /** Spark's `count`. */
    count(): Promise<number>;
    /** Spark's `first`; an empty RDD is `UnsupportedOperationException("empty collection")`. */
    first(): Promise<T>;
    /** Spark's `take(n)`: scans partitions in order until it has `n` elements. */
    take(n: number): Promise<T[]>;
    /** Spark's `reduce`; an empty RDD is `UnsupportedOperationException("empty collection")`. */
    reduce(f: (a: T, b: T) => T): Promise<T>;
    /** Spark's `fold(zeroValue)(op)`. */
    fold(zeroValue: T, op: (a: T, b: T) => T): Promise<T>;
    /** Spark's `aggregate(zeroValue)(seqOp, combOp)`. */
    aggregate<U>(zeroValue: U, seqOp: (acc: U, t: T) => U, combOp: (a: U, b: U) => U): Promise<U>;
    /** Spark's `foreach`. */
    foreach(f: (t: T) => void): Promise<void>;
    /** Spark's `foreachPartition`: `f` gets the partition's elements and may be async. */
    foreachPartition(f: (elements: T[]) => void | Promise<void>): Promise<void>;
    /** Spark's `isEmpty`. */
    isEmpty(): Promise<boolean>;
    /** Spark's `countByValue`: elements compare by value. */
    countByValue(): Promise<Map<T, number>>;
    /**
     * Spark's `saveAsTextFile(path)`: a folder with `part-00000`, ... (one per partition, each element's Scala text
     * on its own line) and `_SUCCESS`. Files are written under a temporary name and renamed into place. With
     * `validateOutputSpecs` (default, as Spark) an existing folder is an error; streaming outputs turn it off so a
     * re-run batch overwrites its own output.
     */
    saveAsTextFile(path: string, validateOutputSpecs?: boolean): Promise<void>;
    /** Spark's `takeOrdered(num)(ord)`: the `num` smallest elements, in ascending order (Ordering.ts by default). */
    takeOrdered(num: number, ordering?: Ordering<T>): Promise<T[]>;
    /** Spark's `top(num)(ord)`: the `num` largest elements, in descending order. */
    top(num: number, ordering?: Ordering<T>): Promise<T[]>;
    /** Spark's `max()(ord)`; an empty RDD is `UnsupportedOperationException("empty collection")`. */
    max(ordering?: Ordering<T>): Promise<T>;
    /** Spark's `min()(ord)`; an empty RDD is `UnsupportedOperationException("empty collection")`. */
    min(ordering?: Ordering<T>): Promise<T>;
  }
}

/** Spark's `spark.rdd.limit.scaleUpFactor` default: how much wider each round of `take` scans. */
const TAKE_SCALE_UP = 4;

function emptyCollection(): never {
  throw new UnsupportedOperationException('empty collection');
}

RDD.prototype.collect = async function <T>(this: RDD<T>): Promise<T[]> {
  const parts = await this.sc.dagScheduler.runJob(this, () => {
    const out: T[] = [];
    return { sink: (x: T) => void out.push(x), finish: () => out };
  }, 'collect');
  if (parts.length === 1) return parts[0];
  const out: T[] = [];
  for (const part of parts) for (let i = 0; i < part.length; i++) out.push(part[i]);
  return out;
};

RDD.prototype.count = async function <T>(this: RDD<T>): Promise<number> {
  const counts = await this.sc.dagScheduler.runJob(this, () => {
    let n = 0;
    return { sink: () => void n++, finish: () => n };
  }, 'count');
  let total = 0;
  for (const c of counts) total += c;
  return total;
};

RDD.prototype.take = async function <T>(this: RDD<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  const total = this.getNumPartitions();
  let scanned = 0;
  // Spark's scan: one partition first, then up to 4x as many (spark.rdd.limit.scaleUpFactor), estimated from what
  // the partitions scanned so far held, so an RDD with many empty partitions does not take one job per partition.
  while (out.length < n && scanned < total) {
    const left = n - out.length;
    let tryParts = 1;
    if (scanned > 0) {
      tryParts = out.length === 0 ? scanned * TAKE_SCALE_UP : Math.min(Math.ceil((1.5 * left * scanned) / out.length), scanned * TAKE_SCALE_UP);
    }
    const ids: number[] = [];
    for (let p = scanned; p < Math.min(scanned + tryParts, total); p++) ids.push(p);
    const parts = await this.sc.dagScheduler.runJob(this, () => {
      const buf: T[] = [];
      return { sink: (x: T) => void (buf.length < left ? buf.push(x) : 0), finish: () => buf };
    }, 'take', ids);
    for (const part of parts) for (const x of part) if (out.length < n) out.push(x);
    scanned += ids.length;
  }
  return out;
};

RDD.prototype.first = async function <T>(this: RDD<T>): Promise<T> {
  const xs = await this.take(1);
  if (xs.length === 0) emptyCollection();
  return xs[0];
};

RDD.prototype.reduce = async function <T>(this: RDD<T>, f: (a: T, b: T) => T): Promise<T> {
  const parts = await this.sc.dagScheduler.runJob(this, () => {
    let acc: T | undefined;
    let has = false;
    return {
      sink: (x: T) => {
        if (has) acc = f(acc as T, x);
        else {
          acc = x;
          has = true;
        }
      },
      finish: () => ({ has, acc }),
    };
  }, 'reduce');
  let acc: T | undefined;
  let has = false;
  for (const p of parts) {
    if (!p.has) continue;
    acc = has ? f(acc as T, p.acc as T) : (p.acc as T);
    has = true;
  }
  if (!has) emptyCollection();
  return acc as T;
};

RDD.prototype.fold = async function <T>(this: RDD<T>, zeroValue: T, op: (a: T, b: T) => T): Promise<T> {
  return this.aggregate(zeroValue, op, op);
};

RDD.prototype.aggregate = async function <T, U>(
  this: RDD<T>,
  zeroValue: U,
  seqOp: (acc: U, t: T) => U,
  combOp: (a: U, b: U) => U,
): Promise<U> {
  const parts = await this.sc.dagScheduler.runJob(this, () => {
    let acc = cloneValue(zeroValue);
    return { sink: (x: T) => void (acc = seqOp(acc, x)), finish: () => acc };
  }, 'aggregate');
  let acc = cloneValue(zeroValue);
  for (const p of parts) acc = combOp(acc, p);
  return acc;
};

RDD.prototype.foreach = async function <T>(this: RDD<T>, f: (t: T) => void): Promise<void> {
  await this.sc.dagScheduler.runJob(this, () => ({ sink: f, finish: () => undefined }), 'foreach');
};

RDD.prototype.foreachPartition = async function <T>(this: RDD<T>, f: (elements: T[]) => void | Promise<void>): Promise<void> {
  await this.sc.dagScheduler.runJob(this, () => {
    const buf: T[] = [];
    return { sink: (x: T) => void buf.push(x), finish: () => f(buf) };
  }, 'foreachPartition');
};

RDD.prototype.isEmpty = async function <T>(this: RDD<T>): Promise<boolean> {
  if (this.getNumPartitions() === 0) return true;
  return (await this.take(1)).length === 0;
};

RDD.prototype.countByValue = async function <T>(this: RDD<T>): Promise<Map<T, number>> {
  const parts = await this.sc.dagScheduler.runJob(this, () => {
    const m = new KeyMap<T, number>();
    return { sink: (x: T) => void m.set(x, (m.get(x) ?? 0) + 1), finish: () => m };
  }, 'countByValue');
  const total = new KeyMap<T, number>();
  for (const m of parts) m.forEach((c, k) => total.set(k, (total.get(k) ?? 0) + c));
  return new Map(total.entries());
};

RDD.prototype.saveAsTextFile = async function <T>(this: RDD<T>, dir: string, validateOutputSpecs = true): Promise<void> {
  const out = path.resolve(dir);
  if (validateOutputSpecs && fs.existsSync(out)) throw new FileAlreadyExistsException(out);
  // Overwriting: the old _SUCCESS goes first, so a crash while writing never leaves a folder that looks complete.
  fs.rmSync(path.join(out, '_SUCCESS'), { force: true });
  const temp = path.join(out, `_temporary-${crypto.randomUUID()}`);
  fs.mkdirSync(temp, { recursive: true });
  let names: string[];
  try {
    names = await this.sc.dagScheduler.runJob(this, (ctx) => {
      const lines: string[] = [];
      return {
        sink: (x: T) => void lines.push(scalaString(x)),
        finish: async () => {
          const name = `part-${String(ctx.partitionId).padStart(5, '0')}`;
          await fs.promises.writeFile(path.join(temp, name), lines.length ? lines.join('\n') + '\n' : '');
          return name;
        },
      };
    }, 'saveAsTextFile');
  } catch (e) {
    // Spark's commit protocol aborts a failed job by deleting its temporary folder.
    fs.rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  for (const name of names) fs.renameSync(path.join(temp, name), path.join(out, name));
  fs.rmSync(temp, { recursive: true, force: true });
  // Parts left by an earlier, wider output in the same folder are not part of this one.
  const written = new Set(names);
  for (const f of fs.readdirSync(out)) if (/^part-\d{5,}$/.test(f) && !written.has(f)) fs.rmSync(path.join(out, f), { force: true });
  fs.writeFileSync(path.join(out, '_SUCCESS'), '');
};

/** Inserts `x` into `buf` (sorted by `ord`, at most `num` long), keeping the `num` smallest; equal elements stay in arrival order. */
function boundedInsert<T>(buf: T[], x: T, num: number, ord: Ordering<T>): void {
  if (buf.length === num && ord(x, buf[num - 1]) >= 0) return;
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ord(buf[mid], x) <= 0) lo = mid + 1;
    else hi = mid;
  }
  buf.splice(lo, 0, x);
  if (buf.length > num) buf.pop();
}

RDD.prototype.takeOrdered = async function <T>(this: RDD<T>, num: number, ordering: Ordering<T> = defaultOrdering): Promise<T[]> {
  if (num <= 0) return [];
  const parts = await this.sc.dagScheduler.runJob(this, () => {
    const buf: T[] = [];
    return { sink: (x: T) => boundedInsert(buf, x, num, ordering), finish: () => buf };
  }, 'takeOrdered');
  const out: T[] = [];
  for (const part of parts) for (const x of part) boundedInsert(out, x, num, ordering);
  return out;
};

RDD.prototype.top = async function <T>(this: RDD<T>, num: number, ordering: Ordering<T> = defaultOrdering): Promise<T[]> {
  return this.takeOrdered(num, reverseOrdering(ordering));
};

RDD.prototype.max = async function <T>(this: RDD<T>, ordering: Ordering<T> = defaultOrdering): Promise<T> {
  return this.reduce((a, b) => (ordering(a, b) >= 0 ? a : b));
};

RDD.prototype.min = async function <T>(this: RDD<T>, ordering: Ordering<T> = defaultOrdering): Promise<T> {
  return this.reduce((a, b) => (ordering(a, b) <= 0 ? a : b));
};
