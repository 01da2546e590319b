import * as fs from 'node:fs';
import * as path from 'node:path';
import { IllegalStateException } from '../core/errors';
import { getLogger } from '../core/logging';
import { type MasterUrl, parseMaster } from '../core/MasterUrl';
import { SparkConf } from '../core/SparkConf';
import { StreamingConf } from '../core/StreamingConf';
import { Broadcast } from './Broadcast';
import { CacheManager } from './CacheManager';
import { DAGScheduler } from './DAGScheduler';
import { LongAccumulator } from './LongAccumulator';
import { EmptyRDD, ParallelCollectionRDD } from './ParallelCollectionRDD';
import type { RDD } from './RDD';
import { UnionRDD } from './UnionRDD';

const log = getLogger('SparkContext');
let active: SparkContext | undefined;

/**
 * The entry to the RDD engine: Spark's `SparkContext`. One may be active per process, as in Spark.
 * `new SparkContext(conf)` or `new SparkContext(master, appName)`.
 */
export class SparkContext {
  readonly conf: SparkConf;
  readonly masterUrl: MasterUrl;
  readonly appName: string;
  readonly startTime = Date.now();
  readonly dagScheduler: DAGScheduler;
  readonly cacheManager = new CacheManager();
  /** RDDs marked with `persist`, by id (Spark's `getPersistentRDDs`). */
  readonly persistentRdds = new Map<number, RDD<unknown>>();
  private nextRddId = 0;
  private nextShuffleId = 0;
  private nextBroadcastId = 0;
  private nextAccumulatorId = 0;
  private stopped = false;
  private checkpointDir: string | undefined;

  constructor(conf: SparkConf);
  constructor(master: string, appName: string, conf?: SparkConf);
  constructor(confOrMaster: SparkConf | string, appName?: string, conf?: SparkConf) {
    const c = typeof confOrMaster === 'string' ? (conf?.clone() ?? new SparkConf()).setMaster(confOrMaster).setAppName(appName ?? 'dstreams') : confOrMaster.clone();
    if (!c.contains('spark.master')) throw new IllegalStateException('A master URL must be set in your configuration');
    if (!c.contains('spark.app.name')) throw new IllegalStateException('An application name must be set in your configuration');
    if (active && !active.stopped) {
      throw new IllegalStateException(
        'Only one SparkContext should be running in this process (see SPARK-2243). Stop the running one first (sc.stop()), or use SparkContext.getOrCreate().',
      );
    }
    this.conf = c;
    this.masterUrl = parseMaster(StreamingConf.MASTER.read(c));
    this.appName = StreamingConf.APP_NAME.read(c);
    const attempts = StreamingConf.TASK_MAX_FAILURES.read(c) ?? this.masterUrl.maxTaskAttempts;
    this.dagScheduler = new DAGScheduler(this.masterUrl.threads, attempts);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the process-wide active context, as Spark's
    active = this;
    log.debug({ master: this.masterUrl.master, app: this.appName }, 'SparkContext started');
  }

  /** The active context, or a new one from `conf`. */
  static getOrCreate(conf?: SparkConf): SparkContext {
    if (active && !active.stopped) return active;
    return new SparkContext(conf ?? new SparkConf());
  }

  static getActive(): SparkContext | undefined {
    return active && !active.stopped ? active : undefined;
  }

  get master(): string {
    return this.masterUrl.master;
  }

  /** `spark.default.parallelism`, else the master's worker slots. */
  get defaultParallelism(): number {
    return StreamingConf.DEFAULT_PARALLELISM.read(this.conf) ?? this.masterUrl.threads;
  }

  newRddId(): number {
    return this.nextRddId++;
  }

  newShuffleId(): number {
    return this.nextShuffleId++;
  }

  /** Spark's `parallelize`: the collection cut into `numSlices` slices as Spark slices it. */
  parallelize<T>(data: Iterable<T>, numSlices: number = this.defaultParallelism): RDD<T> {
    this.assertNotStopped();
    return new ParallelCollectionRDD(this, Array.isArray(data) ? (data as T[]) : [...data], numSlices);
  }

  /** Spark's `makeRDD` (same as `parallelize`). */
  makeRDD<T>(data: Iterable<T>, numSlices: number = this.defaultParallelism): RDD<T> {
    this.assertNotStopped();
    return new ParallelCollectionRDD(this, Array.isArray(data) ? (data as T[]) : [...data], numSlices, 'makeRDD');
  }

  /** Integers `[start, end)` by `step` (Spark's `range`). */
  range(start: number, end: number, step = 1, numSlices: number = this.defaultParallelism): RDD<number> {
    const data: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) data.push(i);
    return new ParallelCollectionRDD(this, data, numSlices, 'range');
  }

  emptyRDD<T>(): RDD<T> {
    return new EmptyRDD<T>(this);
  }

  /** Spark's `sc.union(rdds)`. */
  union<T>(rdds: readonly RDD<T>[]): RDD<T> {
    return new UnionRDD(this, rdds);
  }

  broadcast<T>(value: T): Broadcast<T> {
    return new Broadcast(this.nextBroadcastId++, value);
  }

  longAccumulator(name?: string): LongAccumulator {
    return new LongAccumulator(this.nextAccumulatorId++, name);
  }

  /** The folder for RDD checkpoints (data checkpoints of stateful streams). */
  setCheckpointDir(dir: string | undefined): void {
    if (dir === undefined) {
      this.checkpointDir = undefined;
      return;
    }
    const full = path.resolve(dir);
    fs.mkdirSync(full, { recursive: true });
    this.checkpointDir = full;
  }

  getCheckpointDir(): string | undefined {
    return this.checkpointDir;
  }

  isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cacheManager.clear();
    this.persistentRdds.clear();
    if (active === this) active = undefined;
  }

  private assertNotStopped(): void {
    if (this.stopped) throw new IllegalStateException('Cannot call methods on a stopped SparkContext.');
  }
}
