import type { Clock } from '../lib/core/clock/Clock';
import { SystemClock } from '../lib/core/clock/SystemClock';
import { IllegalArgumentException, SparkException } from '../lib/core/errors';
import { getLogger } from '../lib/core/logging';
import type { SparkConf } from '../lib/core/SparkConf';
import { StreamingConf } from '../lib/core/StreamingConf';
import { StreamBlockId } from '../lib/storage/BlockId';
import type { StreamId } from '../lib/storage/StreamId';
import { RateLimiter } from './rate/RateLimiter';
import { concatStringsRuns, forEachString, type StringsRun } from './StringsBlock';

const log = getLogger('BlockGenerator');

/**
 * Callbacks of a {@link BlockGenerator}: Spark's `BlockGeneratorListener`. `onAddData` and `onGenerateBlock` run
 * synchronously with the buffer change they report (so they are atomic with it, as under Spark's lock);
 * `onPushBlock` runs on the pushing loop, one block at a time, and may return a promise.
 */
export interface BlockGeneratorListener<T = unknown> {
  /** Data was added with `addDataWithCallback` / `addMultipleDataWithCallback`. */
  onAddData(data: unknown, metadata: unknown): void;
  /** A block was cut from the buffer (it is not pushed yet). */
  onGenerateBlock(blockId: StreamBlockId): void;
  /** A block is ready to be stored; the next block waits until the returned promise settles. */
  onPushBlock(blockId: StreamBlockId, arrayBuffer: T[]): void | Promise<void>;
  /**
   * A block made only of serialized records (`addSerializedStrings`) is ready, as BlockSerializer bytes. Without
   * this callback such blocks are decoded and go to `onPushBlock`.
   */
  onPushSerializedBlock?(blockId: StreamBlockId, bytes: Buffer, numRecords: number): void | Promise<void>;
  /** Cutting or pushing a block failed. */
  onError(message: string, throwable: unknown): void;
}

/** Spark's `BlockGenerator.GeneratorState`. */
export type GeneratorState = 'Initialized' | 'Active' | 'StoppedAddingData' | 'StoppedGeneratingBlocks' | 'StoppedAll';

export interface BlockGeneratorOptions {
  /** Clock of the rate limiter (default the system clock: rates are per second of wall time). */
  readonly rateClock?: Clock;
  /** Turns a block's start time into its unique id (the supervisor keeps ids unique per stream). */
  readonly uniqueId?: (candidate: number) => number;
}

type Block<T> =
  | { readonly id: StreamBlockId; readonly kind: 'values'; readonly buffer: T[] }
  | { readonly id: StreamBlockId; readonly kind: 'serialized'; readonly bytes: Buffer; readonly count: number };

/** Buffered records: arrays of values, and runs of serialized strings, in the order they were added. */
type Segment<T> = T[] | StringsRun;

/**
 * Cuts the records a receiver stores one at a time into blocks, every `spark.streaming.blockInterval`: Spark's
 * `BlockGenerator` (`receiver/BlockGenerator.scala`). The interval timer runs on the given clock (a ManualClock in
 * tests); a block is named `input-<streamId>-<start of its interval>`; at most `spark.streaming.blockQueueSize`
 * blocks wait to be pushed, and the timer waits while the queue is full.
 *
 * Spark's adds block the calling thread (rate limit, full queue). Node cannot block, so every add returns a
 * promise when the caller should wait before adding more (`undefined` otherwise): sources honour it by pausing.
 */
export class BlockGenerator<T = unknown> extends RateLimiter {
  readonly blockIntervalMs: number;
  readonly blockQueueSize: number;
  private state: GeneratorState = 'Initialized';
  private segments: Segment<T>[] = [];
  /** The values array at the end of `segments` (where single records go), if the last segment is one. */
  private currentBuffer: T[] | undefined;
  private bufferedCount = 0;
  private readonly blocksForPushing: Block<T>[] = [];
  /** Aborts the timer's current wait (a fresh controller per wait: a waiting clock may keep a listener on it). */
  private timerWait: AbortController | undefined;
  private timerStopped = false;
  private timerLoop: Promise<void> | undefined;
  private nextTime = -1;
  private pusherRunning = false;
  private pusherDone: Promise<void> = Promise.resolve();
  private spaceWaiters: Array<() => void> = [];
  private stopping: Promise<void> | undefined;
  private readonly uniqueId: (candidate: number) => number;

  constructor(
    private readonly listener: BlockGeneratorListener<T>,
    readonly receiverId: StreamId,
    conf: SparkConf,
    private readonly clock: Clock = new SystemClock(),
    options: BlockGeneratorOptions = {},
  ) {
    super(conf, options.rateClock);
    this.blockIntervalMs = StreamingConf.BLOCK_INTERVAL.read(conf);
    if (!(this.blockIntervalMs > 0)) throw new IllegalArgumentException("requirement failed: 'spark.streaming.blockInterval' should be a positive value");
    this.blockQueueSize = Math.max(1, StreamingConf.BLOCK_QUEUE_SIZE.read(conf));
    this.uniqueId = options.uniqueId ?? ((c) => c);
  }

  /** Starts the interval timer and the pushing loop (only once, from Initialized). */
  start(): void {
    if (this.state !== 'Initialized') {
      throw new SparkException(`Cannot start BlockGenerator as its not in the Initialized state [state = ${this.state}]`);
    }
    this.state = 'Active';
    const period = this.blockIntervalMs;
    this.nextTime = (Math.floor(this.clock.getTimeMillis() / period) + 1) * period;
    this.timerLoop = this.runTimer();
    log.debug({ streamId: this.receiverId }, 'Started BlockGenerator');
  }

  /**
   * Stops in Spark's order: no more data is accepted; the buffered data becomes a final block at once (Spark waits
   * for the timer's next tick; the block is the same); every queued block is pushed. Resolves when all is pushed.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.state !== 'Active') {
      log.warn({ streamId: this.receiverId, state: this.state }, `Cannot stop BlockGenerator as its not in the Active state [state = ${this.state}]`);
      return Promise.resolve();
    }
    this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.state = 'StoppedAddingData';
    this.timerStopped = true;
    this.timerWait?.abort();
    await this.timerLoop;
    await this.updateCurrentBuffer(this.nextTime);
    this.state = 'StoppedGeneratingBlocks';
    while (this.pusherRunning) await this.pusherDone;
    this.state = 'StoppedAll';
    log.debug({ streamId: this.receiverId }, 'Stopped BlockGenerator');
  }

  /** Spark's `addData`: one record into the current buffer (rate-limited). */
  addData(data: T): Promise<void> | undefined {
    this.checkActive();
    const wait = this.reservePermits(1);
    this.valuesSegment().push(data);
    this.bufferedCount++;
    return this.waitHint(wait);
  }

  /** Spark's `addDataWithCallback`: `onAddData(data, metadata)` is called with the append. */
  addDataWithCallback(data: T, metadata: unknown): Promise<void> | undefined {
    this.checkActive();
    const wait = this.reservePermits(1);
    this.valuesSegment().push(data);
    this.bufferedCount++;
    this.listener.onAddData(data, metadata);
    return this.waitHint(wait);
  }

  /** Spark's `addMultipleDataWithCallback`: all records appended together, one `onAddData(records, metadata)`. */
  addMultipleDataWithCallback(dataIterator: Iterable<T>, metadata: unknown): Promise<void> | undefined {
    this.checkActive();
    const temp = Array.isArray(dataIterator) ? (dataIterator as T[]).slice() : [...dataIterator];
    const wait = this.appendAll(temp);
    this.listener.onAddData(temp, metadata);
    return this.waitHint(wait);
  }

  /**
   * dstreams' bulk form of `addData` (no callback): the records go into the current buffer in order, as if added
   * one by one. The receive path of the built-in receivers (one call per network chunk).
   */
  addMultipleData(data: readonly T[]): Promise<void> | undefined {
    this.checkActive();
    return this.waitHint(this.appendAll(data));
  }

  /**
   * dstreams' fast path of the text receivers: string records already serialized (one run per network chunk), as if
   * added one by one. A block made only of such runs is stored as bytes, without decoding.
   */
  addSerializedStrings(run: StringsRun): Promise<void> | undefined {
    this.checkActive();
    if (run.count === 0) return undefined;
    const wait = this.reservePermits(run.count);
    this.segments.push(run);
    this.currentBuffer = undefined;
    this.bufferedCount += run.count;
    return this.waitHint(wait);
  }

  isActive(): boolean {
    return this.state === 'Active';
  }

  isStopped(): boolean {
    return this.state === 'StoppedAll';
  }

  getState(): GeneratorState {
    return this.state;
  }

  /** Records buffered and not yet cut into a block. */
  get bufferedRecords(): number {
    return this.bufferedCount;
  }

  /** Blocks cut and waiting to be pushed. */
  get queuedBlocks(): number {
    return this.blocksForPushing.length;
  }

  private appendAll(data: readonly T[]): number {
    const wait = this.reservePermits(data.length);
    const buf = this.valuesSegment();
    for (let i = 0; i < data.length; i++) buf.push(data[i]);
    this.bufferedCount += data.length;
    return wait;
  }

  private valuesSegment(): T[] {
    if (this.currentBuffer === undefined) {
      this.currentBuffer = [];
      this.segments.push(this.currentBuffer);
    }
    return this.currentBuffer;
  }

  private checkActive(): void {
    if (this.state !== 'Active') throw new SparkException('Cannot add data as BlockGenerator has not been started or has been stopped');
  }

  /** A promise to wait on before adding more: the rate limiter's wait and room in the block queue. */
  private waitHint(rateWaitMs: number): Promise<void> | undefined {
    const full = this.blocksForPushing.length >= this.blockQueueSize;
    if (rateWaitMs <= 0 && !full) return undefined;
    const waits: Promise<unknown>[] = [];
    if (rateWaitMs > 0) waits.push(this.sleepOnRateClock(rateWaitMs));
    if (full) waits.push(this.waitForSpace());
    return Promise.all(waits).then(() => undefined);
  }

  private waitForSpace(): Promise<void> {
    if (this.blocksForPushing.length < this.blockQueueSize) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  private notifySpace(): void {
    if (this.spaceWaiters.length === 0 || this.blocksForPushing.length >= this.blockQueueSize) return;
    const ws = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of ws) w();
  }

  private async runTimer(): Promise<void> {
    while (!this.timerStopped) {
      this.timerWait = new AbortController();
      await this.clock.waitTillTime(this.nextTime, this.timerWait.signal);
      if (this.timerStopped) break;
      await this.updateCurrentBuffer(this.nextTime);
      this.nextTime += this.blockIntervalMs;
    }
  }

  /** Spark's `updateCurrentBuffer(time)`: cuts the buffer into a block (if non-empty) and queues it. */
  private async updateCurrentBuffer(time: number): Promise<void> {
    try {
      if (this.bufferedCount === 0) return;
      const segments = this.segments;
      const count = this.bufferedCount;
      this.segments = [];
      this.currentBuffer = undefined;
      this.bufferedCount = 0;
      const blockId = new StreamBlockId(this.receiverId, this.uniqueId(time - this.blockIntervalMs));
      const block = makeBlock(blockId, segments, count);
      this.listener.onGenerateBlock(blockId);
      while (this.blocksForPushing.length >= this.blockQueueSize) await this.waitForSpace();
      this.blocksForPushing.push(block);
      this.kickPusher();
    } catch (e) {
      this.reportError('Error in block updating thread', e);
    }
  }

  private kickPusher(): void {
    if (this.pusherRunning) return;
    // The flag, not the promise, says whether the loop runs: the loop may finish before its promise is stored.
    this.pusherRunning = true;
    this.pusherDone = this.keepPushingBlocks();
  }

  /** Spark's `keepPushingBlocks`, one block at a time; a failed push is reported and the next block goes on. */
  private async keepPushingBlocks(): Promise<void> {
    try {
      while (this.blocksForPushing.length > 0) {
        const block = this.blocksForPushing.shift() as Block<T>;
        this.notifySpace();
        try {
          if (block.kind === 'values') await this.listener.onPushBlock(block.id, block.buffer);
          else if (this.listener.onPushSerializedBlock) await this.listener.onPushSerializedBlock(block.id, block.bytes, block.count);
          else await this.listener.onPushBlock(block.id, decodeAll<T>(block.bytes));
          log.debug({ block: block.id.name }, 'Pushed block');
        } catch (e) {
          this.reportError(`Error in block pushing thread (block ${block.id.name})`, e);
        }
      }
    } finally {
      this.pusherRunning = false;
    }
  }

  private reportError(message: string, t: unknown): void {
    log.error({ err: t, streamId: this.receiverId }, message);
    this.listener.onError(message, t);
  }
}

/** The block of the buffered segments: bytes when all are serialized runs, else the values in order. */
function makeBlock<T>(id: StreamBlockId, segments: Segment<T>[], count: number): Block<T> {
  if (segments.every((seg) => !Array.isArray(seg))) {
    return { id, kind: 'serialized', bytes: concatStringsRuns(segments as StringsRun[]), count };
  }
  if (segments.length === 1) return { id, kind: 'values', buffer: segments[0] as T[] };
  const buffer: T[] = [];
  for (const seg of segments) {
    if (Array.isArray(seg)) for (let i = 0; i < seg.length; i++) buffer.push(seg[i]);
    else forEachString(concatStringsRuns([seg]), (x) => void buffer.push(x as T));
  }
  return { id, kind: 'values', buffer };
}

function decodeAll<T>(bytes: Buffer): T[] {
  const out: T[] = [];
  forEachString(bytes, (x) => void out.push(x as T));
  return out;
}
