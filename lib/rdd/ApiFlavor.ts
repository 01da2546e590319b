/**
 * Which Spark API a program's results follow: `dstreams.api.flavor` = `scala` (Scala/Java Spark, the default) or
 * `python` (PySpark). The flavour is the program's, read from the SparkContext's configuration, so every output of
 * one program follows the same rules whatever prints it. What it changes:
 *
 * - the partition of a key in the shuffles of pair operations that take a partition count: Java's `hashCode` mod n
 *   (`HashPartitioner`) or `portable_hash(k) % n` ({@link PythonPartitioner});
 * - the order of keys inside a partition after a shuffle or a combine: Spark's `AppendOnlyMap` iteration order
 *   ({@link AppendOnlyMap}) or first-insertion order (PySpark merges in Python dicts, {@link PythonDict});
 * - PySpark's own behaviour of a few operators (its `reduceByKeyAndWindow` with an inverse over a window shorter than
 *   5 slides, `countByValueAndWindow`, `groupByKeyAndWindow`, `updateStateByKey`; see WindowOperations.ts).
 */
import { StreamingConf } from '../core/StreamingConf';
import { AppendOnlyMap } from './AppendOnlyMap';
import type { KeyCombiner } from './KeyCombiner';
import { HashPartitioner, type Partitioner } from './Partitioner';
import { PythonDict } from './PythonDict';
import { PythonPartitioner } from './PythonPartitioner';
import type { SparkContext } from './SparkContext';

export type ApiFlavor = 'scala' | 'python';

const flavors = new WeakMap<SparkContext, ApiFlavor>();

/** The context's `dstreams.api.flavor`. */
export function apiFlavor(sc: SparkContext): ApiFlavor {
  let f = flavors.get(sc);
  if (f === undefined) {
    f = StreamingConf.API_FLAVOR.read(sc.conf);
    flavors.set(sc, f);
  }
  return f;
}

/** The table a shuffle or a combine of this flavour groups keys in. */
export function newKeyCombiner<K, C>(flavor: ApiFlavor): KeyCombiner<K, C> {
  return flavor === 'python' ? new PythonDict<K, C>() : new AppendOnlyMap<K, C>();
}

/** The partitioner that a partition count means: `HashPartitioner(n)`, or PySpark's `portable_hash` one. */
export function hashPartitioner(sc: SparkContext, numPartitions: number): Partitioner {
  return apiFlavor(sc) === 'python' ? new PythonPartitioner(numPartitions) : new HashPartitioner(numPartitions);
}
