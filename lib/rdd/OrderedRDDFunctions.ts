/**
 * Sorting: Spark's `OrderedRDDFunctions` (`sortByKey`, `repartitionAndSortWithinPartitions`) and `RDD.sortBy`,
 * added to {@link RDD}. Keys are ordered by {@link defaultOrdering} (numbers numerically, strings by UTF-16 code
 * units, arrays lexicographically; see Ordering.ts) unless an ordering is given. A sort is a shuffle through a
 * {@link RangePartitioner} (partition i holds keys below partition i+1's) whose reduce side sorts each partition.
 */
import { MapPartitionsRDD } from './MapPartitionsRDD';
import { defaultOrdering, reverseOrdering, type Ordering } from './Ordering';
import type { Partitioner } from './Partitioner';
import { RangePartitioner } from './RangePartitioner';
import { RDD } from './RDD';
import { ShuffledRDD } from './ShuffledRDD';

declare module './RDD' {
  interface RDD<T> {
    /**
     * Spark's `sortByKey(ascending, numPartitions)`: a total sort by key; `collect` returns the pairs in key order
     * (pairs with equal keys keep their order of arrival).
     */
    sortByKey<K, V>(this: RDD<[K, V]>, ascending?: boolean, numPartitions?: number, ordering?: Ordering<K>): RDD<[K, V]>;
    /** Spark's `sortBy(f, ascending, numPartitions)`: a total sort by `f(element)`. */
    sortBy<K>(f: (t: T) => K, ascending?: boolean, numPartitions?: number, ordering?: Ordering<K>): RDD<T>;
    /** Spark's `repartitionAndSortWithinPartitions(partitioner)`: shuffle by `partitioner`, each partition sorted by key. */
    repartitionAndSortWithinPartitions<K, V>(this: RDD<[K, V]>, partitioner: Partitioner, ordering?: Ordering<K>): RDD<[K, V]>;
  }
}

function sortedShuffle<K, V>(self: RDD<[K, V]>, ascending: boolean, numPartitions: number, ordering: Ordering<K>, site: string): RDD<[K, V]> {
  // Spark's RangePartitioner always has at least one partition (an empty sample gives one range).
  const part = new RangePartitioner<K>(Math.max(1, numPartitions), self as RDD<[K, unknown]>, ascending, ordering);
  return new ShuffledRDD<K, V, V>(self, part, undefined, false, site).setKeyOrdering(ascending ? ordering : reverseOrdering(ordering));
}

RDD.prototype.sortByKey = function <K, V>(
  this: RDD<[K, V]>,
  ascending = true,
  numPartitions: number = this.getNumPartitions(),
  ordering: Ordering<K> = defaultOrdering,
): RDD<[K, V]> {
  return sortedShuffle(this, ascending, numPartitions, ordering, 'sortByKey');
};

RDD.prototype.sortBy = function <T, K>(
  this: RDD<T>,
  f: (t: T) => K,
  ascending = true,
  numPartitions: number = this.getNumPartitions(),
  ordering: Ordering<K> = defaultOrdering,
): RDD<T> {
  const keyed = new MapPartitionsRDD<T, [K, T]>(this, { kind: 'sink', make: (down) => (x) => down([f(x), x]) }, 'sortBy');
  const sorted = sortedShuffle(keyed, ascending, numPartitions, ordering, 'sortBy');
  return new MapPartitionsRDD<[K, T], T>(sorted, { kind: 'sink', make: (down) => (p) => down(p[1]) }, 'sortBy');
};

RDD.prototype.repartitionAndSortWithinPartitions = function <K, V>(
  this: RDD<[K, V]>,
  partitioner: Partitioner,
  ordering: Ordering<K> = defaultOrdering,
): RDD<[K, V]> {
  return new ShuffledRDD<K, V, V>(this, partitioner, undefined, false, 'repartitionAndSortWithinPartitions').setKeyOrdering(ordering);
};
