import { SparkException } from '../../core/errors';
import type { Time } from '../../core/Time';
import type { ApiFlavor } from '../../rdd/ApiFlavor';
import { AppendOnlyMap } from '../../rdd/AppendOnlyMap';
import { KeyMap } from '../../rdd/KeyMap';
import type { Partitioner } from '../../rdd/Partitioner';
import { PythonDict } from '../../rdd/PythonDict';
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

/** A key's values in one window step: the previous window's, the old batches' and the new batches' (reduced). */
interface WindowValues<V> {
  prev: V | typeof ABSENT;
  old: V | typeof ABSENT;
  new: V | typeof ABSENT;
}

const ABSENT: unique symbol = Symbol('absent');

/**
 * One window of `reduceByKeyAndWindow` with an inverse function (the RDD of Spark's ReducedWindowedDStream, there a
 * `CoGroupedRDD` + `mapValues` + `filter`): per partition, the previous window's values, minus (`invReduceFunc`)
 * the reduced batches that left, plus (`reduceFunc`) the reduced batches that entered. All inputs are partitioned by
 * the same partitioner, so nothing is shuffled and the cost is the previous window's keys plus the batches that
 * moved, whatever the window length. Keys come out in Spark's order for the flavour (`mergeScala`, `mergePython`).
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
    private readonly flavor: ApiFlavor = 'scala',
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

  protected async computePayload(index: number, context: TaskContext): Promise<[K, V][]> {
    const prev = this.previous;
    if (prev instanceof MaterializedRDD) await prev.materializeAll();
    const prevPairs = prev ? await readPartition(prev, index, context) : [];
    const olds: [K, V][][] = [];
    for (const r of this.oldRDDs) olds.push(await readPartition(r, index, context));
    const news: [K, V][][] = [];
    for (const r of this.newRDDs) news.push(await readPartition(r, index, context));
    return this.flavor === 'python' ? this.mergePython(prevPairs, olds, news) : this.mergeScala(prevPairs, olds, news);
  }

  /**
   * Spark's CoGroupedRDD over (previous window, old batches..., new batches...) inserted in that order into one
   * AppendOnlyMap, then its `mergeValues` per key in the map's order, then `filterFunc`.
   */
  private mergeScala(prevPairs: [K, V][], olds: [K, V][][], news: [K, V][][]): [K, V][] {
    const f = this.reduceFunc;
    const table = new AppendOnlyMap<K, WindowValues<V>>();
    const fresh = (): WindowValues<V> => ({ prev: ABSENT, old: ABSENT, new: ABSENT });
    const setPrev = (w: WindowValues<V>, v: V): WindowValues<V> => ((w.prev = v), w);
    const addOld = (w: WindowValues<V>, v: V): WindowValues<V> => ((w.old = w.old === ABSENT ? v : f(w.old as V, v)), w);
    const addNew = (w: WindowValues<V>, v: V): WindowValues<V> => ((w.new = w.new === ABSENT ? v : f(w.new as V, v)), w);
    for (let i = 0; i < prevPairs.length; i++) table.combine(prevPairs[i][0], prevPairs[i][1], (v) => setPrev(fresh(), v), setPrev);
    for (const pairs of olds) for (let i = 0; i < pairs.length; i++) table.combine(pairs[i][0], pairs[i][1], (v) => addOld(fresh(), v), addOld);
    for (const pairs of news) for (let i = 0; i < pairs.length; i++) table.combine(pairs[i][0], pairs[i][1], (v) => addNew(fresh(), v), addNew);
    const inv = this.invReduceFunc;
    const out: [K, V][] = [];
    const filter = this.filterFunc;
    table.forEach((w, k) => {
      let v: V;
      if (w.prev === ABSENT) {
        if (w.new === ABSENT) throw new InconsistentWindowKeyException(k, this.streamName, this.time);
        v = w.new as V;
      } else {
        v = w.prev as V;
        if (w.old !== ABSENT) v = inv(v, w.old as V);
        if (w.new !== ABSENT) v = f(v, w.new as V);
      }
      const kv: [K, V] = [k, v];
      if (filter === undefined || filter(kv)) out.push(kv);
    });
    return out;
  }

  /**
   * PySpark's incremental step (PythonReducedWindowedDStream with its `invReduceFunc` and `reduceFunc`):
   * `prev.leftOuterJoin(old).mapValues(inv)`, then `union(new).reduceByKey(f)`, then `filterFunc`. Keys come in
   * first-insertion order: the previous window's, then new ones; a key only in old batches is dropped.
   */
  private mergePython(prevPairs: [K, V][], olds: [K, V][][], news: [K, V][][]): [K, V][] {
    const f = this.reduceFunc;
    const inv = this.invReduceFunc;
    const first = (v: V): V => v;
    const oldReduced = new PythonDict<K, V>();
    for (const pairs of olds) for (let i = 0; i < pairs.length; i++) oldReduced.combine(pairs[i][0], pairs[i][1], first, f);
    const oldIndex = new KeyMap<K, V>();
    oldReduced.forEach((v, k) => oldIndex.set(k, v));
    const window = new PythonDict<K, V>();
    for (let i = 0; i < prevPairs.length; i++) {
      const [k, v] = prevPairs[i];
      const old = oldIndex.get(k);
      window.combine(k, old === undefined && !oldIndex.has(k) ? v : inv(v, old as V), first, f);
    }
    const newReduced = new PythonDict<K, V>();
    for (const pairs of news) for (let i = 0; i < pairs.length; i++) newReduced.combine(pairs[i][0], pairs[i][1], first, f);
    newReduced.forEach((v, k) => window.combine(k, v, first, f));
    const out: [K, V][] = [];
    const filter = this.filterFunc;
    window.forEach((v, k) => {
      const kv: [K, V] = [k, v];
      if (filter === undefined || filter(kv)) out.push(kv);
    });
    return out;
  }
}
