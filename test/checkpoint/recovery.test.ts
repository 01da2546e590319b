import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CheckpointGraphMismatchError,
  type DStream,
  getCheckpointFiles,
  Milliseconds,
  readCheckpoint,
  SparkConf,
  type State,
  StateSpec,
  StreamingContext,
} from '../../lib';
import { TestInputStream } from './TestInputStream';

const B = 500;

function conf(): SparkConf {
  return new SparkConf(false).setMaster('local[2]').setAppName('CheckpointSuite').set('spark.streaming.clock', 'manual');
}

/**
 * Spark's `testCheckpointedOperation`: run `before` batches, stop, recover from the checkpoint folder with a
 * freshly built graph, run the rest. Outputs before the restart are the prefix of `expected`; outputs after it
 * are the suffix, starting with the batch at the checkpoint time, which Spark re-runs.
 */
async function checkpointedRun<T, U>(
  dir: string,
  input: T[][],
  op: (s: DStream<T>) => DStream<U>,
  before: number,
): Promise<{ first: Array<[number, U[]]>; second: Array<[number, U[]]> }> {
  let sink: Array<[number, U[]]> = [];
  const create = (): StreamingContext => {
    const ssc = new StreamingContext(conf(), Milliseconds(B));
    ssc.checkpoint(dir);
    op(new TestInputStream(ssc, input)).foreachRDD(async (rdd, time) => {
      sink.push([time.milliseconds, await rdd.collect()]);
    });
    return ssc;
  };
  const ssc1 = StreamingContext.getOrCreate(dir, create);
  expect(ssc1.isCheckpointPresent).toBe(false);
  ssc1.start();
  await ssc1.step(before);
  await ssc1.stop();
  const first = sink;
  sink = [];
  const ssc2 = StreamingContext.getOrCreate(dir, create);
  expect(ssc2.isCheckpointPresent).toBe(true);
  ssc2.start();
  await ssc2.step(input.length - before);
  await ssc2.stop();
  return { first, second: sink };
}

const sorted = <U>(xs: U[]): U[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('recovery from a checkpoint (CheckpointSuite)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-cp-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('recovery with map and reduceByKey: the checkpoint batch is re-run, the rest follow', async () => {
    const input = [['a', 'a', 'b'], ['', ''], [], ['a', 'a', 'b'], ['', ''], []];
    const expected = [[['a', 2], ['b', 1]], [['', 2]], [], [['a', 2], ['b', 1]], [['', 2]], []];
    const { first, second } = await checkpointedRun(dir, input, (s) => s.map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b), 3);
    expect(first.map(([t]) => t)).toEqual([500, 1000, 1500]);
    expect(first.map(([, v]) => sorted(v))).toEqual(expected.slice(0, 3).map(sorted));
    expect(second.map(([t]) => t)).toEqual([1500, 2000, 2500, 3000]);
    expect(second.map(([, v]) => sorted(v))).toEqual(expected.slice(2).map(sorted));
  });

  test('recovery with updateStateByKey: state comes back from the data checkpoint, nothing counted twice', async () => {
    const input = Array.from({ length: 10 }, () => ['a']);
    const { first, second } = await checkpointedRun(
      dir,
      input,
      (s) =>
        s
          .map((w) => [w, 1] as [string, number])
          .updateStateByKey((vs: number[], st: number | undefined) => vs.reduce((a, b) => a + b, st ?? 0))
          .checkpoint(Milliseconds(2 * B)),
      7,
    );
    expect(first.map(([, v]) => v)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [['a', n]]));
    expect(second.map(([t]) => t)).toEqual([3500, 4000, 4500, 5000]);
    expect(second.map(([, v]) => v)).toEqual([7, 8, 9, 10].map((n) => [['a', n]]));
    const stateFiles = fs.readdirSync(path.join(dir, 'state'), { recursive: true }).map(String).filter((f) => /p\d+\.(full|delta)$/.test(f));
    expect(stateFiles.length).toBeGreaterThan(0);
  });

  test('the restored state is used: batches before the data checkpoint are not recomputed', async () => {
    const out: Array<[string, number][]> = [];
    let input: string[][] = Array.from({ length: 10 }, () => ['a']);
    const create = (): StreamingContext => {
      const ssc = new StreamingContext(conf(), Milliseconds(B));
      ssc.checkpoint(dir);
      new TestInputStream(ssc, input)
        .map((w) => [w, 1] as [string, number])
        .updateStateByKey((vs: number[], st: number | undefined) => vs.reduce((a, b) => a + b, st ?? 0))
        .checkpoint(Milliseconds(2 * B))
        .foreachRDD(async (rdd) => void out.push((await rdd.collect()).sort()));
      return ssc;
    };
    const a = StreamingContext.getOrCreate(dir, create);
    a.start();
    await a.step(7);
    await a.stop();
    // Had the restarted graph recomputed its state from the input, these batches would be counted.
    input = input.map((b, i) => (i < 6 ? ['never'] : b));
    const b = StreamingContext.getOrCreate(dir, create);
    b.start();
    await b.step(3);
    await b.stop();
    expect(out.slice(7)).toEqual([[['a', 7]], [['a', 8]], [['a', 9]], [['a', 10]]]);
  });

  test('recovery with mapWithState: snapshots continue as without the restart (MapWithStateSuite)', async () => {
    const input = [[], ['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b'], ['a'], []];
    const expected = [[], [['a', 1]], [['a', 2], ['b', 1]], [['a', 3], ['b', 2], ['c', 1]], [['a', 4], ['b', 3], ['c', 1]], [['a', 5], ['b', 3], ['c', 1]], [['a', 5], ['b', 3], ['c', 1]]];
    const spec = StateSpec.function((_k: string, v: number | undefined, state: State<number>) => {
      const sum = (v ?? 0) + (state.getOption() ?? 0);
      state.update(sum);
      return sum;
    });
    const { first, second } = await checkpointedRun(
      dir,
      input,
      (s) => {
        const m = s.map((w) => [w, 1] as [string, number]).mapWithState(spec);
        m.checkpoint(Milliseconds(3 * B));
        return m.stateSnapshots();
      },
      3,
    );
    expect(first.map(([, v]) => sorted(v))).toEqual(expected.slice(0, 3).map(sorted));
    expect(second.map(([, v]) => sorted(v))).toEqual(expected.slice(2).map(sorted));
  });

  test('recovery with invertible reduceByKeyAndWindow', async () => {
    const input = Array.from({ length: 10 }, () => ['a']);
    const { first, second } = await checkpointedRun(
      dir,
      input,
      (s) =>
        s
          .map((w) => [w, 1] as [string, number])
          .reduceByKeyAndWindow((a: number, b: number) => a + b, (a: number, b: number) => a - b, Milliseconds(4 * B), Milliseconds(B))
          .checkpoint(Milliseconds(2 * B)),
      7,
    );
    const counts = [1, 2, 3, 4, 4, 4, 4, 4, 4, 4];
    expect(first.map(([, v]) => v)).toEqual(counts.slice(0, 7).map((n) => [['a', n]]));
    expect(second.map(([, v]) => v)).toEqual(counts.slice(6).map((n) => [['a', n]]));
  });

  test('checkpoint files: main and .bk per time, at most 10, newest readable', async () => {
    const ssc = new StreamingContext(conf(), Milliseconds(B));
    ssc.checkpoint(dir);
    new TestInputStream(ssc, [[1], [2], [3], [4], [5], [6], [7], [8]]).foreachRDD(() => undefined);
    ssc.start();
    await ssc.step(8);
    await ssc.stop();
    const files = getCheckpointFiles(dir);
    expect(files.length).toBe(10);
    expect(files[files.length - 1]).toMatchObject({ name: 'checkpoint-4000', isBackup: false });
    expect(files[files.length - 2]).toMatchObject({ name: 'checkpoint-4000.bk', isBackup: true });
    const read = readCheckpoint(dir)!;
    expect(read.checkpoint.checkpointTimeMs).toBe(4000);
    expect(read.checkpoint.pendingTimesMs).toEqual([]);
    expect(read.checkpoint.appName).toBe('CheckpointSuite');
  });

  test('a corrupt or torn newest checkpoint falls back to the one before it, with the reason', async () => {
    const input = [['a'], ['a'], ['a'], ['a'], ['a'], ['a']];
    const ssc = new StreamingContext(conf(), Milliseconds(B));
    ssc.checkpoint(dir);
    new TestInputStream(ssc, input).foreachRDD(() => undefined);
    ssc.start();
    await ssc.step(3);
    await ssc.stop();
    const newest = path.join(dir, 'checkpoint-1500');
    const bytes = fs.readFileSync(newest);
    bytes[bytes.length - 3] ^= 0x40;
    fs.writeFileSync(newest, bytes);
    let read = readCheckpoint(dir)!;
    expect(read.file).toBe(path.join(dir, 'checkpoint-1500.bk'));
    expect(read.skipped[0].reason).toMatch(/CRC mismatch/);
    fs.truncateSync(path.join(dir, 'checkpoint-1500.bk'), 40);
    read = readCheckpoint(dir)!;
    expect(read.file).toBe(path.join(dir, 'checkpoint-1000'));
    expect(read.skipped[1].reason).toMatch(/torn/);
  });

  test('SPARK-28912: only regular files whose name matches are checkpoint files', () => {
    const nested = path.join(dir, 'checkpoint-01');
    fs.mkdirSync(nested);
    fs.writeFileSync(path.join(nested, 'not-a-checkpoint'), 'x');
    fs.mkdirSync(path.join(nested, 'checkpoint-1000000000'));
    expect(getCheckpointFiles(nested)).toEqual([]);
    expect(getCheckpointFiles(path.join(dir, 'missing'))).toEqual([]);
  });

  test('an empty or missing folder creates a new context; queueStream cannot be recovered (Spark\'s message)', async () => {
    const create = (): StreamingContext => {
      const s = new StreamingContext(conf(), Milliseconds(B));
      s.checkpoint(dir);
      s.queueStream([s.sparkContext.makeRDD([1])]).foreachRDD(() => undefined);
      return s;
    };
    const first = StreamingContext.getOrCreate(path.join(dir, 'nothing-here'), create);
    expect(first.isCheckpointPresent).toBe(false);
    first.start();
    await first.step(1);
    await first.stop();
    expect(() => StreamingContext.getOrCreate(dir, create)).toThrow(/Failed to recover from checkpoint directory/);
    try {
      StreamingContext.getOrCreate(dir, create);
    } catch (e) {
      expect(String((e as Error).cause)).toMatch(/queueStream doesn't support checkpointing/);
    }
  });

  test('no valid checkpoint at all: Spark\'s error, or a new context with createOnError', () => {
    fs.writeFileSync(path.join(dir, 'checkpoint-1000'), 'garbage');
    const create = (): StreamingContext => {
      const ssc = new StreamingContext(conf(), Milliseconds(B));
      new TestInputStream(ssc, [[1]]).foreachRDD(() => undefined);
      return ssc;
    };
    expect(() => StreamingContext.getOrCreate(dir, create)).toThrow(/Failed to read checkpoint from directory/);
    const ssc = StreamingContext.getOrCreate(dir, create, { createOnError: true });
    expect(ssc.isCheckpointPresent).toBe(false);
    void ssc.stop();
  });

  test('a graph whose shape changed is refused, naming the first difference and how to start fresh', async () => {
    const ssc = new StreamingContext(conf(), Milliseconds(B));
    ssc.checkpoint(dir);
    new TestInputStream(ssc, [[1], [2]]).map((x) => x + 1).foreachRDD(() => undefined);
    ssc.start();
    await ssc.step(1);
    await ssc.stop();
    const create = (): StreamingContext => {
      const s = new StreamingContext(conf(), Milliseconds(B));
      s.checkpoint(dir);
      new TestInputStream(s, [[1], [2]]).filter((x) => x > 1).foreachRDD(() => undefined);
      return s;
    };
    let error: unknown;
    try {
      StreamingContext.getOrCreate(dir, create);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckpointGraphMismatchError);
    expect(String(error)).toMatch(/MappedDStream\[1\] \(map of 0.*FilteredDStream\[1\] \(filter of 0/);
    expect(String(error)).toMatch(/delete the checkpoint directory/);
    // The context create() built was stopped with its SparkContext: a new one can be made.
    const fresh = new StreamingContext(conf(), Milliseconds(B));
    await fresh.stop();
  });

  test('function bodies may change between runs', async () => {
    let factor = 1;
    const out: number[][] = [];
    const create = (): StreamingContext => {
      const s = new StreamingContext(conf(), Milliseconds(B));
      s.checkpoint(dir);
      const f = factor;
      new TestInputStream(s, [[1], [2], [3], [4]]).map((x) => x * f).foreachRDD(async (rdd) => void out.push(await rdd.collect()));
      return s;
    };
    const a = StreamingContext.getOrCreate(dir, create);
    a.start();
    await a.step(2);
    await a.stop();
    factor = 10;
    const b = StreamingContext.getOrCreate(dir, create);
    b.start();
    await b.step(2);
    await b.stop();
    expect(out).toEqual([[1], [2], [20], [30], [40]]);
  });
});
