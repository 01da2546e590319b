import { SparkException } from '../../core/errors';
import type { Time } from '../../core/Time';
import { KeyMap } from '../../rdd/KeyMap';
import type { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import type { Sink } from '../../rdd/Sink';
import type { SparkContext } from '../../rdd/SparkContext';
import type { TaskContext } from '../../rdd/TaskContext';
import { MaterializedRDD, readPartition } from './MaterializedRDD';

/** A key left the window but neither the previous window nor the new batches have a value for it (Spark's message). */
export class InconsistentWindowKeyException extends SparkException {
  constructor(readonly key: unknown, readonly stream: string, readonly time: Time) {
    super('Neither previous window has value for key, nor new values found. Are you sure your key class hashes consistently?');
  }
}

/**
 * One window of `reduceByKeyAndWindow` with an inverse function (the RDD of Spark's ReducedWindowedDStream, there a
 * `CoGroupedRDD` + `mapValues` + `filter`): per partition, the previous window's values, minus (`invReduceFunc`)
 * the reduced batches that left, plus (`reduceFunc`) the reduced batches that entered. All inputs are partitioned by
 * the same partitioner, so nothing is shuffled and the cost is the previous window's keys plus the batches that
 * moved, whatever the window length.
 */
export class ReducedWindowRDD<K, V> extends MaterializedRDD<[K, V], [K, V][]> {
  private previous: RDD<[K, V]> | undefined;
  private oldRDDs: RDD<[K, V]>[];
  private newRDDs: RDD<[K, V]>[];

  constructor(
    sc: SparkContext,
    previous: RDD<[K, V]> | undefined,
    oldRDDs: RDD<[K, V]>[],
    newRDDs: RDD<[K, V]>[],
    partitioner: Partitioner,
    private readonly reduceFunc: (a: V, b: V) => V,
    private readonly invReduceFunc: (a: V, b: V) => V,
    private readonly filterFunc: ((kv: [K, V]) => boolean) | undefined,
    private readonly streamName: string,
    readonly time: Time,
  ) {
    super(sc, 'reduceByKeyAndWindow', partitioner);
    this.previous = previous?.partitionBy(partitioner);
    this.oldRDDs = oldRDDs.map((r) => r.partitionBy(partitioner));
    this.newRDDs = newRDDs.map((r) => r.partitionBy(partitioner));
  }

  override get partitioner(): Partitioner {
    return this.statePartitioner;
  }

  protected parents(): RDD<unknown>[] {
    const out = [...this.oldRDDs, ...this.newRDDs] as RDD<unknown>[];
    if (this.previous) out.unshift(this.previous as RDD<unknown>);
    return out;
  }

  protected dropParents(): void {
    this.previous = undefined;
    this.oldRDDs = [];
    this.newRDDs = [];
  }

  protected emit(pairs: [K, V][], sink: Sink<[K, V]>): void {
    for (let i = 0; i < pairs.length; i++) sink(pairs[i]);
  }

  /** The batches in `rdds`, partition `index`, reduced per key. */
  private async reduced(rdds: RDD<[K, V]>[], index: number, context: TaskContext): Promise<KeyMap<K, V>> {
    const f = this.reduceFunc;
    const m = new KeyMap<K, V>();
    for (const rdd of rdds) {
      const pairs = await readPartition(rdd, index, context);
      for (let i = 0; i < pairs.length; i++) {
        const [k, v] = pairs[i];
        const cur = m.get(k);
        m.set(k, cur === undefined && !m.has(k) ? v : f(cur as V, v));
      }
    }
    return m;
  }

  protected async computePayload(index: number, context: TaskContext): Promise<[K, V][]> {
    const prev = this.previous;
    if (prev instanceof MaterializedRDD) await prev.materializeAll();
    const window = new KeyMap<K, V>();
    if (prev) {
      const pairs = await readPartition(prev, index, context);
      for (let i = 0; i < pairs.length; i++) window.set(pairs[i][0], pairs[i][1]);
    }
    const olds = await this.reduced(this.oldRDDs, index, context);
    const news = await this.reduced(this.newRDDs, index, context);
    const f = this.reduceFunc;
    const inv = this.invReduceFunc;
    olds.forEach((oldValue, k) => {
      if (window.has(k)) window.set(k, inv(window.get(k) as V, oldValue));
      else if (!news.has(k)) throw new InconsistentWindowKeyException(k, this.streamName, this.time);
    });
    news.forEach((newValue, k) => {
      window.set(k, window.has(k) ? f(window.get(k) as V, newValue) : newValue);
    });
    const out: [K, V][] = [];
    const filter = this.filterFunc;
    window.forEach((v, k) => {
      const kv: [K, V] = [k, v];
      if (filter === undefined || filter(kv)) out.push(kv);
    });
    return out;
  }
}
