/**
 * The window operations of {@link DStream} (Spark's `window`, `reduceByWindow`, `countByWindow`,
 * `countByValueAndWindow`, and the pair functions `groupByKeyAndWindow`, `reduceByKeyAndWindow`), added to the class
 * here (declaration merging) so that DStream.ts never imports its subclasses.
 *
 * Durations are {@link Duration}s; a window and a slide must be multiples of the parent's slide (the batch
 * duration for streams made from an input). A slide may be longer than the window (batches in between are skipped).
 * The forms with an inverse function are incremental (ReducedWindowedDStream) and need `ssc.checkpoint(dir)`.
 *
 * With `dstreams.api.flavor = python` (ApiFlavor.ts) they behave as PySpark's: `reduceByKeyAndWindow` with an
 * inverse is PythonReducedWindowedDStream (it recomputes windows shorter than 5 slides, so keys that left the window
 * are dropped and `countByWindow` of an empty window prints nothing), `countByValueAndWindow` filters counts above 0
 * after the window, and `groupByKeyAndWindow` reduces lists with an inverse (over 5 slides or more a key whose values
 * all left stays, with no values).
 */
import './DStreamOperations';
import './PairDStreamFunctions';
import { Duration } from '../../core/Duration';
import { ScalaArrayBuffer } from '../../core/ScalaCollection';
import { apiFlavor } from '../../rdd/ApiFlavor';
import { DStream } from './DStream';
import { type PartitionArg, streamPartitioner } from './PairDStreamFunctions';
import { PythonReducedWindowedDStream } from './PythonReducedWindowedDStream';
import { ReducedWindowedDStream } from './ReducedWindowedDStream';
import { WindowedDStream } from './WindowedDStream';

/** Whether the program follows PySpark (`dstreams.api.flavor = python`, ApiFlavor.ts). */
function isPython(s: DStream<unknown>): boolean {
  return apiFlavor(s.ssc.sparkContext) === 'python';
}

declare module './DStream' {
  interface DStream<T> {
    /** Spark's `window(windowDuration[, slideDuration])`: the RDDs of the last `windowDuration`, every slide (default: this stream's slide). */
    window(windowDuration: Duration, slideDuration?: Duration): DStream<T>;
    /** Spark's `reduceByWindow(f, w, s)` = `reduce(f).window(w, s).reduce(f)`. */
    reduceByWindow(reduceFunc: (a: T, b: T) => T, windowDuration: Duration, slideDuration: Duration): DStream<T>;
    /** Spark's incremental `reduceByWindow(f, invF, w, s)` (needs `ssc.checkpoint(dir)`). */
    reduceByWindow(reduceFunc: (a: T, b: T) => T, invReduceFunc: (a: T, b: T) => T, windowDuration: Duration, slideDuration: Duration): DStream<T>;
    /** Spark's `countByWindow(w, s)`: incremental, so `0` once the window is empty; needs `ssc.checkpoint(dir)`. */
    countByWindow(windowDuration: Duration, slideDuration: Duration): DStream<number>;
    /** Spark's `countByValueAndWindow(w, s[, numPartitions])`: incremental; values whose count falls to 0 are dropped. */
    countByValueAndWindow(windowDuration: Duration, slideDuration: Duration, numPartitions?: number): DStream<[T, number]>;
    /** Spark's `groupByKeyAndWindow(w[, s[, numPartitions | partitioner]])`: values in ArrayBuffers, as Spark 3.5's. */
    groupByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      windowDuration: Duration,
      slideDuration?: Duration,
      partitioner?: PartitionArg,
    ): DStream<[K, ScalaArrayBuffer<V>]>;
    /** Spark's `reduceByKeyAndWindow(f, w[, s[, numPartitions | partitioner]])` = `reduceByKey(f).window(w, s).reduceByKey(f)`. */
    reduceByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      reduceFunc: (a: V, b: V) => V,
      windowDuration: Duration,
      slideDuration?: Duration,
      partitioner?: PartitionArg,
    ): DStream<[K, V]>;
    /**
     * Spark's incremental `reduceByKeyAndWindow(f, invF, w[, s[, numPartitions | partitioner[, filterFunc]]])`: keys
     * stay (e.g. at 0) unless `filterFunc` returns false for them; needs `ssc.checkpoint(dir)`. A `null`/`undefined`
     * `invReduceFunc` gives the non-incremental form, as PySpark's `invFunc=None` does.
     */
    reduceByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      reduceFunc: (a: V, b: V) => V,
      invReduceFunc: ((a: V, b: V) => V) | null | undefined,
      windowDuration: Duration,
      slideDuration?: Duration,
      partitioner?: PartitionArg,
      filterFunc?: (kv: [K, V]) => boolean,
    ): DStream<[K, V]>;
  }
}

DStream.prototype.window = function <T>(this: DStream<T>, windowDuration: Duration, slideDuration?: Duration): DStream<T> {
  return new WindowedDStream(this, windowDuration, slideDuration ?? this.slideDuration);
};

DStream.prototype.reduceByWindow = function <T>(
  this: DStream<T>,
  reduceFunc: (a: T, b: T) => T,
  a: ((a: T, b: T) => T) | Duration,
  b: Duration,
  c?: Duration,
): DStream<T> {
  if (a instanceof Duration) return this.reduce(reduceFunc).window(a, b).reduce(reduceFunc);
  const invReduceFunc = a;
  return this.map((x) => [1, x] as [number, T])
    .reduceByKeyAndWindow(reduceFunc, invReduceFunc, b, c ?? this.slideDuration, 1)
    .map((p) => p[1]);
} as DStream<unknown>['reduceByWindow'];

DStream.prototype.countByWindow = function <T>(this: DStream<T>, windowDuration: Duration, slideDuration: Duration): DStream<number> {
  return this.map(() => 1).reduceByWindow(
    (x, y) => x + y,
    (x, y) => x - y,
    windowDuration,
    slideDuration,
  );
};

DStream.prototype.countByValueAndWindow = function <T>(
  this: DStream<T>,
  windowDuration: Duration,
  slideDuration: Duration,
  numPartitions?: number,
): DStream<[T, number]> {
  const counts = this.map((x) => [x, 1] as [T, number]);
  if (isPython(this)) {
    // PySpark filters after the window, so a count at 0 stays in the window's state (and keeps its place).
    return counts
      .reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, windowDuration, slideDuration, numPartitions)
      .filter((kv) => kv[1] > 0);
  }
  return counts.reduceByKeyAndWindow(
    (x, y) => x + y,
    (x, y) => x - y,
    windowDuration,
    slideDuration,
    numPartitions ?? this.ssc.sparkContext.defaultParallelism,
    (kv) => kv[1] !== 0,
  );
};

DStream.prototype.groupByKeyAndWindow = function <K, V>(
  this: DStream<[K, V]>,
  windowDuration: Duration,
  slideDuration?: Duration,
  partitioner?: PartitionArg,
): DStream<[K, ScalaArrayBuffer<V>]> {
  if (isPython(this)) {
    // PySpark: lists reduced over the window with an inverse that drops the oldest values, so over 5 slides or more
    // an emptied key stays (with no values). Concatenation, not PySpark's in-place extend: batches are shared.
    return this.mapValues((v) => [v])
      .reduceByKeyAndWindow(
        (a, b) => a.concat(b),
        (a, b) => a.slice(b.length),
        windowDuration,
        slideDuration ?? this.slideDuration,
        partitioner,
      )
      .mapValues((vs) => {
        const b = new ScalaArrayBuffer<V>();
        for (let i = 0; i < vs.length; i++) b.push(vs[i]);
        return b;
      });
  }
  const p = streamPartitioner(this as DStream<unknown>, partitioner);
  // The grouped batches are cached and shared by every window over them: combine into new buffers.
  const createCombiner = (vs: ScalaArrayBuffer<V>): ScalaArrayBuffer<V> => {
    const b = new ScalaArrayBuffer<V>();
    for (let i = 0; i < vs.length; i++) b.push(vs[i]);
    return b;
  };
  const mergeValue = (b: ScalaArrayBuffer<V>, vs: ScalaArrayBuffer<V>): ScalaArrayBuffer<V> => {
    for (let i = 0; i < vs.length; i++) b.push(vs[i]);
    return b;
  };
  return this.groupByKey(p)
    .window(windowDuration, slideDuration ?? this.slideDuration)
    .combineByKey(createCombiner, mergeValue, mergeValue, p);
};

DStream.prototype.reduceByKeyAndWindow = function <K, V>(
  this: DStream<[K, V]>,
  reduceFunc: (a: V, b: V) => V,
  a: ((a: V, b: V) => V) | Duration | null | undefined,
  b?: Duration | PartitionArg,
  c?: Duration | PartitionArg,
  d?: PartitionArg,
  filterFunc?: (kv: [K, V]) => boolean,
): DStream<[K, V]> {
  if (a instanceof Duration) {
    const p = streamPartitioner(this as DStream<unknown>, c as PartitionArg);
    const slide = (b as Duration | undefined) ?? this.slideDuration;
    return this.reduceByKey(reduceFunc, p).window(a, slide).reduceByKey(reduceFunc, p);
  }
  const windowDuration = b as Duration;
  const slide = (c as Duration | undefined) ?? this.slideDuration;
  const p = streamPartitioner(this as DStream<unknown>, d);
  const python = isPython(this);
  if (a === null || a === undefined) {
    const windowed = this.reduceByKey(reduceFunc, p).window(windowDuration, slide).reduceByKey(reduceFunc, p);
    // PySpark ignores filterFunc without an inverse function.
    return filterFunc && !python ? windowed.filter(filterFunc) : windowed;
  }
  if (python) return new PythonReducedWindowedDStream<K, V>(this.reduceByKey(reduceFunc, p), reduceFunc, a, windowDuration, slide, p, filterFunc);
  return new ReducedWindowedDStream<K, V>(this, reduceFunc, a, windowDuration, slide, p, filterFunc);
} as DStream<unknown>['reduceByKeyAndWindow'];
