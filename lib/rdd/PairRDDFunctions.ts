/**
 * Functions on RDDs of `[key, value]` pairs: Spark's `PairRDDFunctions` (implicit in Scala), added to {@link RDD}
 * with `this: RDD<[K, V]>` so they read like Spark's. Keys compare by value (KeyHash.ts). Optional values of outer
 * joins are `undefined` (Spark's `None`).
 */
import type { Aggregator } from './Aggregator';
import { apiFlavor, hashPartitioner, newKeyCombiner } from './ApiFlavor';
import { cloneValue } from './cloneValue';
import { CompactBuffer } from './CompactBuffer';
import { KeyMap } from './KeyMap';
import { MapPartitionsRDD } from './MapPartitionsRDD';
import { HashPartitioner, Partitioner } from './Partitioner';
import { PythonPartitioner } from './PythonPartitioner';
import { RDD } from './RDD';
import { ShuffledRDD } from './ShuffledRDD';
import { UnionRDD } from './UnionRDD';

/** A partitioner or a partition count, as Spark's overloads take either. */
export type PartitionerArg = Partitioner | number | undefined;

/**
 * Spark's `Partitioner.defaultPartitioner`: the existing partitioner with the most partitions when it is eligible
 * (within 10x of the widest input) or at least as wide as the default count; else a hash over the default count
 * (`spark.default.parallelism` when set, else the widest input's partition count).
 *
 * Python flavour: PySpark's `_defaultReducePartitions` of the RDD the shuffle reads (for joins and cogroup the
 * union of the inputs, so the sum of their partitions unless they share one partitioner), `portable_hash` over it.
 */
export function defaultPartitioner(rdd: RDD<unknown>, ...others: RDD<unknown>[]): Partitioner {
  const rdds = [rdd, ...others];
  if (apiFlavor(rdd.sc) === 'python') {
    if (rdd.sc.conf.contains('spark.default.parallelism')) return new PythonPartitioner(rdd.sc.defaultParallelism);
    const p0 = rdd.partitioner;
    const shared = p0 !== undefined && others.every((r) => p0.equals(r.partitioner));
    const n = shared ? rdd.getNumPartitions() : rdds.reduce((a, r) => a + r.getNumPartitions(), 0);
    return new PythonPartitioner(Math.max(1, n));
  }
  const withPartitioner = rdds.filter((r) => r.partitioner && r.partitioner.numPartitions > 0);
  const widest = Math.max(...rdds.map((r) => r.getNumPartitions()));
  const n = rdd.sc.conf.contains('spark.default.parallelism') ? rdd.sc.defaultParallelism : widest;
  if (withPartitioner.length > 0) {
    const best = withPartitioner.reduce((a, b) => (b.getNumPartitions() > a.getNumPartitions() ? b : a));
    const eligible = Math.log10(widest) - Math.log10(best.getNumPartitions()) < 1;
    if (eligible || n <= best.getNumPartitions()) return best.partitioner as Partitioner;
  }
  return new HashPartitioner(Math.max(1, n));
}

function resolvePartitioner(arg: PartitionerArg, rdd: RDD<unknown>, ...others: RDD<unknown>[]): Partitioner {
  if (arg instanceof Partitioner) return arg;
  if (typeof arg === 'number') return hashPartitioner(rdd.sc, arg);
  return defaultPartitioner(rdd, ...others);
}

declare module './RDD' {
  // T must be declared for the interface to merge with the class, though pair functions do not use it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface RDD<T> {
    mapValues<K, V, W>(this: RDD<[K, V]>, f: (v: V) => W): RDD<[K, W]>;
    flatMapValues<K, V, W>(this: RDD<[K, V]>, f: (v: V) => Iterable<W>): RDD<[K, W]>;
    keys<K, V>(this: RDD<[K, V]>): RDD<K>;
    values<K, V>(this: RDD<[K, V]>): RDD<V>;
    /** Spark's `combineByKey` (`combineByKeyWithClassTag`): no shuffle when already partitioned the same way. */
    combineByKey<K, V, C>(
      this: RDD<[K, V]>,
      createCombiner: (v: V) => C,
      mergeValue: (c: C, v: V) => C,
      mergeCombiners: (c1: C, c2: C) => C,
      partitioner?: PartitionerArg,
      mapSideCombine?: boolean,
    ): RDD<[K, C]>;
    reduceByKey<K, V>(this: RDD<[K, V]>, f: (a: V, b: V) => V, partitioner?: PartitionerArg): RDD<[K, V]>;
    foldByKey<K, V>(this: RDD<[K, V]>, zeroValue: V, f: (a: V, b: V) => V, partitioner?: PartitionerArg): RDD<[K, V]>;
    aggregateByKey<K, V, U>(
      this: RDD<[K, V]>,
      zeroValue: U,
      seqOp: (u: U, v: V) => U,
      combOp: (a: U, b: U) => U,
      partitioner?: PartitionerArg,
    ): RDD<[K, U]>;
    /** Spark's `groupByKey`: values in a {@link CompactBuffer}, no map-side combine. */
    groupByKey<K, V>(this: RDD<[K, V]>, partitioner?: PartitionerArg): RDD<[K, CompactBuffer<V>]>;
    partitionBy<K, V>(this: RDD<[K, V]>, partitioner: Partitioner): RDD<[K, V]>;
    cogroup<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, [CompactBuffer<V>, CompactBuffer<W>]]>;
    cogroup<K, V, W1, W2>(
      this: RDD<[K, V]>,
      other1: RDD<[K, W1]>,
      other2: RDD<[K, W2]>,
      partitioner?: PartitionerArg,
    ): RDD<[K, [CompactBuffer<V>, CompactBuffer<W1>, CompactBuffer<W2>]]>;
    join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, [V, W]]>;
    leftOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, [V, W | undefined]]>;
    rightOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, [V | undefined, W]]>;
    fullOuterJoin<K, V, W>(
      this: RDD<[K, V]>,
      other: RDD<[K, W]>,
      partitioner?: PartitionerArg,
    ): RDD<[K, [V | undefined, W | undefined]]>;
    subtractByKey<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, V]>;
    countByKey<K, V>(this: RDD<[K, V]>): Promise<Map<K, number>>;
    collectAsMap<K, V>(this: RDD<[K, V]>): Promise<Map<K, V>>;
    lookup<K, V>(this: RDD<[K, V]>, key: K): Promise<V[]>;
  }
}

RDD.prototype.mapValues = function <K, V, W>(this: RDD<[K, V]>, f: (v: V) => W): RDD<[K, W]> {
  return new MapPartitionsRDD<[K, V], [K, W]>(this, { kind: 'sink', make: (down) => (p) => down([p[0], f(p[1])]) }, 'mapValues', true);
};

RDD.prototype.flatMapValues = function <K, V, W>(this: RDD<[K, V]>, f: (v: V) => Iterable<W>): RDD<[K, W]> {
  return new MapPartitionsRDD<[K, V], [K, W]>(
    this,
    {
      kind: 'sink',
      make: (down) => (p) => {
        for (const w of f(p[1])) down([p[0], w]);
      },
    },
    'flatMapValues',
    true,
  );
};

RDD.prototype.keys = function <K, V>(this: RDD<[K, V]>): RDD<K> {
  return new MapPartitionsRDD<[K, V], K>(this, { kind: 'sink', make: (down) => (p) => down(p[0]) }, 'keys');
};

RDD.prototype.values = function <K, V>(this: RDD<[K, V]>): RDD<V> {
  return new MapPartitionsRDD<[K, V], V>(this, { kind: 'sink', make: (down) => (p) => down(p[1]) }, 'values');
};

function combineByKeyImpl<K, V, C>(
  self: RDD<[K, V]>,
  agg: Aggregator<V, C>,
  partitioner: Partitioner,
  mapSideCombine: boolean,
  site: string,
): RDD<[K, C]> {
  if (partitioner.equals(self.partitioner)) {
    // Spark's `combineValuesByKey` per partition (an ExternalAppendOnlyMap; PySpark: its merger's dict).
    const flavor = apiFlavor(self.sc);
    const create = agg.createCombiner.bind(agg);
    const merge = agg.mergeValue.bind(agg);
    return new MapPartitionsRDD<[K, V], [K, C]>(
      self,
      {
        kind: 'whole',
        f: (pairs) => {
          const m = newKeyCombiner<K, C>(flavor);
          for (let i = 0; i < pairs.length; i++) m.combine(pairs[i][0], pairs[i][1], create, merge);
          const out: [K, C][] = [];
          m.forEach((c, k) => void out.push([k, c]));
          return out;
        },
      },
      site,
      true,
    );
  }
  return new ShuffledRDD<K, V, C>(self, partitioner, agg, mapSideCombine, site);
}

RDD.prototype.combineByKey = function <K, V, C>(
  this: RDD<[K, V]>,
  createCombiner: (v: V) => C,
  mergeValue: (c: C, v: V) => C,
  mergeCombiners: (c1: C, c2: C) => C,
  partitioner?: PartitionerArg,
  mapSideCombine = true,
): RDD<[K, C]> {
  const p = resolvePartitioner(partitioner, this as RDD<unknown>);
  return combineByKeyImpl(this, { createCombiner, mergeValue, mergeCombiners }, p, mapSideCombine, 'combineByKey');
};

RDD.prototype.reduceByKey = function <K, V>(this: RDD<[K, V]>, f: (a: V, b: V) => V, partitioner?: PartitionerArg): RDD<[K, V]> {
  const p = resolvePartitioner(partitioner, this as RDD<unknown>);
  return combineByKeyImpl<K, V, V>(this, { createCombiner: (v) => v, mergeValue: f, mergeCombiners: f }, p, true, 'reduceByKey');
};

RDD.prototype.foldByKey = function <K, V>(this: RDD<[K, V]>, zeroValue: V, f: (a: V, b: V) => V, partitioner?: PartitionerArg): RDD<[K, V]> {
  const p = resolvePartitioner(partitioner, this as RDD<unknown>);
  return combineByKeyImpl<K, V, V>(this, { createCombiner: (v) => f(cloneValue(zeroValue), v), mergeValue: f, mergeCombiners: f }, p, true, 'foldByKey');
};

RDD.prototype.aggregateByKey = function <K, V, U>(
  this: RDD<[K, V]>,
  zeroValue: U,
  seqOp: (u: U, v: V) => U,
  combOp: (a: U, b: U) => U,
  partitioner?: PartitionerArg,
): RDD<[K, U]> {
  const p = resolvePartitioner(partitioner, this as RDD<unknown>);
  return combineByKeyImpl<K, V, U>(this, { createCombiner: (v) => seqOp(cloneValue(zeroValue), v), mergeValue: seqOp, mergeCombiners: combOp }, p, true, 'aggregateByKey');
};

RDD.prototype.groupByKey = function <K, V>(this: RDD<[K, V]>, partitioner?: PartitionerArg): RDD<[K, CompactBuffer<V>]> {
  const p = resolvePartitioner(partitioner, this as RDD<unknown>);
  return combineByKeyImpl<K, V, CompactBuffer<V>>(
    this,
    {
      createCombiner: (v) => CompactBuffer.of1(v),
      mergeValue: (c, v) => (c.push(v), c),
      mergeCombiners: (a, b) => {
        for (const x of b) a.push(x);
        return a;
      },
    },
    p,
    false,
    'groupByKey',
  );
};

RDD.prototype.partitionBy = function <K, V>(this: RDD<[K, V]>, partitioner: Partitioner): RDD<[K, V]> {
  if (partitioner.equals(this.partitioner)) return this;
  return new ShuffledRDD<K, V, V>(this, partitioner, undefined, false, 'partitionBy');
};

/**
 * Spark's `CoGroupedRDD`: every input tagged with its position, shuffled together, and the values of each key
 * gathered into one buffer per input (inputs already partitioned the same way still go through the shuffle).
 */
function cogroupImpl<K>(rdds: RDD<[K, unknown]>[], partitioner: Partitioner): RDD<[K, CompactBuffer<unknown>[]]> {
  const n = rdds.length;
  const sc = rdds[0].sc;
  const tagged = rdds.map(
    (r, i) =>
      new MapPartitionsRDD<[K, unknown], [K, [number, unknown]]>(r, { kind: 'sink', make: (down) => (p) => down([p[0], [i, p[1]]]) }, 'cogroup'),
  );
  const all = new UnionRDD(sc, tagged, 'cogroup');
  const newGroups = (): CompactBuffer<unknown>[] => {
    const g: CompactBuffer<unknown>[] = new Array(n);
    for (let i = 0; i < n; i++) g[i] = new CompactBuffer();
    return g;
  };
  return new ShuffledRDD<K, [number, unknown], CompactBuffer<unknown>[]>(
    all,
    partitioner,
    {
      createCombiner: (tv) => {
        const g = newGroups();
        g[tv[0]].push(tv[1]);
        return g;
      },
      mergeValue: (g, tv) => {
        g[tv[0]].push(tv[1]);
        return g;
      },
      mergeCombiners: (a, b) => {
        for (let i = 0; i < n; i++) for (const x of b[i]) a[i].push(x);
        return a;
      },
    },
    false,
    'cogroup',
  );
}

RDD.prototype.cogroup = function <K>(this: RDD<[K, unknown]>, ...args: unknown[]): RDD<[K, any]> {
  const others = args.filter((a): a is RDD<[K, unknown]> => a instanceof RDD);
  const last = args[args.length - 1];
  const arg = last instanceof RDD ? undefined : (last as PartitionerArg);
  const p = resolvePartitioner(arg, this as RDD<unknown>, ...(others as RDD<unknown>[]));
  return cogroupImpl<K>([this, ...others], p);
} as RDD<unknown>['cogroup'];

RDD.prototype.join = function <K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, [V, W]]> {
  return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
    const out: [V, W][] = [];
    for (const v of vs) for (const w of ws) out.push([v, w]);
    return out;
  });
};

RDD.prototype.leftOuterJoin = function <K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, [V, W | undefined]]> {
  return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
    const out: [V, W | undefined][] = [];
    for (const v of vs) {
      if (ws.length === 0) out.push([v, undefined]);
      else for (const w of ws) out.push([v, w]);
    }
    return out;
  });
};

RDD.prototype.rightOuterJoin = function <K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, [V | undefined, W]]> {
  return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
    const out: [V | undefined, W][] = [];
    for (const w of ws) {
      if (vs.length === 0) out.push([undefined, w]);
      else for (const v of vs) out.push([v, w]);
    }
    return out;
  });
};

RDD.prototype.fullOuterJoin = function <K, V, W>(
  this: RDD<[K, V]>,
  other: RDD<[K, W]>,
  partitioner?: PartitionerArg,
): RDD<[K, [V | undefined, W | undefined]]> {
  return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
    const out: [V | undefined, W | undefined][] = [];
    if (vs.length === 0) for (const w of ws) out.push([undefined, w]);
    else if (ws.length === 0) for (const v of vs) out.push([v, undefined]);
    else for (const v of vs) for (const w of ws) out.push([v, w]);
    return out;
  });
};

RDD.prototype.subtractByKey = function <K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: PartitionerArg): RDD<[K, V]> {
  return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => (ws.length === 0 ? vs : []));
};

RDD.prototype.countByKey = async function <K, V>(this: RDD<[K, V]>): Promise<Map<K, number>> {
  return this.keys().countByValue();
};

RDD.prototype.collectAsMap = async function <K, V>(this: RDD<[K, V]>): Promise<Map<K, V>> {
  const m = new KeyMap<K, V>();
  for (const [k, v] of await this.collect()) m.set(k, v);
  return new Map(m.entries());
};

RDD.prototype.lookup = async function <K, V>(this: RDD<[K, V]>, key: K): Promise<V[]> {
  const probe = new KeyMap<K, true>().set(key, true);
  return (await this.filter((p) => probe.has(p[0])).collect()).map((p) => p[1]);
};
