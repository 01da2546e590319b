import * as fs from 'node:fs';
import type { Clock } from '../core/clock/Clock';
import { createClock } from '../core/clock/createClock';
import { ManualClock } from '../core/clock/ManualClock';
import { isKnownKey } from '../core/ConfigEntry';
import type { Duration } from '../core/Duration';
import { IllegalArgumentException, IllegalStateException, SparkException } from '../core/errors';
import { resolveCheckpointDir } from '../checkpoint/CheckpointPath';
import { configureFaults } from '../core/FaultPoints';
import { getLogger } from '../core/logging';
import { SparkConf } from '../core/SparkConf';
import { IGNORED_SPARK_STREAMING_KEYS, StreamingConf } from '../core/StreamingConf';
import type { Observable } from 'rxjs';
import type { Time } from '../core/Time';
import { RDD } from '../rdd/RDD';
import { SparkContext } from '../rdd/SparkContext';
import type { CheckpointHook } from '../scheduler/CheckpointHook';
import { JobScheduler } from '../scheduler/JobScheduler';
import type { ReceiverTrackerApi } from '../scheduler/ReceiverTrackerApi';
import type { StreamingListener } from '../scheduler/StreamingListener';
import { ContextWaiter } from './ContextWaiter';
import { DStream } from './dstream/DStream';
import { ObservableInputDStream } from './dstream/ObservableInputDStream';
import { QueueInputDStream } from './dstream/QueueInputDStream';
import { TransformedDStream } from './dstream/TransformedDStream';
import { UnionDStream } from './dstream/UnionDStream';
import { DStreamGraph } from './DStreamGraph';
import { ShutdownHook } from './ShutdownHook';
import { StreamingContextState } from './StreamingContextState';

const log = getLogger('StreamingContext');

/** Spark's error when the receiver write-ahead log is enabled without a checkpoint directory. */
export const RECEIVER_WAL_WITHOUT_CHECKPOINT =
  'Cannot enable receiver write-ahead log without checkpoint directory set. Please use streamingContext.checkpoint() to set the checkpoint directory. See documentation for more details.';
let activeContext: StreamingContext | undefined;

/** What a restart from a checkpoint hands to the scheduler (filled in by the checkpoint machinery). */
export interface RestoredCheckpoint {
  readonly checkpointTime: Time;
  readonly pendingTimes: readonly Time[];
  /** The checkpoint file recovered from (named by recovery errors). */
  readonly file?: string;
  /** The oldest batch whose received blocks the re-run batches are computed from (their state, their windows). */
  readonly inputFromMs?: number;
  /** What reading the state streams' data checkpoints took (for benchmarks and reports). */
  readonly stateRestore?: { readonly streams: number; readonly keys: number; readonly files: number; readonly ms: number };
}

/** Where `print()` writes: stdout by default; tests and the UI may collect it. */
export interface OutputWriter {
  write(text: string): unknown;
}

/**
 * The entry point of a streaming program: Spark's `StreamingContext`.
 * `new StreamingContext(conf, batchDuration)`, `new StreamingContext(master, appName, batchDuration)` or
 * `new StreamingContext(sparkContext, batchDuration)`.
 */
export class StreamingContext {
  readonly sparkContext: SparkContext;
  readonly graph = new DStreamGraph();
  readonly clock: Clock;
  readonly waiter = new ContextWaiter();
  readonly scheduler: JobScheduler;
  /** Where `print()` and `pprint()` write. */
  out: OutputWriter = process.stdout;
  checkpointDir: string | undefined;
  checkpointDuration: Duration | undefined;
  /** Set by the checkpoint machinery when this context was recovered. */
  restoredCheckpoint: RestoredCheckpoint | undefined;
  /** Set by the checkpoint machinery when `checkpoint(dir)` is enabled. */
  checkpointHook: CheckpointHook | undefined;
  private state: StreamingContextState = StreamingContextState.INITIALIZED;
  private nextInputStreamId = 0;
  private nextSeq = 0;
  /** Where `start()` was called (Spark's start site), named by the "only one active context" error. */
  private startSite = '';
  private stopHooks: Array<() => void> = [];
  private shutdownHook: ShutdownHook | undefined;

  /** Installed by receivers/ (which the package entry imports): builds the ReceiverTracker for this context. */
  static receiverTrackerFactory: ((ssc: StreamingContext) => ReceiverTrackerApi) | undefined;
  /** Installed by the checkpoint machinery: turns `checkpoint(dir)` into a hook. */
  static checkpointHookFactory: ((ssc: StreamingContext) => CheckpointHook) | undefined;

  constructor(conf: SparkConf, batchDuration: Duration);
  constructor(sparkContext: SparkContext, batchDuration: Duration);
  constructor(master: string, appName: string, batchDuration: Duration);
  constructor(a: SparkConf | SparkContext | string, b: Duration | string, c?: Duration) {
    const batchDuration = a instanceof SparkContext || a instanceof SparkConf ? (b as Duration | undefined) : c;
    // Checked before a SparkContext is made, so a failed construction leaves none behind.
    if (batchDuration == null) throw new IllegalArgumentException('requirement failed: Batch duration for StreamingContext cannot be null');
    let createdSparkContext = false;
    if (a instanceof SparkContext) {
      this.sparkContext = a;
    } else {
      const conf = a instanceof SparkConf ? a : new SparkConf().setMaster(a).setAppName(b as string);
      StreamingContext.validateConf(conf);
      // Spark makes a new SparkContext here (an error while one runs); dstreams reuses the running one, as
      // checkpoint recovery does, and names the settings of `conf` that therefore do not apply.
      const running = SparkContext.getActive();
      if (running) {
        const ignored = conf.getAll().filter(([k, v]) => !running.conf.contains(k) || running.conf.get(k) !== v).map(([k]) => k);
        if (ignored.length > 0) {
          log.warn({ keys: ignored }, `A SparkContext is already running: it is reused and these settings are not applied: ${ignored.join(', ')}`);
        }
        this.sparkContext = running;
      } else {
        this.sparkContext = new SparkContext(conf);
        createdSparkContext = true;
      }
    }
    try {
      this.graph.setBatchDuration(batchDuration);
      this.clock = createClock(StreamingConf.CLOCK.key, StreamingConf.CLOCK.read(this.conf));
      configureFaults(this.conf);
      this.scheduler = new JobScheduler(this);
      const cpDir = StreamingConf.CHECKPOINT_DIRECTORY.read(this.conf);
      if (cpDir !== undefined) this.checkpoint(cpDir);
    } catch (e) {
      // A failed construction leaves no SparkContext of its own behind.
      if (createdSparkContext) this.sparkContext.stop();
      throw e;
    }
  }

  /**
   * Checks every known key's value (a malformed value is an error naming the key) and warns about unknown
   * `spark.streaming.*` keys.
   */
  static validateConf(conf: SparkConf): void {
    for (const [key] of conf.getAll()) {
      if (!key.startsWith('spark.streaming.') || isKnownKey(key) || IGNORED_SPARK_STREAMING_KEYS.includes(key)) continue;
      log.warn({ key }, `Unknown configuration key ${key}: dstreams ignores it`);
    }
    for (const entry of Object.values(StreamingConf)) entry.read(conf);
  }

  /** The SparkContext's configuration (Spark's `ssc.conf`). */
  get conf(): SparkConf {
    return this.sparkContext.conf;
  }

  /** Whether this context was recovered from a checkpoint. */
  get isCheckpointPresent(): boolean {
    return this.restoredCheckpoint !== undefined;
  }

  /** Spark's `getState()`: `INITIALIZED`, `ACTIVE` or `STOPPED`. */
  getState(): StreamingContextState {
    return this.state;
  }

  /** The currently active context, if any (Spark's `StreamingContext.getActive()`). */
  static getActive(): StreamingContext | undefined {
    return activeContext;
  }

  nextDStreamSeq(): number {
    return this.nextSeq++;
  }

  getNewInputStreamId(): import('../storage/StreamId').StreamId {
    return this.nextInputStreamId++ as import('../storage/StreamId').StreamId;
  }

  /** Spark's `remember(duration)`: keep every stream's RDDs at least this long (once). */
  remember(duration: Duration): void {
    this.graph.remember(duration);
  }

  /** Spark's `checkpoint(directory)`: metadata and state checkpoints go there (a local path or a `file:` URI). */
  checkpoint(directory: string | undefined): void {
    if (directory === undefined) {
      this.checkpointDir = undefined;
      this.sparkContext.setCheckpointDir(undefined);
      return;
    }
    // An empty path or a scheme other than file: is an error (not a folder named 'hdfs:').
    const full = resolveCheckpointDir(directory);
    if (fs.existsSync(full) && !fs.statSync(full).isDirectory()) {
      throw new IllegalArgumentException(`Checkpoint directory ${full} exists and is not a directory`);
    }
    fs.mkdirSync(full, { recursive: true });
    this.sparkContext.setCheckpointDir(full);
    this.checkpointDir = full;
    this.checkpointDuration ??= this.graph.batchDuration;
  }

  // ---- inputs

  /**
   * Spark's `queueStream(queue, oneAtATime = true, defaultRDD)`; the program may push RDDs while running. A drained
   * queue gives `defaultRDD`, by default one empty partition (`sc.makeRDD(Seq.empty, 1)`); `null` gives `emptyRDD`.
   * As PySpark's `queueStream(rdds)`, plain arrays are accepted too: each becomes an RDD (`sc.parallelize`) at the
   * call, in place, so the array stays the live queue for RDDs pushed later.
   */
  queueStream<T>(queue: RDD<T>[] | T[][], oneAtATime = true, defaultRDD?: RDD<T> | T[] | null): QueueInputDStream<T> {
    const rdds = queue as RDD<T>[];
    for (let i = 0; i < queue.length; i++) rdds[i] = this.queueElement(queue[i], `queueStream: queue[${i}]`);
    const fallback = defaultRDD === undefined || defaultRDD === null ? defaultRDD : this.queueElement(defaultRDD, 'queueStream: defaultRDD');
    return new QueueInputDStream(this, rdds, oneAtATime, fallback);
  }

  /** An RDD, or a plain array made one; anything else is an error naming where it was. */
  private queueElement<T>(x: RDD<T> | T[], where: string): RDD<T> {
    if (Array.isArray(x)) return this.sparkContext.parallelize(x);
    if (x instanceof RDD) return x;
    throw new IllegalArgumentException(`${where} must be an RDD or an array of elements, got ${x === null ? 'null' : typeof x}`);
  }

  /**
   * Spark's `union(streams)` and PySpark's `union(*dstreams)`: the streams as one array or as separate arguments.
   */
  union<T>(streams: readonly DStream<T>[]): DStream<T>;
  union<T>(...streams: DStream<T>[]): DStream<T>;
  union<T>(...args: Array<DStream<T> | readonly DStream<T>[]>): DStream<T> {
    const streams = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as readonly unknown[];
    if (streams.length === 0) throw new IllegalArgumentException('union: should have at least one DStream to union');
    streams.forEach((d, i) => {
      if (!(d instanceof DStream)) throw new IllegalArgumentException(`union: argument ${i} is not a DStream (got ${d === null ? 'null' : typeof d})`);
    });
    return new UnionDStream(streams as readonly DStream<T>[]);
  }

  /** Spark's `transform(streams, fn(rdds, time))`. */
  transform<T>(streams: readonly DStream<unknown>[], transformFunc: (rdds: RDD<unknown>[], time: Time) => RDD<T>): DStream<T> {
    return new TransformedDStream(this, streams, transformFunc);
  }

  /**
   * rxjs interop (no Spark equivalent): an Observable as an input stream. It is subscribed at `start()`; each
   * batch is what arrived since the previous batch, as one RDD of `numPartitions` partitions.
   */
  observableStream<T>(source: Observable<T>, numPartitions = 1): ObservableInputDStream<T> {
    return new ObservableInputDStream(this, source, numPartitions);
  }

  // ---- teaching

  /**
   * The DStream graph in Graphviz DOT (`dot -Tsvg`): one node per stream, labelled like `MappedDStream[3] map`,
   * an edge from each parent to its child; input streams and output operations are shaded.
   */
  graphToDot(): string {
    return this.graph.toDot();
  }

  /** Builds the receiver tracker (only when the graph has receiver streams). */
  createReceiverTracker(): ReceiverTrackerApi {
    if (!StreamingContext.receiverTrackerFactory) {
      throw new IllegalStateException('Receiver streams need the receivers module (import from the package entry, "dstreams")');
    }
    return StreamingContext.receiverTrackerFactory(this);
  }

  // ---- listeners

  /** Spark's `addStreamingListener`: events are delivered asynchronously, in order; a throwing listener is kept. */
  addStreamingListener(listener: StreamingListener): void {
    this.scheduler.listenerBus.addListener(listener);
  }

  /** Spark's `removeStreamingListener`. */
  removeStreamingListener(listener: StreamingListener): void {
    this.scheduler.listenerBus.removeListener(listener);
  }

  // ---- lifecycle

  /**
   * Spark's `start()`: validates synchronously (an error leaves the context STOPPED), then starts the scheduler.
   * Returns a promise that resolves once receivers and the timer run (awaiting it is optional).
   */
  start(): Promise<void> {
    if (this.state === StreamingContextState.ACTIVE) {
      log.warn('StreamingContext has already been started');
      return Promise.resolve();
    }
    if (this.state === StreamingContextState.STOPPED) throw new IllegalStateException('StreamingContext has already been stopped');
    this.startSite = callSite(new Error().stack);
    if (activeContext && activeContext !== this) {
      throw new IllegalStateException(
        `Only one StreamingContext may be started in this JVM. Currently running StreamingContext was started at${activeContext.startSite}`,
      );
    }
    try {
      this.validate();
    } catch (e) {
      this.state = StreamingContextState.STOPPED;
      throw e;
    }
    if (this.checkpointDir !== undefined && StreamingContext.checkpointHookFactory) this.checkpointHook = StreamingContext.checkpointHookFactory(this);
    this.state = StreamingContextState.ACTIVE;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the process-wide active context, as Spark's
    activeContext = this;
    const started = this.scheduler.start().then(
      () => this.scheduler.listenerBus.post('onStreamingStarted', { time: Date.now() }),
      async (e) => {
        this.scheduler.reportError('Error starting the context', e);
        this.state = StreamingContextState.STOPPED;
        this.shutdownHook?.remove();
        if (activeContext === this) activeContext = undefined;
        await this.scheduler.stop(false).catch(() => undefined);
        throw e;
      },
    );
    started.catch(() => undefined);
    this.startPromise = started;
    // Spark's shutdown hook: SIGINT/SIGTERM stop the context (gracefully if spark.streaming.stopGracefullyOnShutdown).
    this.shutdownHook = new ShutdownHook(() => this.stop(false, StreamingConf.STOP_GRACEFULLY_ON_SHUTDOWN.read(this.conf)));
    this.shutdownHook.install();
    return started;
  }

  private startPromise: Promise<void> | undefined;

  private validate(): void {
    this.graph.validate();
    if (StreamingConf.RECEIVER_WAL_ENABLE.read(this.conf) && this.checkpointDir === undefined && this.graph.getReceiverInputStreams().length > 0) {
      throw new SparkException(RECEIVER_WAL_WITHOUT_CHECKPOINT);
    }
    this.scheduler.prepareStart();
    if (this.graph.getReceiverInputStreams().length > 0 && this.sparkContext.masterUrl.threads === 1) {
      log.warn('spark.master should be set as local[n], n > 1 in local mode if you have receivers to get data, otherwise Spark jobs will not get resources to process the received data.');
    }
  }

  /** Resolves when the context stops; rejects with the error of a failed job (Spark's `awaitTermination`). */
  awaitTermination(): Promise<void> {
    return this.waiter.waitForStopOrError().then(() => undefined);
  }

  /** `true` if stopped within `timeoutMs`, `false` on timeout; rejects with a reported error. */
  awaitTerminationOrTimeout(timeoutMs: number): Promise<boolean> {
    return this.waiter.waitForStopOrError(timeoutMs);
  }

  /**
   * Spark's `stop(stopSparkContext, stopGracefully)`. Graceful: receivers stop, all received data becomes batches,
   * every generated batch runs. Idempotent; calling it from a listener callback is Spark's error.
   */
  stop(stopSparkContext: boolean = StreamingConf.STOP_SPARK_CONTEXT_BY_DEFAULT.read(this.conf), stopGracefully = false): Promise<void> {
    // Thrown, not rejected: a listener callback is synchronous and would never see a rejection.
    if (this.scheduler.listenerBus.inListenerCallback) {
      throw new SparkException('Cannot stop StreamingContext within listener bus thread.');
    }
    return this.doStop(stopSparkContext, stopGracefully);
  }

  private async doStop(stopSparkContext: boolean, stopGracefully: boolean): Promise<void> {
    switch (this.state) {
      case StreamingContextState.INITIALIZED:
        log.warn('StreamingContext has not been started yet');
        this.state = StreamingContextState.STOPPED;
        this.runStopHooks();
        break;
      case StreamingContextState.STOPPED:
        log.warn('StreamingContext has already been stopped');
        break;
      case StreamingContextState.ACTIVE:
        this.state = StreamingContextState.STOPPED;
        this.shutdownHook?.remove();
        try {
          await this.startPromise?.catch(() => undefined);
          await this.scheduler.stop(stopGracefully);
        } catch (e) {
          log.warn({ err: e }, 'Error stopping the scheduler');
        }
        if (activeContext === this) activeContext = undefined;
        this.waiter.notifyStop();
        this.runStopHooks();
        break;
    }
    if (stopSparkContext) this.sparkContext.stop();
  }

  /** Runs `fn` once this context has stopped (at once if it already has); used by `toObservable` to complete. */
  whenStopped(fn: () => void): void {
    if (this.state === StreamingContextState.STOPPED) fn();
    else this.stopHooks.push(fn);
  }

  private runStopHooks(): void {
    const hooks = this.stopHooks;
    this.stopHooks = [];
    for (const h of hooks) {
      try {
        h();
      } catch (e) {
        log.warn({ err: e }, 'A stop hook threw');
      }
    }
  }

  /**
   * Teaching and tests on a ManualClock: runs the next `n` batches (advancing the clock one batch at a time) and
   * resolves when they have completed and their listener events were delivered. If a job fails (an output operation
   * throws) or job generation does, it rejects with the first such error once the `n` batches have run: what Spark's
   * `awaitTermination()` throws when a job fails (which `awaitTermination()` here throws too); the context goes on.
   */
  async step(n = 1): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof ManualClock)) {
      throw new IllegalStateException(
        `step() needs the manual clock, but this context runs on the system clock (spark.streaming.clock = ${StreamingConf.CLOCK.read(this.conf)}): set spark.streaming.clock to manual (or org.apache.spark.util.ManualClock)`,
      );
    }
    if (!Number.isInteger(n) || n < 0) throw new IllegalArgumentException(`step(n): n must be a non-negative integer, got ${n}`);
    if (this.state !== StreamingContextState.ACTIVE) {
      throw new IllegalStateException(`step() needs an active context: this one is ${this.state}${this.state === 'INITIALIZED' ? ' (call start() first)' : ''}`);
    }
    await this.startPromise;
    const errors: unknown[] = [];
    const unsubscribe = this.waiter.onError((e) => errors.push(e));
    try {
      // Batch retries may move the clock further; stepBatch keeps n batches, in order (JobScheduler.stepBatch).
      for (let i = 0; i < n; i++) await this.scheduler.stepBatch(clock);
      await this.scheduler.listenerBus.waitUntilEmpty();
    } finally {
      unsubscribe();
    }
    if (errors.length > 0) throw errors[0];
  }
}

/** The caller of `start()` from a stack trace: the frames outside dstreams' own lib/ folder (Spark's long form). */
function callSite(stack: string | undefined): string {
  if (!stack) return '';
  const frames = stack.split('\n').slice(1).filter((l) => !/[\\/]lib[\\/](streaming|scheduler|core)[\\/]/.test(l));
  return frames.length ? '\n' + frames.join('\n') : '';
}
