/**
 * Functions on streams of `[key, value]` pairs: Spark's `PairDStreamFunctions`, added to {@link DStream} with
 * `this: DStream<[K, V]>`. Without a partition argument they use `HashPartitioner(sc.defaultParallelism)`, as
 * Spark's streaming `defaultPartitioner` does (PySpark's `portable_hash` one in the Python flavour, ApiFlavor.ts).
 */
import { ScalaArrayBuffer } from '../../core/ScalaCollection';
import { hashPartitioner } from '../../rdd/ApiFlavor';
import type { CompactBuffer } from '../../rdd/CompactBuffer';
import { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import { DStream } from './DStream';
import { MappedRDDDStream } from './MappedRDDDStream';
import { TransformedDStream } from './TransformedDStream';

export type PartitionArg = Partitioner | number | undefined;

/** The partitioner of a streaming pair operation: given, a count, or `HashPartitioner(defaultParallelism)`. */
export function streamPartitioner(self: DStream<unknown>, arg: PartitionArg): Partitioner {
  if (arg instanceof Partitioner) return arg;
  return hashPartitioner(self.ssc.sparkContext, arg ?? self.ssc.sparkContext.defaultParallelism);
}

declare module './DStream' {
  // T must be declared for the interface to merge with the class, though pair functions do not use it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface DStream<T> {
    mapValues<K, V, W>(this: DStream<[K, V]>, f: (v: V) => W): DStream<[K, W]>;
    flatMapValues<K, V, W>(this: DStream<[K, V]>, f: (v: V) => Iterable<W>): DStream<[K, W]>;
    /**
     * Spark's `groupByKey`: each key's values in a {@link ScalaArrayBuffer} (`print()` shows `ArrayBuffer(1, 2)`, as
     * Spark 3.5's `combineByKey[ArrayBuffer[V]]` does; an RDD's `groupByKey` gives a `CompactBuffer`).
     */
    groupByKey<K, V>(this: DStream<[K, V]>, partitioner?: PartitionArg): DStream<[K, ScalaArrayBuffer<V>]>;
    reduceByKey<K, V>(this: DStream<[K, V]>, f: (a: V, b: V) => V, partitioner?: PartitionArg): DStream<[K, V]>;
    combineByKey<K, V, C>(
      this: DStream<[K, V]>,
      createCombiner: (v: V) => C,
      mergeValue: (c: C, v: V) => C,
      mergeCombiner: (a: C, b: C) => C,
      partitioner?: PartitionArg,
      mapSideCombine?: boolean,
    ): DStream<[K, C]>;
    join<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg): DStream<[K, [V, W]]>;
    leftOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg): DStream<[K, [V, W | undefined]]>;
    rightOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg): DStream<[K, [V | undefined, W]]>;
    fullOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg): DStream<[K, [V | undefined, W | undefined]]>;
    cogroup<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg): DStream<[K, [CompactBuffer<V>, CompactBuffer<W>]]>;
  }
}

DStream.prototype.mapValues = function <K, V, W>(this: DStream<[K, V]>, f: (v: V) => W): DStream<[K, W]> {
  return new MappedRDDDStream(this, 'MapValuedDStream', 'mapValues', (rdd) => rdd.mapValues(f));
};

DStream.prototype.flatMapValues = function <K, V, W>(this: DStream<[K, V]>, f: (v: V) => Iterable<W>): DStream<[K, W]> {
  return new MappedRDDDStream(this, 'FlatMapValuedDStream', 'flatMapValues', (rdd) => rdd.flatMapValues(f));
};

DStream.prototype.groupByKey = function <K, V>(this: DStream<[K, V]>, partitioner?: PartitionArg): DStream<[K, ScalaArrayBuffer<V>]> {
  // Spark's PairDStreamFunctions.groupByKey: combineByKey (with map-side combine) into ArrayBuffers. Merging makes
  // a new buffer (Scala's `c1 ++ c2`): the map side's buffers may be read again by another job.
  const p = streamPartitioner(this as DStream<unknown>, partitioner);
  const createCombiner = (v: V): ScalaArrayBuffer<V> => {
    const b = new ScalaArrayBuffer<V>();
    b.push(v);
    return b;
  };
  const mergeValue = (b: ScalaArrayBuffer<V>, v: V): ScalaArrayBuffer<V> => {
    b.push(v);
    return b;
  };
  const mergeCombiners = (a: ScalaArrayBuffer<V>, b: ScalaArrayBuffer<V>): ScalaArrayBuffer<V> => {
    const c = new ScalaArrayBuffer<V>();
    for (let i = 0; i < a.length; i++) c.push(a[i]);
    for (let i = 0; i < b.length; i++) c.push(b[i]);
    return c;
  };
  return new MappedRDDDStream(this, 'ShuffledDStream', 'groupByKey', (rdd) => rdd.combineByKey(createCombiner, mergeValue, mergeCombiners, p));
};

DStream.prototype.reduceByKey = function <K, V>(this: DStream<[K, V]>, f: (a: V, b: V) => V, partitioner?: PartitionArg): DStream<[K, V]> {
  const p = streamPartitioner(this as DStream<unknown>, partitioner);
  return new MappedRDDDStream(this, 'ShuffledDStream', 'reduceByKey', (rdd) => rdd.reduceByKey(f, p));
};

DStream.prototype.combineByKey = function <K, V, C>(
  this: DStream<[K, V]>,
  createCombiner: (v: V) => C,
  mergeValue: (c: C, v: V) => C,
  mergeCombiner: (a: C, b: C) => C,
  partitioner?: PartitionArg,
  mapSideCombine = true,
): DStream<[K, C]> {
  const p = streamPartitioner(this as DStream<unknown>, partitioner);
  return new MappedRDDDStream(this, 'ShuffledDStream', 'combineByKey', (rdd) => rdd.combineByKey(createCombiner, mergeValue, mergeCombiner, p, mapSideCombine));
};

function joinLike<K, V, W, R>(
  self: DStream<[K, V]>,
  other: DStream<[K, W]>,
  partitioner: PartitionArg,
  site: string,
  f: (a: RDD<[K, V]>, b: RDD<[K, W]>, p: Partitioner) => RDD<R>,
): DStream<R> {
  // Spark's transformWith, named after the operation so the graph shows `join`, `cogroup`, ...
  const p = streamPartitioner(self as DStream<unknown>, partitioner);
  return new TransformedDStream<R>(
    self.ssc,
    [self as DStream<unknown>, other as DStream<unknown>],
    (rdds) => f(rdds[0] as RDD<[K, V]>, rdds[1] as RDD<[K, W]>, p),
    site,
  );
}

DStream.prototype.join = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg) {
  return joinLike(this, other, partitioner, 'join', (a, b, p) => a.join(b, p));
};
DStream.prototype.leftOuterJoin = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg) {
  return joinLike(this, other, partitioner, 'leftOuterJoin', (a, b, p) => a.leftOuterJoin(b, p));
};
DStream.prototype.rightOuterJoin = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg) {
  return joinLike(this, other, partitioner, 'rightOuterJoin', (a, b, p) => a.rightOuterJoin(b, p));
};
DStream.prototype.fullOuterJoin = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg) {
  return joinLike(this, other, partitioner, 'fullOuterJoin', (a, b, p) => a.fullOuterJoin(b, p));
};
DStream.prototype.cogroup = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitioner?: PartitionArg) {
  return joinLike(this, other, partitioner, 'cogroup', (a, b, p) => a.cogroup(b, p));
};
