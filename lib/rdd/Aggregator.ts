/** How values of one key are combined: Spark's `Aggregator(createCombiner, mergeValue, mergeCombiners)`. */
export interface Aggregator<V, C> {
  createCombiner(v: V): C;
  mergeValue(c: C, v: V): C;
  mergeCombiners(c1: C, c2: C): C;
}
