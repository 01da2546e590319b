/**
 * The narrow transformations of {@link RDD} (Spark's `RDD.map`, `flatMap`, ...), added to the class here so that
 * RDD.ts need not import its subclasses. Each element-wise operator is a sink built once per partition.
 */
import { requireThat } from '../core/errors';
import { ScalaArray } from '../core/ScalaCollection';
import { apiFlavor, hashPartitioner, newKeyCombiner } from './ApiFlavor';
import { CoalescedRDD } from './CoalescedRDD';
import { MapPartitionsRDD } from './MapPartitionsRDD';
import { HashPartitioner } from './Partitioner';
import { RDD } from './RDD';
import { randomSeed, SeededRandom } from './SeededRandom';
import { ShuffledRDD } from './ShuffledRDD';
import { UnionRDD } from './UnionRDD';
import { ZippedWithIndexRDD } from './ZippedWithIndexRDD';

/** Spark's `RandomSampler.roundingEpsilon`: fractions this close to 0 or 1 take nothing or everything. */
const ROUNDING_EPSILON = 1e-6;

declare module './RDD' {
  interface RDD<T> {
    /** Spark's `map`. */
    map<U>(f: (t: T) => U): RDD<U>;
    /** Spark's `flatMap`: `f` returns any iterable (an array is fastest). */
    flatMap<U>(f: (t: T) => Iterable<U>): RDD<U>;
    /** Spark's `filter`. */
    filter(f: (t: T) => boolean): RDD<T>;
    /** Spark's `mapPartitions`: `f` gets the partition's elements and returns the new ones. */
    mapPartitions<U>(f: (elements: T[]) => Iterable<U>, preservesPartitioning?: boolean): RDD<U>;
    /** Spark's `mapPartitionsWithIndex`. */
    mapPartitionsWithIndex<U>(f: (index: number, elements: T[]) => Iterable<U>, preservesPartitioning?: boolean): RDD<U>;
    /** Spark's `glom`: one array per partition. */
    glom(): RDD<T[]>;
    /** Spark's `union` (`++`). */
    union(other: RDD<T>): RDD<T>;
    /** Spark's `coalesce(n, shuffle = false)`. */
    coalesce(numPartitions: number, shuffle?: boolean): RDD<T>;
    /** Spark's `repartition(n)` = `coalesce(n, shuffle = true)`: elements spread round-robin. */
    repartition(numPartitions: number): RDD<T>;
    /** Spark's `distinct(numPartitions)`; elements compare by value (see KeyHash.ts). */
    distinct(numPartitions?: number): RDD<T>;
    /** Spark's `keyBy`: `[f(t), t]`. */
    keyBy<K>(f: (t: T) => K): RDD<[K, T]>;
    /**
     * Spark's `sample(withReplacement, fraction, seed)`: without replacement each element is kept with probability
     * `fraction` (Bernoulli); with replacement each element appears a Poisson(`fraction`) number of times. The draws
     * depend only on the seed and the partition index, so a seed gives the same sample on every run and retry.
     */
    sample(withReplacement: boolean, fraction: number, seed?: number): RDD<T>;
    /**
     * Spark's `zipWithIndex`: each element with its index in the RDD's order (partition by partition). Counts the
     * elements of the partitions first (one extra job, run by the first action).
     */
    zipWithIndex(): RDD<[T, number]>;
    /** Spark's `zipWithUniqueId`: the k-th element of partition i gets id `k * numPartitions + i` (no extra job). */
    zipWithUniqueId(): RDD<[T, number]>;
  }
}

RDD.prototype.map = function <T, U>(this: RDD<T>, f: (t: T) => U): RDD<U> {
  return new MapPartitionsRDD<T, U>(this, { kind: 'sink', make: (down) => (x) => down(f(x)) }, 'map');
};

RDD.prototype.flatMap = function <T, U>(this: RDD<T>, f: (t: T) => Iterable<U>): RDD<U> {
  return new MapPartitionsRDD<T, U>(
    this,
    {
      kind: 'sink',
      make: (down) => (x) => {
        const ys = f(x);
        if (Array.isArray(ys)) for (let i = 0; i < ys.length; i++) down(ys[i]);
        else for (const y of ys) down(y);
      },
    },
    'flatMap',
  );
};

RDD.prototype.filter = function <T>(this: RDD<T>, f: (t: T) => boolean): RDD<T> {
  return new MapPartitionsRDD<T, T>(
    this,
    {
      kind: 'sink',
      make: (down) => (x) => {
        if (f(x)) down(x);
      },
    },
    'filter',
    true,
  );
};

RDD.prototype.mapPartitions = function <T, U>(this: RDD<T>, f: (elements: T[]) => Iterable<U>, preservesPartitioning = false): RDD<U> {
  return new MapPartitionsRDD<T, U>(this, { kind: 'whole', f: (els) => f(els) }, 'mapPartitions', preservesPartitioning);
};

RDD.prototype.mapPartitionsWithIndex = function <T, U>(
  this: RDD<T>,
  f: (index: number, elements: T[]) => Iterable<U>,
  preservesPartitioning = false,
): RDD<U> {
  return new MapPartitionsRDD<T, U>(this, { kind: 'whole', f: (els, i) => f(i, els) }, 'mapPartitionsWithIndex', preservesPartitioning);
};

RDD.prototype.glom = function <T>(this: RDD<T>): RDD<T[]> {
  // A ScalaArray prints as PySpark's list in pprint() ([1, 2]), where a plain array would be a tuple.
  return new MapPartitionsRDD<T, T[]>(this, { kind: 'whole', f: (els) => [ScalaArray.copyOf(els)] }, 'glom');
};

RDD.prototype.union = function <T>(this: RDD<T>, other: RDD<T>): RDD<T> {
  return new UnionRDD(this.sc, [this, other]);
};

RDD.prototype.coalesce = function <T>(this: RDD<T>, numPartitions: number, shuffle = false): RDD<T> {
  requireThat(Number.isInteger(numPartitions) && numPartitions > 0, `Number of partitions (${numPartitions}) must be positive.`);
  if (!shuffle) return new CoalescedRDD(this, numPartitions);
  // Spark's coalesce-with-shuffle: each partition deals its elements round-robin starting at a position derived
  // from the partition index, keyed by that position, then hash-partitions the positions.
  const keyed = new MapPartitionsRDD<T, [number, T]>(
    this,
    {
      kind: 'sink',
      make: (down, _ctx, split) => {
        let position = (split.index * 2654435761) % numPartitions;
        return (x) => {
          position = position + 1 === numPartitions ? 0 : position + 1;
          down([position, x]);
        };
      },
    },
    'coalesce',
  );
  const shuffled = new ShuffledRDD<number, T, T>(keyed, new HashPartitioner(numPartitions), undefined, false, 'coalesce');
  return new MapPartitionsRDD<[number, T], T>(shuffled, { kind: 'sink', make: (down) => (p) => down(p[1]) }, 'coalesce');
};

RDD.prototype.repartition = function <T>(this: RDD<T>, numPartitions: number): RDD<T> {
  return this.coalesce(numPartitions, true);
};

RDD.prototype.distinct = function <T>(this: RDD<T>, numPartitions?: number): RDD<T> {
  const n = numPartitions ?? this.getNumPartitions();
  const flavor = apiFlavor(this.sc);
  if (flavor === 'scala' && this.partitioner !== undefined && n === this.getNumPartitions()) {
    // Spark's `removeDuplicatesInPartition`: already partitioned, one ExternalAppendOnlyMap per partition.
    return new MapPartitionsRDD<T, T>(
      this,
      {
        kind: 'whole',
        f: (els) => {
          const m = newKeyCombiner<T, null>(flavor);
          for (let i = 0; i < els.length; i++) m.combine(els[i], null, keepNull, keepNull);
          const out: T[] = [];
          m.forEach((_c, k) => void out.push(k));
          return out;
        },
      },
      'distinct',
      true,
    );
  }
  // map(x => (x, null)).reduceByKey((x, _) => x, n).map(_._1), in Scala and in PySpark alike.
  const keyed = new MapPartitionsRDD<T, [T, null]>(this, { kind: 'sink', make: (down) => (x) => down([x, null]) }, 'distinct');
  const reduced = new ShuffledRDD<T, null, null>(
    keyed,
    hashPartitioner(this.sc, Math.max(1, n)),
    { createCombiner: keepNull, mergeValue: keepNull, mergeCombiners: keepNull },
    true,
    'distinct',
  );
  return new MapPartitionsRDD<[T, null], T>(reduced, { kind: 'sink', make: (down) => (p) => down(p[0]) }, 'distinct');
};

function keepNull(): null {
  return null;
}

RDD.prototype.keyBy = function <T, K>(this: RDD<T>, f: (t: T) => K): RDD<[K, T]> {
  return new MapPartitionsRDD<T, [K, T]>(this, { kind: 'sink', make: (down) => (x) => down([f(x), x]) }, 'keyBy');
};

RDD.prototype.sample = function <T>(this: RDD<T>, withReplacement: boolean, fraction: number, seed: number = randomSeed()): RDD<T> {
  requireThat(fraction >= 0, `Fraction must be nonnegative, but got ${fraction}`);
  if (!withReplacement) {
    requireThat(fraction <= 1 + ROUNDING_EPSILON, `Sampling fraction (${fraction}) must be on interval [0, 1]`);
  }
  const make = (down: (t: T) => void, split: { index: number }): ((t: T) => void) => {
    if (fraction <= ROUNDING_EPSILON) return () => undefined;
    if (!withReplacement && fraction >= 1 - ROUNDING_EPSILON) return down;
    const rng = new SeededRandom(seed, split.index);
    if (!withReplacement) {
      return (x) => {
        if (rng.nextDouble() < fraction) down(x);
      };
    }
    return (x) => {
      for (let n = rng.nextPoisson(fraction); n > 0; n--) down(x);
    };
  };
  return new MapPartitionsRDD<T, T>(this, { kind: 'sink', make: (down, _ctx, split) => make(down, split) }, 'sample', true);
};

RDD.prototype.zipWithIndex = function <T>(this: RDD<T>): RDD<[T, number]> {
  return new ZippedWithIndexRDD(this);
};

RDD.prototype.zipWithUniqueId = function <T>(this: RDD<T>): RDD<[T, number]> {
  const n = this.getNumPartitions();
  return new MapPartitionsRDD<T, [T, number]>(
    this,
    {
      kind: 'sink',
      make: (down, _ctx, split) => {
        let id = split.index;
        return (x) => {
          down([x, id]);
          id += n;
        };
      },
    },
    'zipWithUniqueId',
  );
};
