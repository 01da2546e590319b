import type { Aggregator } from './Aggregator';
import { type ApiFlavor, apiFlavor, newKeyCombiner } from './ApiFlavor';
import { cloneValue } from './cloneValue';
import { ShuffleDependency, type Dependency } from './Dependency';
import type { Ordering } from './Ordering';
import { IndexPartition, type Partition } from './Partition';
import { PartitionedAppendOnlyMap } from './PartitionedAppendOnlyMap';
import type { Partitioner } from './Partitioner';
import { RDD } from './RDD';
import type { ComputeResult, Sink } from './Sink';
import type { TaskContext } from './TaskContext';

/** One map task's output: for each reduce partition, the (key, value-or-combiner) pairs bound for it. */
type MapOutput = Array<Array<[unknown, unknown]>>;

/**
 * The result of a shuffle: Spark's `ShuffledRDD`. The first reduce task to run computes the map side (every parent
 * partition, with task retries) once; its output stays in memory with this RDD, as Spark's shuffle files stay on
 * disk, and every reduce task reads its bucket from it.
 *
 * Order, as Spark's (the context's `dstreams.api.flavor`, ApiFlavor.ts):
 * - without map-side combine a map task's records keep their order in each bucket (Spark's bypass-merge and
 *   serialized shuffle writers only group by partition);
 * - with map-side combine a map task combines into one table: Scala, `ExternalSorter`'s PartitionedAppendOnlyMap,
 *   each bucket sorted by key hashCode; Python, PySpark's `combineLocally` dict, first-insertion order;
 * - the reduce side reads the map outputs in map-task order (BlockStoreShuffleReader) into one table per partition,
 *   Scala's `ExternalAppendOnlyMap` (AppendOnlyMap iteration order) or PySpark's `mergeCombiners` dict, and yields
 *   the table's order; with a key ordering (sortByKey), a stable sort by key after that.
 */
export class ShuffledRDD<K, V, C> extends RDD<[K, C]> {
  private readonly dependency: ShuffleDependency;
  private mapOutputs: Promise<MapOutput[]> | undefined;
  private keyOrdering: Ordering<K> | undefined;
  private readonly flavor: ApiFlavor;

  constructor(
    readonly parent: RDD<[K, V]>,
    private readonly part: Partitioner,
    private readonly aggregator?: Aggregator<V, C>,
    private readonly mapSideCombine = false,
    creationSite = 'partitionBy',
  ) {
    super(parent.sc, creationSite);
    this.dependency = new ShuffleDependency(parent as RDD<unknown>, parent.sc.newShuffleId());
    this.flavor = apiFlavor(parent.sc);
  }

  /** Spark's `setKeyOrdering`: each reduce partition is sorted by key (stably) before it is read. */
  setKeyOrdering(ordering: Ordering<K>): this {
    this.keyOrdering = ordering;
    return this;
  }

  override get partitioner(): Partitioner {
    return this.part;
  }

  protected getPartitions(): Partition[] {
    const out: Partition[] = [];
    for (let i = 0; i < this.part.numPartitions; i++) out.push(new IndexPartition(i));
    return out;
  }

  getDependencies(): Dependency[] {
    return [this.dependency];
  }

  compute(split: Partition, _context: TaskContext, sink: Sink<[K, C]>): ComputeResult {
    if (!this.mapOutputs) {
      this.mapOutputs = this.runMapStage();
      // A failed map stage is recomputed by the next action, as Spark resubmits a failed stage.
      this.mapOutputs.catch(() => (this.mapOutputs = undefined));
    }
    return this.mapOutputs.then((outputs) => this.readBucket(outputs, split.index, sink));
  }

  private async runMapStage(): Promise<MapOutput[]> {
    const prepared = this.part.prepare();
    if (prepared instanceof Promise) await prepared;
    const n = this.part.numPartitions;
    const part = this.part;
    const agg = this.aggregator;
    const combine = agg !== undefined && this.mapSideCombine;
    return this.sc.dagScheduler.runJob(this.parent, (): { sink: Sink<[K, V]>; finish: () => MapOutput } => {
      if (combine) {
        // Bound: an Aggregator may be a class instance whose methods use `this`.
        const create = agg.createCombiner.bind(agg);
        const merge = agg.mergeValue.bind(agg);
        if (this.flavor === 'scala') {
          const sorter = new PartitionedAppendOnlyMap<K, C>(part);
          return {
            sink: (pair) => sorter.combine(pair[0], pair[1], create, merge),
            finish: () => sorter.buckets() as MapOutput,
          };
        }
        const combiners = newKeyCombiner<K, C>(this.flavor);
        return {
          sink: (pair) => combiners.combine(pair[0], pair[1], create, merge),
          finish: () => {
            const buckets: MapOutput = Array.from({ length: n }, () => []);
            combiners.forEach((c, k) => buckets[n === 1 ? 0 : part.getPartition(k)].push([k, c]));
            return buckets;
          },
        };
      }
      const buckets: MapOutput = Array.from({ length: n }, () => []);
      return {
        sink: (pair) => {
          buckets[n === 1 ? 0 : part.getPartition(pair[0])].push(pair as [unknown, unknown]);
        },
        finish: () => buckets,
      };
    }, 'shuffle map');
  }

  private readBucket(outputs: MapOutput[], reduceId: number, sink: Sink<[K, C]>): void {
    const ord = this.keyOrdering;
    if (!ord) return this.readBucketUnsorted(outputs, reduceId, sink);
    const all: [K, C][] = [];
    this.readBucketUnsorted(outputs, reduceId, (p) => void all.push(p));
    all.sort((a, b) => ord(a[0], b[0]));
    for (let i = 0; i < all.length; i++) sink(all[i]);
  }

  private readBucketUnsorted(outputs: MapOutput[], reduceId: number, sink: Sink<[K, C]>): void {
    const agg = this.aggregator;
    if (!agg) {
      for (const out of outputs) {
        const bucket = out[reduceId];
        for (let i = 0; i < bucket.length; i++) sink(bucket[i] as [K, C]);
      }
      return;
    }
    const combiners = newKeyCombiner<K, C>(this.flavor);
    const combined = this.mapSideCombine;
    // A map output's combiner is copied before it is merged into: the map outputs are kept for every later read of
    // this shuffle (a second output operation, a window reading it again), and a combiner function may change its
    // first argument in place, as Spark allows (there every read deserializes a fresh copy of the shuffle file).
    const create = combined ? (x: unknown) => cloneValue(x) as C : (agg.createCombiner.bind(agg) as (x: unknown) => C);
    const merge = (combined ? agg.mergeCombiners.bind(agg) : agg.mergeValue.bind(agg)) as (c: C, x: unknown) => C;
    for (const out of outputs) {
      const bucket = out[reduceId];
      for (let i = 0; i < bucket.length; i++) combiners.combine(bucket[i][0] as K, bucket[i][1], create, merge);
    }
    combiners.forEach((c, k) => sink([k, c]));
  }
}
