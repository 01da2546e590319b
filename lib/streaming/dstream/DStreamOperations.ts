/**
 * The transformations and output operations of {@link DStream} (Spark's `DStream.map`, `print`, ...), added to the
 * class here so that DStream.ts never imports its subclasses. Each per-batch operation is a MappedRDDDStream that
 * applies the RDD operation of the same name.
 */
import { type Observable, Subject } from 'rxjs';
import { IllegalArgumentException } from '../../core/errors';
import { pythonDatetimeString, pythonStr } from '../../core/PythonFormat';
import { scalaString } from '../../core/ScalaFormat';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import { DStream } from './DStream';
import { ForEachDStream } from './ForEachDStream';
import { MappedRDDDStream } from './MappedRDDDStream';
import { writeObjectFile } from './ObjectFile';
import { TransformedDStream } from './TransformedDStream';
import { UnionDStream } from './UnionDStream';

declare module './DStream' {
  interface DStream<T> {
    /** Spark's `map`. */
    map<U>(f: (t: T) => U): DStream<U>;
    /** Spark's `flatMap`. */
    flatMap<U>(f: (t: T) => Iterable<U>): DStream<U>;
    /** Spark's `filter`. */
    filter(f: (t: T) => boolean): DStream<T>;
    /** Spark's `glom`. */
    glom(): DStream<T[]>;
    /** Spark's `mapPartitions`. */
    mapPartitions<U>(f: (elements: T[]) => Iterable<U>, preservePartitioning?: boolean): DStream<U>;
    /** Spark's `repartition(n)`. */
    repartition(numPartitions: number): DStream<T>;
    /** Spark's `reduce`: one element per batch, none for an empty batch. */
    reduce(f: (a: T, b: T) => T): DStream<T>;
    /** Spark's `count`: one number per batch, `0` for an empty batch. */
    count(): DStream<number>;
    /** Spark's `countByValue(numPartitions)`. */
    countByValue(numPartitions?: number): DStream<[T, number]>;
    /** Spark's `union`. */
    union(that: DStream<T>): DStream<T>;
    /**
     * Spark's `transform(fn(rdd[, time]))`: `fn` runs on the driver for every batch and returns the batch's RDD
     * (never null: return `sc.emptyRDD()` for no elements).
     */
    transform<U>(f: (rdd: RDD<T>, time: Time) => RDD<U>): DStream<U>;
    /** Spark's `transformWith(other, fn(rdd1, rdd2[, time]))`. */
    transformWith<U, V>(other: DStream<U>, f: (a: RDD<T>, b: RDD<U>, time: Time) => RDD<V>): DStream<V>;
    /** PySpark's `transformWith(func, other)`: `func(rdd_a, rdd_b)`, told apart from Spark's order by type. */
    transformWith<U, V>(f: (a: RDD<T>, b: RDD<U>) => RDD<V>, other: DStream<U>): DStream<V>;
    /** PySpark's `transformWith(func, other)` with a three-parameter `func(time, rdd_a, rdd_b)` (time first, as PySpark). */
    transformWith<U, V>(f: (time: Time, a: RDD<T>, b: RDD<U>) => RDD<V>, other: DStream<U>): DStream<V>;
    /** Spark's `foreachRDD(fn(rdd[, time]))`: an output operation; `fn` may be async and is awaited. */
    foreachRDD(f: (rdd: RDD<T>, time: Time) => void | Promise<void>): void;
    /**
     * Spark's `print(num = 10)`: for every batch (empty ones too) a header of 43 dashes, `Time: <ms> ms`, 43
     * dashes, the first `num` elements in Scala's text (`(word,3)`), `...` if there are more, and a blank line.
     * Written to `ssc.out` (stdout by default).
     */
    print(num?: number): void;
    /**
     * PySpark's `pprint(num = 10)`: `print`'s layout with the batch time as Python's `datetime` in local time
     * (`Time: 2014-10-19 20:56:41`) and elements in Python's text (`('word', 3)`; see PythonFormat.ts).
     */
    pprint(num?: number): void;
    /** Spark's `saveAsTextFiles(prefix, suffix)`: a `prefix-<ms>.suffix` folder per batch (re-runs overwrite). */
    saveAsTextFiles(prefix: string, suffix?: string): void;
    /**
     * Spark's `saveAsObjectFiles(prefix, suffix)`: a `prefix-<ms>.suffix` folder per batch with one
     * `v8.serialize`d array of elements per partition (read back with `readObjectFile`; see ObjectFile.ts).
     */
    saveAsObjectFiles(prefix: string, suffix?: string): void;
    /**
     * rxjs interop (an output operation, register it before `start`): emits `{ time, values }` with every
     * batch's collected elements to the subscribers of the moment; completes when the context stops.
     */
    toObservable(): Observable<BatchValues<T>>;
  }
}

/** One batch of a stream as `toObservable()` emits it. */
export interface BatchValues<T> {
  readonly time: Time;
  readonly values: T[];
}

const DASHES = '-'.repeat(43);

function perBatch<T, U>(self: DStream<T>, sparkClass: string, site: string, f: (rdd: RDD<T>) => RDD<U>): DStream<U> {
  return new MappedRDDDStream<T, U>(self, sparkClass, site, f);
}

DStream.prototype.map = function <T, U>(this: DStream<T>, f: (t: T) => U): DStream<U> {
  return perBatch(this, 'MappedDStream', 'map', (rdd) => rdd.map(f));
};

DStream.prototype.flatMap = function <T, U>(this: DStream<T>, f: (t: T) => Iterable<U>): DStream<U> {
  return perBatch(this, 'FlatMappedDStream', 'flatMap', (rdd) => rdd.flatMap(f));
};

DStream.prototype.filter = function <T>(this: DStream<T>, f: (t: T) => boolean): DStream<T> {
  return perBatch(this, 'FilteredDStream', 'filter', (rdd) => rdd.filter(f));
};

DStream.prototype.glom = function <T>(this: DStream<T>): DStream<T[]> {
  return perBatch(this, 'GlommedDStream', 'glom', (rdd) => rdd.glom());
};

DStream.prototype.mapPartitions = function <T, U>(this: DStream<T>, f: (elements: T[]) => Iterable<U>, preservePartitioning = false): DStream<U> {
  return perBatch(this, 'MapPartitionedDStream', 'mapPartitions', (rdd) => rdd.mapPartitions(f, preservePartitioning));
};

DStream.prototype.repartition = function <T>(this: DStream<T>, numPartitions: number): DStream<T> {
  return perBatch(this, 'TransformedDStream', 'repartition', (rdd) => rdd.repartition(numPartitions));
};

DStream.prototype.reduce = function <T>(this: DStream<T>, f: (a: T, b: T) => T): DStream<T> {
  return this.map((x) => [null, x] as [null, T])
    .reduceByKey(f, 1)
    .map((p) => p[1]);
};

DStream.prototype.count = function <T>(this: DStream<T>): DStream<number> {
  return this.map(() => [null, 1] as [null, number])
    .transform((rdd) => rdd.union(rdd.sc.makeRDD([[null, 0] as [null, number]], 1)))
    .reduceByKey((a, b) => a + b)
    .map((p) => p[1]);
};

DStream.prototype.countByValue = function <T>(this: DStream<T>, numPartitions?: number): DStream<[T, number]> {
  return this.map((x) => [x, 1] as [T, number]).reduceByKey((a, b) => a + b, numPartitions ?? this.ssc.sparkContext.defaultParallelism);
};

DStream.prototype.union = function <T>(this: DStream<T>, that: DStream<T>): DStream<T> {
  return new UnionDStream([this, that]);
};

DStream.prototype.transform = function <T, U>(this: DStream<T>, f: (rdd: RDD<T>, time: Time) => RDD<U>): DStream<U> {
  return new TransformedDStream<U>(this.ssc, [this as DStream<unknown>], (rdds, time) => f(rdds[0] as RDD<T>, time));
};

DStream.prototype.transformWith = function <T, U, V>(this: DStream<T>, x: unknown, y: unknown): DStream<V> {
  let other: DStream<U>;
  let f: (a: RDD<T>, b: RDD<U>, time: Time) => RDD<V>;
  if (x instanceof DStream && typeof y === 'function') {
    other = x as DStream<U>;
    f = y as typeof f;
  } else if (typeof x === 'function' && y instanceof DStream) {
    // PySpark's order; its three-parameter function takes the time first.
    other = y as DStream<U>;
    const g = x as (...args: unknown[]) => RDD<V>;
    f = g.length === 3 ? (a, b, time) => g(time, a, b) : (a, b) => g(a, b);
  } else {
    throw new IllegalArgumentException(
      `transformWith takes (other DStream, function) as Spark or (function, other DStream) as PySpark, got (${argKind(x)}, ${argKind(y)})`,
    );
  }
  return new TransformedDStream<V>(
    this.ssc,
    [this as DStream<unknown>, other as DStream<unknown>],
    (rdds, time) => f(rdds[0] as RDD<T>, rdds[1] as RDD<U>, time),
    'transformWith',
  );
} as DStream<unknown>['transformWith'];

function argKind(v: unknown): string {
  return v instanceof DStream ? 'DStream' : v === null ? 'null' : typeof v;
}

DStream.prototype.foreachRDD = function <T>(this: DStream<T>, f: (rdd: RDD<T>, time: Time) => void | Promise<void>): void {
  new ForEachDStream(this, f, 'foreachRDD');
};

DStream.prototype.print = function <T>(this: DStream<T>, num = 10): void {
  new ForEachDStream(
    this,
    async (rdd, time) => {
      const first = await rdd.take(num + 1);
      let text = `${DASHES}\nTime: ${time}\n${DASHES}\n`;
      for (let i = 0; i < Math.min(num, first.length); i++) text += scalaString(first[i]) + '\n';
      if (first.length > num) text += '...\n';
      text += '\n';
      this.ssc.out.write(text);
    },
    'print',
  );
};

DStream.prototype.pprint = function <T>(this: DStream<T>, num = 10): void {
  new ForEachDStream(
    this,
    async (rdd, time) => {
      const taken = await rdd.take(num + 1);
      let text = `${DASHES}\nTime: ${pythonDatetimeString(time.milliseconds)}\n${DASHES}\n`;
      for (let i = 0; i < Math.min(num, taken.length); i++) text += pythonStr(taken[i]) + '\n';
      if (taken.length > num) text += '...\n';
      text += '\n';
      this.ssc.out.write(text);
    },
    'pprint',
  );
};

DStream.prototype.saveAsObjectFiles = function <T>(this: DStream<T>, prefix: string, suffix?: string): void {
  new ForEachDStream(
    this,
    async (rdd, time) => {
      await writeObjectFile(rdd, rddToFileName(prefix, suffix, time));
    },
    'saveAsObjectFiles',
  );
};

DStream.prototype.toObservable = function <T>(this: DStream<T>): Observable<BatchValues<T>> {
  const subject = new Subject<BatchValues<T>>();
  new ForEachDStream(
    this,
    async (rdd, time) => {
      const values = await rdd.collect();
      subject.next({ time, values });
    },
    'toObservable',
  );
  this.ssc.whenStopped(() => subject.complete());
  return subject.asObservable();
};

DStream.prototype.saveAsTextFiles = function <T>(this: DStream<T>, prefix: string, suffix?: string): void {
  new ForEachDStream(
    this,
    async (rdd, time) => {
      await rdd.saveAsTextFile(rddToFileName(prefix, suffix, time), false);
    },
    'saveAsTextFiles',
  );
};

/** Spark's `StreamingContext.rddToFileName`: `prefix-<ms>.suffix`, parts omitted when empty. */
export function rddToFileName(prefix: string | undefined, suffix: string | undefined, time: Time): string {
  let result = `${time.milliseconds}`;
  if (prefix) result = `${prefix}-${result}`;
  if (suffix) result = `${result}.${suffix}`;
  return result;
}
