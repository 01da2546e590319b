import { appendOnlyMapOrder } from './AppendOnlyMap';
import { keyHash, nonNegativeMod, scalaHash, tuple2Hash } from './KeyHash';
import { HashPartitioner, type Partitioner } from './Partitioner';
import { PythonDict } from './PythonDict';

/**
 * The map-side combine of Spark's sort shuffle (`ExternalSorter` with an aggregator): a `PartitionedAppendOnlyMap`
 * keyed by `(partition, key)` (so placed by that Tuple2's hashCode), whose output per reduce partition is sorted by
 * the key's `hashCode` (ExternalSorter's `keyComparator`, a stable TimSort, so keys of equal hashCode stay in slot
 * order). That sorted run is what the reduce side reads from this map task. As in AppendOnlyMap.ts, values are
 * combined in insertion order (`combine`) and the table's layout is replayed over the distinct keys at the end.
 */
export class PartitionedAppendOnlyMap<K, C> extends PythonDict<K, C> {
  constructor(private readonly part: Partitioner) {
    super();
  }

  /** The combined pairs bound for each reduce partition, each run in the order Spark writes it. */
  buckets(): Array<Array<[K, C]>> {
    const n = this.part.numPartitions;
    const byHash = this.part instanceof HashPartitioner;
    const keys = this.keyArray;
    const values = this.valueArray;
    const size = keys.length;
    const hashCodes = new Int32Array(size);
    const partitions = new Int32Array(size);
    const tupleHashes = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const k = keys[i];
      const h = keyHash(k);
      // ExternalSorter partitions only when there is more than one partition.
      const p = n <= 1 ? 0 : byHash ? nonNegativeMod(h, n) : this.part.getPartition(k);
      hashCodes[i] = h;
      partitions[i] = p;
      // The tuple hashes its elements with `##`, which differs from hashCode only for some numbers.
      tupleHashes[i] = tuple2Hash(p, typeof k === 'string' || (typeof k === 'number' && Number.isInteger(k)) ? h : scalaHash(k));
    }
    const slotOrder = appendOnlyMapOrder(tupleHashes, size);
    const runs: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < size; i++) runs[partitions[slotOrder[i]]].push(slotOrder[i]);
    const buckets: Array<Array<[K, C]>> = new Array(n);
    for (let p = 0; p < n; p++) {
      const run = runs[p];
      run.sort((a, b) => hashCodes[a] - hashCodes[b]); // stable, as Spark's TimSort
      const bucket = new Array<[K, C]>(run.length);
      for (let i = 0; i < run.length; i++) bucket[i] = [keys[run[i]], values[run[i]]];
      buckets[p] = bucket;
    }
    return buckets;
  }
}
