import { SparkException } from '../../core/errors';
import { type Dependency, NarrowDependency } from '../../rdd/Dependency';
import { IndexPartition, type Partition } from '../../rdd/Partition';
import type { Partitioner } from '../../rdd/Partitioner';
import { RDD } from '../../rdd/RDD';
import type { ComputeResult, Sink } from '../../rdd/Sink';
import type { SparkContext } from '../../rdd/SparkContext';
import { TaskContext } from '../../rdd/TaskContext';

/** A materialized RDD was unpersisted after it forgot its parents, then asked for its data again. */
export class MaterializedRDDReleasedException extends SparkException {
  constructor(readonly rdd: string) {
    super(`${rdd} was unpersisted after its lineage was cut (it keeps its own partitions), so it cannot be computed again`);
  }
}

/**
 * An RDD of the stateful streams (state, mapWithState, incremental windows) whose partitions are computed once and
 * kept by the RDD itself as a *payload* (a state map, a record, an array of pairs); once every partition is
 * materialized it forgets its parents. This is what Spark gets from checkpointing these RDDs: the chain of state
 * RDDs (each built from the one before) does not keep every earlier batch's data and shuffle output alive.
 *
 * To keep that safe, a chained RDD materializes its predecessor completely ({@link materializeAll}) before it
 * computes its first partition, so at most the newest RDD of a chain has parents. The RDD does not go through
 * the CacheManager (the payload is the cache); `unpersist()` drops the payloads.
 */
export abstract class MaterializedRDD<T, P> extends RDD<T> {
  private payloads: (P | undefined)[] = [];
  private readonly pending: (Promise<P> | undefined)[] = [];
  private materializedCount = 0;
  private lineageCut = false;
  private released = false;

  constructor(
    sc: SparkContext,
    creationSite: string,
    readonly statePartitioner: Partitioner,
  ) {
    super(sc, creationSite);
  }

  /** Computes partition `index`'s payload from the parents. */
  protected abstract computePayload(index: number, context: TaskContext): P | Promise<P>;

  /** Pushes a payload's elements. */
  protected abstract emit(payload: P, sink: Sink<T>): void;

  /** The parents, while the lineage is not cut. */
  protected abstract parents(): RDD<unknown>[];

  /** Forgets the parents (every partition is materialized). */
  protected abstract dropParents(): void;

  protected getPartitions(): Partition[] {
    const out: Partition[] = [];
    for (let i = 0; i < this.statePartitioner.numPartitions; i++) out.push(new IndexPartition(i));
    return out;
  }

  getDependencies(): Dependency[] {
    return this.lineageCut ? [] : this.parents().map((p) => new NarrowDependency(p));
  }

  /** Whether every partition is computed (and the parents are forgotten). */
  get isMaterialized(): boolean {
    return this.lineageCut;
  }

  override iterator(split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult {
    return this.compute(split, context, sink);
  }

  compute(split: Partition, context: TaskContext, sink: Sink<T>): ComputeResult {
    const p = this.payload(split.index, context);
    if (p instanceof Promise) return p.then((v) => this.emit(v, sink));
    this.emit(p, sink);
  }

  /** Partition `index`'s payload, computed the first time it is asked for. */
  payload(index: number, context: TaskContext = new TaskContext(-1, index, 0)): P | Promise<P> {
    const have = this.payloads[index];
    if (have !== undefined) return have;
    if (this.released) throw new MaterializedRDDReleasedException(String(this));
    const inFlight = this.pending[index];
    if (inFlight) return inFlight;
    const r = this.computePayload(index, context);
    if (!(r instanceof Promise)) {
      this.store(index, r);
      return r;
    }
    const p = r.then(
      (v) => {
        this.pending[index] = undefined;
        this.store(index, v);
        return v;
      },
      (e: unknown) => {
        this.pending[index] = undefined;
        throw e;
      },
    );
    this.pending[index] = p;
    return p;
  }

  /** Computes every partition not computed yet. */
  materializeAll(): ComputeResult {
    const waits: Promise<P>[] = [];
    for (let i = 0; i < this.statePartitioner.numPartitions; i++) {
      const r = this.payload(i);
      if (r instanceof Promise) waits.push(r);
    }
    if (waits.length > 0) return Promise.all(waits).then(() => undefined);
  }

  private store(index: number, v: P): void {
    if (this.payloads[index] !== undefined) return;
    this.payloads[index] = v;
    if (++this.materializedCount === this.statePartitioner.numPartitions) {
      this.lineageCut = true;
      this.dropParents();
    }
  }

  override unpersist(blocking = false): this {
    super.unpersist(blocking);
    if (this.lineageCut) this.released = true;
    this.payloads = [];
    this.materializedCount = 0;
    return this;
  }
}

/** The elements of one partition of any RDD, as an array. */
export function readPartition<T>(rdd: RDD<T>, index: number, context: TaskContext): T[] | Promise<T[]> {
  const out: T[] = [];
  const r = rdd.iterator(rdd.partitions[index], context, (x) => {
    out.push(x);
  });
  if (r instanceof Promise) return r.then(() => out);
  return out;
}
