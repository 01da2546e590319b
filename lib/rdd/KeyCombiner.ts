/**
 * The table a shuffle combines values into, one per task: Spark's `AppendOnlyMap` (Scala flavour) or PySpark's
 * dict in `ExternalMerger` (Python flavour). Both group keys by value (KeyHash.ts); they differ in the order
 * `forEach` yields the keys, which is the order the shuffle's output is in.
 */
export interface KeyCombiner<K, C> {
  readonly size: number;
  /** `x` becomes the key's value (`create`) or is merged into the value it has (`merge`). */
  combine<X>(k: K, x: X, create: (x: X) => C, merge: (c: C, x: X) => C): void;
  /** Every entry, in the table's iteration order. */
  forEach(f: (c: C, k: K) => void): void;
}
