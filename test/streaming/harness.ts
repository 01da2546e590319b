/**
 * The streaming test harness: Spark's `TestSuiteBase` (reference §10.2) on the ManualClock.
 *
 * - {@link createManualContext}: a `local[2]` StreamingContext with a 1 s batch on the manual clock.
 * - {@link TestInputStream}: at batch time t emits `makeRDD(input[i], numPartitions)` with
 *   `i = (t - zeroTime) / slide - 1`, an empty RDD once the input is exhausted, and no RDD (Spark's `None`) where
 *   `input[i] === null` (to test errors). Reports `StreamInputInfo(id, input[i].length)`.
 * - {@link TestOutputStream} / {@link collectOutput}: a `foreachRDD` collecting `rdd.glom().collect()` per batch.
 * - {@link runStreams}: start, run `numBatches` batches with `ssc.step`, rethrow a reported error (as Spark's
 *   `awaitTerminationOrTimeout` in `runStreams` does), stop, return the outputs.
 * - {@link testOperation} / {@link testOperation2}: the data-driven form: input batches, operation, expected output
 *   batches, compared in order or as sets (`useSet`).
 *
 * This API is shared with the window and state suites: keep it stable (add, don't change).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type DStream,
  Duration,
  InputDStream,
  type RDD,
  Seconds,
  SparkConf,
  StreamingContext,
  Time,
  streamInputInfo,
} from '../../lib';
import { ManualClock } from '../../lib/core/clock/ManualClock';

/** Spark's TestSuiteBase defaults. */
export const DEFAULT_BATCH_DURATION: Duration = Seconds(1);
export const DEFAULT_NUM_INPUT_PARTITIONS = 2;
export const DEFAULT_MASTER = 'local[2]';

export interface HarnessOptions {
  /** Batch duration (default 1 s). */
  batchDuration?: Duration;
  /** Master URL (default `local[2]`). */
  master?: string;
  /** Partitions of each input batch's RDD (default 2). */
  numInputPartitions?: number;
  /** Extra configuration. */
  conf?: Record<string, string | number | boolean>;
  /** A checkpoint directory; `true` makes a fresh temporary one (removed when the context stops via the harness). */
  checkpointDir?: string | boolean;
}

export interface RunOptions extends HarnessOptions {
  /** Batches to run (default: the number of expected output batches). */
  numBatches?: number;
  /** Compare each batch as a set (Spark's `useSet`), else as an ordered list. */
  useSet?: boolean;
}

const contexts = new Set<StreamingContext>();
const tempDirs = new Map<StreamingContext, string>();

/** A StreamingContext on the manual clock (clock at 0, so batches are 1000, 2000, ... ms for a 1 s batch). */
export function createManualContext(opts: HarnessOptions = {}): StreamingContext {
  const conf = new SparkConf(false)
    .setMaster(opts.master ?? DEFAULT_MASTER)
    .setAppName('dstreams-test')
    .set('spark.streaming.clock', 'org.apache.spark.util.ManualClock');
  for (const [k, v] of Object.entries(opts.conf ?? {})) conf.set(k, v);
  const ssc = new StreamingContext(conf, opts.batchDuration ?? DEFAULT_BATCH_DURATION);
  contexts.add(ssc);
  if (opts.checkpointDir === true) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-test-cp-'));
    tempDirs.set(ssc, dir);
    ssc.checkpoint(dir);
  } else if (typeof opts.checkpointDir === 'string') {
    ssc.checkpoint(opts.checkpointDir);
  }
  return ssc;
}

/** The context's ManualClock (throws if the context is on the system clock). */
export function manualClock(ssc: StreamingContext): ManualClock {
  if (!(ssc.clock instanceof ManualClock)) throw new Error('the context is not on the manual clock');
  return ssc.clock;
}

/** Stops a context made by the harness (and its SparkContext), removing its temporary checkpoint folder. */
export async function stopContext(ssc: StreamingContext): Promise<void> {
  contexts.delete(ssc);
  await ssc.stop(true, false);
  const dir = tempDirs.get(ssc);
  if (dir !== undefined) {
    tempDirs.delete(ssc);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Stops every context the harness made that is still running: call from `afterEach` so a failed test leaks nothing. */
export async function stopAllContexts(): Promise<void> {
  for (const ssc of [...contexts]) await stopContext(ssc);
}

/**
 * Spark's `TestInputStream`: batch i (1-based batch number k = i + 1 at time zeroTime + k * slide) is
 * `makeRDD(input[i], numPartitions)`; past the end an empty RDD; `null` means no RDD at all.
 */
export class TestInputStream<T> extends InputDStream<T> {
  constructor(
    ssc: StreamingContext,
    readonly input: ReadonlyArray<readonly T[] | null>,
    readonly numPartitions: number = DEFAULT_NUM_INPUT_PARTITIONS,
  ) {
    super(ssc, 'testInputStream');
  }

  start(): void {}
  stop(): void {}

  compute(validTime: Time): RDD<T> | undefined {
    const zero = this.zeroTime as Time;
    const index = validTime.minus(zero).div(this.slideDuration) - 1;
    const selected = index < this.input.length ? this.input[index] : [];
    if (selected === null) return undefined;
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, streamInputInfo(this.id, selected.length));
    return this.ssc.sparkContext.makeRDD(selected as T[], this.numPartitions);
  }
}

/** What an output stream collected: per batch, the RDD's partitions (`glom().collect()`). */
export class TestOutputStream<T> {
  /** Per batch: the partitions, each an array of elements. */
  readonly partitioned: T[][][] = [];
  /** The batch time of each entry. */
  readonly times: Time[] = [];

  constructor(stream: DStream<T>) {
    stream.foreachRDD(async (rdd, time) => {
      const parts = await rdd.glom().collect();
      this.partitioned.push(parts);
      this.times.push(time);
    });
  }

  /** Per batch: all elements, partition by partition (Spark's `TestOutputStream` view). */
  get batches(): T[][] {
    return this.partitioned.map((parts) => parts.flat() as T[]);
  }
}

/** Registers an output collector on `stream`. */
export function collectOutput<T>(stream: DStream<T>): TestOutputStream<T> {
  return new TestOutputStream(stream);
}

/** Spark's `setupStreams(input, operation)`: a manual-clock context, a TestInputStream, the operation, an output. */
export function setupStreams<U, V>(
  input: ReadonlyArray<readonly U[] | null>,
  operation: (s: DStream<U>) => DStream<V>,
  opts: HarnessOptions = {},
): { ssc: StreamingContext; input: TestInputStream<U>; output: TestOutputStream<V> } {
  const ssc = createManualContext(opts);
  const inputStream = new TestInputStream(ssc, input, opts.numInputPartitions ?? DEFAULT_NUM_INPUT_PARTITIONS);
  const output = collectOutput(operation(inputStream));
  return { ssc, input: inputStream, output };
}

/** Spark's two-input `setupStreams(input1, input2, operation)`. */
export function setupStreams2<U, V, W>(
  input1: ReadonlyArray<readonly U[] | null>,
  input2: ReadonlyArray<readonly V[] | null>,
  operation: (a: DStream<U>, b: DStream<V>) => DStream<W>,
  opts: HarnessOptions = {},
): { ssc: StreamingContext; inputs: [TestInputStream<U>, TestInputStream<V>]; output: TestOutputStream<W> } {
  const ssc = createManualContext(opts);
  const n = opts.numInputPartitions ?? DEFAULT_NUM_INPUT_PARTITIONS;
  const a = new TestInputStream(ssc, input1, n);
  const b = new TestInputStream(ssc, input2, n);
  const output = collectOutput(operation(a, b));
  return { ssc, inputs: [a, b], output };
}

/**
 * Spark's `runStreams`: starts the context, runs `numBatches` batches on the manual clock, rethrows an error a job
 * or the job generator reported, stops the context and returns the collected batches. `stop: false` keeps the
 * context running (the caller stops it, e.g. to look at generated RDDs first).
 */
export async function runStreams<V>(
  ssc: StreamingContext,
  numBatches: number,
  output: TestOutputStream<V>,
  opts: { stop?: boolean } = {},
): Promise<V[][]> {
  try {
    await ssc.start();
    await ssc.step(numBatches);
    // Rejects with the error of a failed job or of job generation, as Spark's awaitTerminationOrTimeout does.
    await ssc.awaitTerminationOrTimeout(0);
  } finally {
    if (opts.stop !== false) await stopContext(ssc);
  }
  return output.batches;
}

/** Compares outputs with expected batches, in order or as sets (Spark's `verifyOutput`). */
export function verifyOutput<V>(output: readonly (readonly V[])[], expected: readonly (readonly V[])[], useSet: boolean): void {
  expect(output.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (useSet) expect(new Set(output[i])).toEqual(new Set(expected[i]));
    else expect(output[i]).toEqual(expected[i]);
  }
}

/** Spark's `testOperation(input, operation, expectedOutput, numBatches, useSet)`. */
export async function testOperation<U, V>(
  input: ReadonlyArray<readonly U[] | null>,
  operation: (s: DStream<U>) => DStream<V>,
  expected: readonly (readonly V[])[],
  opts: RunOptions = {},
): Promise<V[][]> {
  const { ssc, output } = setupStreams(input, operation, opts);
  const out = await runStreams(ssc, opts.numBatches ?? expected.length, output);
  verifyOutput(out, expected, opts.useSet ?? false);
  return out;
}

/** Spark's two-input `testOperation(input1, input2, operation, expectedOutput, useSet)`. */
export async function testOperation2<U, V, W>(
  input1: ReadonlyArray<readonly U[] | null>,
  input2: ReadonlyArray<readonly V[] | null>,
  operation: (a: DStream<U>, b: DStream<V>) => DStream<W>,
  expected: readonly (readonly W[])[],
  opts: RunOptions = {},
): Promise<W[][]> {
  const { ssc, output } = setupStreams2(input1, input2, operation, opts);
  const out = await runStreams(ssc, opts.numBatches ?? expected.length, output);
  verifyOutput(out, expected, opts.useSet ?? false);
  return out;
}

/** `[from..to]` inclusive, as Scala's `from to to`. */
export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Collects what `print()`/`pprint()` write: assign `ssc.out = capture` and read `capture.text`. */
export class OutputCapture {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}
