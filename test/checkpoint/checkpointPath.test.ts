/**
 * Checkpoint paths: a local path or a `file:` URI (checkpointed to and recovered from for real); an empty path or
 * another file system's URI is an error saying what is supported, where it used to become the working folder or a
 * relative folder named `hdfs:`. Errors about a checkpoint file that is not one show its first bytes as hex.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckpointPathError, Milliseconds, readCheckpoint, SparkConf, StreamingContext } from '../../lib';
import { TestInputStream } from './TestInputStream';

const conf = (): SparkConf => new SparkConf(false).setMaster('local[2]').setAppName('CheckpointPath').set('spark.streaming.clock', 'manual');

describe('checkpoint paths', () => {
  let dir: string;
  let cwd: string;
  const made: StreamingContext[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-cp-path-'));
    cwd = process.cwd();
    // An empty path or 'hdfs://nn/x' must not create anything in the working folder: make it an empty one.
    process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-cp-cwd-')));
  });
  afterEach(async () => {
    for (const s of made.splice(0)) await s.stop(true);
    const here = process.cwd();
    process.chdir(cwd);
    fs.rmSync(here, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const context = (c = conf()): StreamingContext => {
    const ssc = new StreamingContext(c, Milliseconds(500));
    made.push(ssc);
    return ssc;
  };

  test('an empty path is an error, not the working folder', () => {
    const ssc = context();
    for (const p of ['', '   ']) {
      expect(() => ssc.checkpoint(p)).toThrow(CheckpointPathError);
      expect(() => ssc.checkpoint(p)).toThrow(`Invalid checkpoint directory '${p}': the path is empty. dstreams checkpoints to the local file system: give a local path (absolute, or relative to the working folder) or a file:// URI`);
    }
    expect(ssc.checkpointDir).toBeUndefined();
    expect(fs.readdirSync('.')).toEqual([]);
  });

  test('another file system is an error naming the scheme and what is supported; no folder named after it appears', () => {
    // The configuration key first (a later context would reuse the running SparkContext and its configuration).
    expect(() => context(conf().set('spark.streaming.checkpoint.directory', 'hdfs://nn/y'))).toThrow(/the hdfs: scheme is not supported/);
    const ssc = context();
    expect(() => ssc.checkpoint('hdfs://nn/x')).toThrow(
      "Invalid checkpoint directory 'hdfs://nn/x': the hdfs: scheme is not supported. dstreams checkpoints to the local file system: give a local path (absolute, or relative to the working folder) or a file:// URI",
    );
    expect(() => ssc.checkpoint('s3a://bucket/cp')).toThrow(/the s3a: scheme is not supported/);
    expect(() => ssc.checkpoint('file://otherhost/x')).toThrow(/Invalid checkpoint directory 'file:\/\/otherhost\/x'/);
    expect(() => ssc.checkpoint('file:relative')).toThrow(/a file URI names an absolute path/);
    expect(ssc.checkpointDir).toBeUndefined();
    expect(fs.readdirSync('.')).toEqual([]);
    expect(() => StreamingContext.getOrCreate('hdfs://nn/z', () => context())).toThrow(/the hdfs: scheme is not supported/);
    expect(fs.readdirSync('.')).toEqual([]);
  });

  test('a file:// URI is the local folder: checkpoints are written there and recovered from it', async () => {
    const folder = path.join(dir, 'with space');
    const uri = pathToFileURL(folder).href;
    expect(uri).toMatch(/^file:\/\/\/.*with%20space$/);
    const out: Array<[number, number[]]> = [];
    const create = (): StreamingContext => {
      const ssc = context();
      ssc.checkpoint(uri);
      new TestInputStream(ssc, [[1], [2], [3], [4]]).foreachRDD(async (rdd, time) => void out.push([time.milliseconds, await rdd.collect()]));
      return ssc;
    };
    const first = StreamingContext.getOrCreate(uri, create);
    expect(first.checkpointDir).toBe(folder);
    await first.start();
    await first.step(2);
    await first.stop(true);
    expect(fs.readdirSync(folder).filter((f) => f.startsWith('checkpoint-')).length).toBeGreaterThan(0);
    expect(fs.readdirSync('.')).toEqual([]);
    expect(readCheckpoint(`file:${folder}`)?.checkpoint.checkpointTimeMs).toBe(1000);
    const again = StreamingContext.getOrCreate(uri, create);
    expect(again.isCheckpointPresent).toBe(true);
    expect(again.checkpointDir).toBe(folder);
    await again.start();
    await again.step(2);
    await again.stop(true);
    expect(out.slice(0, 4)).toEqual([
      [500, [1]],
      [1000, [2]],
      [1000, [2]],
      [1500, [3]],
    ]);
  });

  test('a file that is not a checkpoint: the error shows its first bytes as hex, never raw binary', () => {
    fs.writeFileSync(path.join(dir, 'checkpoint-1000'), Buffer.from([0x00, 0x01, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0x07]));
    fs.writeFileSync(path.join(dir, 'checkpoint-2000'), Buffer.from('DSTREAMS-CHECKPOINT 1\n\u0000\u0007zz 12\n{}'));
    let message = '';
    try {
      readCheckpoint(dir);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("not a dstreams checkpoint: it starts with bytes 00 01 ff 1b 5b 32 4a (7 bytes), expected 'DSTREAMS-CHECKPOINT 1'");
    expect(message).toContain("malformed CRC and length line: bytes 00 07 7a 7a 20 31 32 (7 bytes), expected '<crc32 hex> <body length>'");
    // eslint-disable-next-line no-control-regex
    expect(message).not.toMatch(/[\u0000-\u0008\u001b\u007f-\u00ff]/);
  });
});
