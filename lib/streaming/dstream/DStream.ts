import { Duration, Seconds } from '../../core/Duration';
import { IllegalStateException, requireThat, SparkException, UnsupportedOperationException } from '../../core/errors';
import { getLogger } from '../../core/logging';
import { StreamingConf } from '../../core/StreamingConf';
import { Interval } from '../../core/Interval';
import { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import { StorageLevel } from '../../storage/StorageLevel';
import type { DStreamGraph } from '../DStreamGraph';
import type { StreamingContext } from '../StreamingContext';
import { Job } from '../../scheduler/Job';

const log = getLogger('DStream');

/**
 * A discretized stream: a sequence of RDDs, one per batch time: Spark's `DStream[T]`.
 *
 * Subclasses give `slideDuration`, `dependencies` and `compute(validTime)`. RDDs are generated lazily and memoized
 * per time (`getOrCompute`), and forgotten after `rememberDuration`. The transformations and output operations are
 * added to this class by DStreamOperations.ts and PairDStreamFunctions.ts (declaration merging), so this module
 * never imports its subclasses.
 */
export abstract class DStream<T> {
  /** Position of this stream in its context's creation order (used to draw and fingerprint the graph). */
  readonly seq: number;
  /** The operation that created the stream (`map`, `window`, ...), Spark's creation site. */
  readonly creationSite: string;
  readonly generatedRDDs = new Map<number, RDD<T>>();
  zeroTime: Time | undefined;
  rememberDuration: Duration | undefined;
  storageLevel: StorageLevel = StorageLevel.NONE;
  /** Stateful streams must be checkpointed (updateStateByKey, inverse windows, mapWithState). */
  mustCheckpoint = false;
  checkpointDuration: Duration | undefined;
  graph: DStreamGraph | undefined;

  constructor(readonly ssc: StreamingContext, creationSite: string) {
    this.creationSite = creationSite;
    this.validateAtInit();
    this.seq = ssc.nextDStreamSeq();
  }

  /** Time between two RDDs of this stream. */
  abstract get slideDuration(): Duration;

  /** The streams this one is computed from. */
  abstract get dependencies(): readonly DStream<unknown>[];

  /** The RDD for a valid batch time, or `undefined` (Spark's `None`). */
  abstract compute(validTime: Time): RDD<T> | undefined;

  /** Spark's `context`. */
  get context(): StreamingContext {
    return this.ssc;
  }

  get isInitialized(): boolean {
    return this.zeroTime !== undefined;
  }

  /** How long parents must keep RDDs for this stream (windows add their length). */
  get parentRememberDuration(): Duration | undefined {
    return this.rememberDuration;
  }

  /** Spark's name for the class, as shown in the graph (`MappedDStream`, ...). */
  get className(): string {
    return this.constructor.name;
  }

  toString(): string {
    return `${this.className}[${this.seq}] (${this.creationSite})`;
  }

  /** `MappedDStream[3] map`: the class, the creation number and the operation (the graph's node labels). */
  get label(): string {
    return `${this.className}[${this.seq}] ${this.creationSite}`;
  }

  /**
   * The lineage of this stream, like RDD's `toDebugString`: this stream, then its parents indented under ` +- `,
   * each with its slide and, when set, its storage level and checkpoint interval.
   */
  toDebugString(): string {
    const lines: string[] = [];
    const visit = (d: DStream<unknown>, first: string, rest: string): void => {
      lines.push(first + d.debugLabel());
      const deps = d.dependencies;
      deps.forEach((p, i) => {
        const last = i === deps.length - 1;
        visit(p, rest + ' +- ', rest + (last ? '    ' : ' |  '));
      });
    };
    visit(this as DStream<unknown>, '', '');
    return lines.join('\n');
  }

  private debugLabel(): string {
    const attrs = [`slide ${this.slideDuration}`];
    if (this.storageLevel !== StorageLevel.NONE) attrs.push(this.storageLevel.name);
    if (this.checkpointDuration !== undefined) attrs.push(`checkpoint ${this.checkpointDuration}`);
    if (this.rememberDuration !== undefined) attrs.push(`remember ${this.rememberDuration}`);
    return `${this.label} [${attrs.join(', ')}]`;
  }

  /** Spark's `persist(level)`; only before the context starts. Default level MEMORY_ONLY_SER. */
  persist(level: StorageLevel = StorageLevel.MEMORY_ONLY_SER): this {
    if (this.isInitialized) {
      throw new UnsupportedOperationException('Cannot change storage level of a DStream after streaming context has started');
    }
    this.storageLevel = level;
    return this;
  }

  /** `persist()`. */
  cache(): this {
    return this.persist();
  }

  /** Spark's `checkpoint(interval)`: persists the stream and sets its data checkpoint interval. */
  checkpoint(interval: Duration): this {
    if (this.isInitialized) {
      throw new UnsupportedOperationException('Cannot change checkpoint interval of a DStream after streaming context has started');
    }
    this.persist();
    this.checkpointDuration = interval;
    return this;
  }

  // ---- lifecycle (called by DStreamGraph)

  /** Sets the zero time, default checkpoint interval and minimum remember duration, then the parents'. */
  initialize(time: Time): void {
    if (this.zeroTime !== undefined && !this.zeroTime.equals(time)) {
      throw new SparkException(`ZeroTime is already initialized to ${this.zeroTime}, cannot initialize it again to ${time}`);
    }
    this.zeroTime = time;
    if (this.mustCheckpoint && this.checkpointDuration === undefined) {
      this.checkpointDuration = this.defaultCheckpointDuration();
      log.info({ stream: String(this), interval: String(this.checkpointDuration) }, 'Checkpoint interval automatically set');
    }
    let minRemember = this.slideDuration;
    if (this.checkpointDuration !== undefined && minRemember.lessEq(this.checkpointDuration)) {
      minRemember = this.checkpointDuration.times(2);
    }
    if (this.rememberDuration === undefined || this.rememberDuration.less(minRemember)) this.rememberDuration = minRemember;
    for (const d of this.dependencies) d.initialize(time);
  }

  /** The smallest multiple of the slide that is at least 10 s (Spark's default data-checkpoint interval). */
  protected defaultCheckpointDuration(): Duration {
    const slide = this.slideDuration;
    return slide.times(Math.ceil(Seconds(10).div(slide)));
  }

  /** Keeps generated RDDs at least `duration` (and makes the parents keep what this stream needs). */
  remember(duration: Duration | undefined): void {
    if (duration !== undefined && (this.rememberDuration === undefined || duration.greater(this.rememberDuration))) {
      this.rememberDuration = duration;
    }
    for (const d of this.dependencies) d.remember(this.parentRememberDuration);
  }

  setGraph(graph: DStreamGraph): void {
    if (this.graph !== undefined && this.graph !== graph) {
      throw new SparkException(`Graph is already set in ${this}, cannot set it again`);
    }
    this.graph = graph;
    for (const d of this.dependencies) d.setGraph(graph);
  }

  /** Spark's `validateAtInit`: no new streams on an active or stopped context. */
  private validateAtInit(): void {
    const state = this.ssc.getState();
    if (state === 'ACTIVE') {
      throw new IllegalStateException('Adding new inputs, transformations, and output operations after starting a context is not supported');
    }
    if (state === 'STOPPED') {
      throw new IllegalStateException('Adding new inputs, transformations, and output operations after stopping a context is not supported');
    }
  }

  /** Spark's `validateAtStart`: checkpoint and remember settings are consistent. */
  validateAtStart(): void {
    requireThat(this.rememberDuration !== undefined, `Remember duration is set to null for ${this}`);
    requireThat(
      !this.mustCheckpoint || this.checkpointDuration !== undefined,
      `The checkpoint interval for ${this.className} has not been set. Please use DStream.checkpoint() to set the interval.`,
    );
    requireThat(
      this.checkpointDuration === undefined || this.ssc.checkpointDir !== undefined,
      'The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().',
    );
    if (this.checkpointDuration !== undefined) {
      const cp = this.checkpointDuration;
      requireThat(
        cp.greaterEq(this.slideDuration),
        `The checkpoint interval for ${this.className} has been set to ${cp} which is lower than its slide time (${this.slideDuration}). Please set it to at least ${this.slideDuration}.`,
      );
      requireThat(
        cp.isMultipleOf(this.slideDuration),
        `The checkpoint interval for ${this.className} has been set to ${cp} which not a multiple of its slide time (${this.slideDuration}). Please set it to a multiple of ${this.slideDuration}.`,
      );
      requireThat(this.storageLevel !== StorageLevel.NONE, `${this.className} has been marked for checkpointing but the storage level has not been set to enable persisting. Please use DStream.persist() to set the storage level to use memory for better checkpointing performance.`);
      requireThat(
        (this.rememberDuration as Duration).greater(cp),
        `The remember duration for ${this.className} has been set to ${this.rememberDuration} which is not more than the checkpoint interval (${cp}). Please set it to higher than ${cp}.`,
      );
    }
    for (const d of this.dependencies) d.validateAtStart();
  }

  // ---- generation

  /** Whether this stream has an RDD at `time`: after zero time, on its slide grid. */
  isTimeValid(time: Time): boolean {
    if (this.zeroTime === undefined) throw new SparkException(`${this} has not been initialized`);
    if (time.lessEq(this.zeroTime) || !time.minus(this.zeroTime).isMultipleOf(this.slideDuration)) return false;
    return true;
  }

  /** The RDD at `time`, computed once and memoized. */
  getOrCompute(time: Time): RDD<T> | undefined {
    const existing = this.generatedRDDs.get(time.milliseconds);
    if (existing) return existing;
    if (!this.isTimeValid(time)) return undefined;
    const rdd = this.compute(time);
    if (rdd) {
      if (this.storageLevel !== StorageLevel.NONE && rdd.getStorageLevel() === StorageLevel.NONE) rdd.persist(this.storageLevel);
      if (this.checkpointDuration !== undefined && time.minus(this.zeroTime as Time).isMultipleOf(this.checkpointDuration)) {
        this.markForCheckpoint(rdd, time);
      }
      this.generatedRDDs.set(time.milliseconds, rdd);
    }
    return rdd;
  }

  /** Called when the RDD at `time` falls on the checkpoint interval; the checkpoint machinery overrides this. */
  protected markForCheckpoint(_rdd: RDD<T>, _time: Time): void {}

  /** The job of this stream at `time` (output streams override; a plain stream just materializes its RDD). */
  generateJob(time: Time): Job | undefined {
    const rdd = this.getOrCompute(time);
    if (!rdd) return undefined;
    return new Job(time, async () => {
      await rdd.foreach(() => undefined);
    });
  }

  /** Drops RDDs older than `rememberDuration`, here and in the parents. */
  clearMetadata(time: Time): void {
    // Read once: clearMetadata runs for every stream every batch.
    const unpersist = (this.unpersistOld ??= StreamingConf.UNPERSIST.read(this.ssc.conf));
    const remember = this.rememberDuration ?? this.slideDuration;
    const thresh = time.minus(remember).milliseconds;
    for (const [t, rdd] of [...this.generatedRDDs]) {
      if (t > thresh) continue;
      this.generatedRDDs.delete(t);
      if (unpersist) rdd.unpersist();
      this.onForget(rdd, new Time(t));
    }
    for (const d of this.dependencies) d.clearMetadata(time);
  }

  private unpersistOld: boolean | undefined;

  /** Called for each forgotten RDD (receiver streams remove its blocks). */
  protected onForget(_rdd: RDD<T>, _time: Time): void {}

  // ---- checkpoint data hooks (filled in by stateful and input streams)

  updateCheckpointData(time: Time): void {
    for (const d of this.dependencies) d.updateCheckpointData(time);
  }

  clearCheckpointData(time: Time): void {
    for (const d of this.dependencies) d.clearCheckpointData(time);
  }

  restoreCheckpointData(): void {
    for (const d of this.dependencies) d.restoreCheckpointData();
  }

  // ---- slice

  /**
   * Spark's `slice(interval)` / `slice(fromTime, toTime)`: the RDDs of every valid time in `[fromTime, toTime]`
   * (bounds floored to the slide grid), computed on demand, even for batches the scheduler has not run yet.
   */
  slice(interval: Interval): RDD<T>[];
  slice(fromTime: Time, toTime: Time): RDD<T>[];
  slice(a: Interval | Time, b?: Time): RDD<T>[] {
    const [fromTime, toTime] = a instanceof Interval ? [a.beginTime, a.endTime] : [a, b as Time];
    if (!this.isInitialized) throw new SparkException(`${this} has not been initialized`);
    const zero = this.zeroTime as Time;
    const align = (t: Time): Time => {
      if (t.minus(zero).isMultipleOf(this.slideDuration)) return t;
      const a = t.floor(this.slideDuration, zero);
      log.warn({ stream: String(this), time: String(t), aligned: String(a) }, 'time is not aligned to the slide; flooring');
      return a;
    };
    const out: RDD<T>[] = [];
    for (const t of align(fromTime).to(align(toTime), this.slideDuration)) {
      if (t.less(zero)) continue;
      const rdd = this.getOrCompute(t);
      if (rdd) out.push(rdd);
    }
    return out;
  }
}
