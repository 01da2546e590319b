/**
 * Arrays that stand for Scala collections, so that `print()` shows Scala's `toString` of them (`CompactBuffer(1, 2)`,
 * `ArrayBuffer(1, 2)`) and `pprint()` a Python list (`[1, 2]`), where a plain array is a tuple (`(1,2)`, `(1, 2)`).
 * Their `map`, `filter`, `slice`... return plain arrays (`Symbol.species`), as Spark's values are not kept.
 */
export abstract class ScalaCollection<T> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** What Scala's `toString` prints before the parenthesised elements (Scala's `stringPrefix`). */
  abstract get stringPrefix(): string;
}

/**
 * The values of one key after a DStream's `groupByKey` or `groupByKeyAndWindow`: Spark 3.5's PairDStreamFunctions
 * group into a `scala.collection.mutable.ArrayBuffer` (`combineByKey[ArrayBuffer[V]]`), printed `ArrayBuffer(1, 2)`.
 * (An RDD's `groupByKey` and `cogroup` give a `CompactBuffer`.)
 */
export class ScalaArrayBuffer<T> extends ScalaCollection<T> {
  get stringPrefix(): string {
    return 'ArrayBuffer';
  }
}

/**
 * One partition's elements from `glom()` (Scala's `Array[T]`): a list in `pprint()`, as PySpark prints glom's lists
 * (`[501, 132, 150]`). Scala's `print()` shows a JVM array's identity (`[I@6d06d69c`, different every run);
 * dstreams prints `Array(1, 2)`, as Scala's REPL and `ScalaRunTime.stringOf` do.
 */
export class ScalaArray<T> extends ScalaCollection<T> {
  get stringPrefix(): string {
    return 'Array';
  }

  /** A copy of `xs` (the partition's own array may be cached and shared). */
  static copyOf<T>(xs: readonly T[]): ScalaArray<T> {
    const a = new ScalaArray<T>(xs.length);
    for (let i = 0; i < xs.length; i++) a[i] = xs[i];
    return a;
  }
}
