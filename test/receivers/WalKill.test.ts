/**
 * With the receiver WAL on, every record a reliable receiver saw acknowledged survives a SIGKILL of the process
 * before its batch ran: the metadata log names the blocks, the receiver log holds them, and a
 * WriteAheadLogBackedBlockRDD reads them back (reopening the logs in this process).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManualClock, SparkConf, SparkContext, StreamId } from '../../lib';
import { ReceivedBlockTracker, WriteAheadLogBackedBlockRDD } from '../../receivers';

const CHILD = path.join(__dirname, 'fixtures', 'walKillChild.ts');

test('records acknowledged before a SIGKILL are in the WAL and read back through WriteAheadLogBackedBlockRDD', async () => {
  const cp = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-walkill-'));
  let sc: SparkContext | undefined;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, cp], { cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Kill it while it is storing: after 20 acknowledged blocks.
    const lastAcked = await new Promise<number>((resolve, reject) => {
      let text = '';
      let acks = 0;
      let last = -1;
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        const lines = text.split('\n');
        text = lines.pop() as string;
        for (const l of lines) {
          const m = /^ACK (\d+) (\d+)$/.exec(l);
          if (!m) continue;
          last = Number(m[2]);
          if (++acks === 20) {
            child.kill('SIGKILL');
            resolve(last);
          }
        }
      });
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited (${code}, ${signal}) before 20 acks: ${stderr}`));
      });
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
    expect(child.signalCode).toBe('SIGKILL');

    // Reopen the metadata log as a restarted driver would: the blocks were added and never allocated.
    const conf = new SparkConf(false);
    const tracker = new ReceivedBlockTracker(conf, [StreamId(0)], new ManualClock(), true, cp);
    const infos = tracker.getUnallocatedBlocks(StreamId(0));
    await tracker.stop();
    expect(infos.length).toBeGreaterThanOrEqual(20);
    for (const i of infos) {
      expect(i.isBlockIdValid()).toBe(false);
      expect(i.walRecordHandleOption).toMatchObject({ path: expect.stringContaining(path.join(cp, 'receivedData', '0')) });
    }
    sc = new SparkContext('local[2]', 'wal-kill-reader');
    const rdd = new WriteAheadLogBackedBlockRDD<string>(
      sc,
      infos.map((i) => i.blockId),
      infos.map((i) => i.walRecordHandleOption!),
      infos.map((i) => i.isBlockIdValid()),
    );
    const records = await rdd.collect();
    // Every acknowledged record is there, in order, each once; blocks stored after the last ack may be too.
    const expected = Array.from({ length: lastAcked + 1 }, (_, n) => `rec-${n}`);
    expect(records.slice(0, expected.length)).toEqual(expected);
    expect(new Set(records).size).toBe(records.length);
    expect(records.length % 100).toBe(0);
  } finally {
    sc?.stop();
    fs.rmSync(cp, { recursive: true, force: true });
  }
}, 60_000);

test('fault point block.after-store-before-ack: the block being acknowledged when the process dies is in the WAL', async () => {
  const cp = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-walkill-fp-'));
  let sc: SparkContext | undefined;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, cp], {
      cwd: path.join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DSTREAMS_FAULT: 'block.after-store-before-ack:5:kill' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    expect(signal).toBe('SIGKILL');
    expect(stderr).toContain('dstreams: fault point block.after-store-before-ack (hit 5): SIGKILL');
    // Four blocks were acknowledged; the fifth was stored and recorded, and died before its acknowledgement.
    expect(stdout.trim().split('\n')).toEqual(['ACK 0 99', 'ACK 100 199', 'ACK 200 299', 'ACK 300 399']);
    const tracker = new ReceivedBlockTracker(new SparkConf(false), [StreamId(0)], new ManualClock(), true, cp);
    const infos = tracker.getUnallocatedBlocks(StreamId(0));
    await tracker.stop();
    sc = new SparkContext('local[2]', 'wal-kill-reader');
    const rdd = new WriteAheadLogBackedBlockRDD<string>(sc, infos.map((i) => i.blockId), infos.map((i) => i.walRecordHandleOption!), infos.map(() => false));
    expect(await rdd.collect()).toEqual(Array.from({ length: 500 }, (_, n) => `rec-${n}`));
  } finally {
    sc?.stop();
    fs.rmSync(cp, { recursive: true, force: true });
  }
}, 60_000);
