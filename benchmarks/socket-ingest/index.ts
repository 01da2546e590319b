/**
 * socket-ingest: how many 50-byte lines per second `socketTextStream -> count()` takes in over loopback, with the
 * receiver WAL off and on, beside a raw Node receiver that only splits lines (setEncoding('utf8') + split('\n'))
 * in the same run. A sender child process (sender.ts) writes lines as fast as each connection takes them.
 *
 * dstreams figures: batches of 1 s on the system clock; the rate is the sum of the counts of the batches in the
 * measured window divided by the window (the first batches are warm-up). Also reported: processing time and the
 * largest scheduling delay of those batches (to show the batches keep up).
 *
 *   npm run bench -- socket-ingest [--seconds 8] [--warmup 2] [--raw-seconds 5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Seconds, SparkConf, StreamingContext, type BatchInfo } from '../../lib';
import { arg, writeResult } from '../report';

const SECONDS = arg('seconds', 8);
const WARMUP = arg('warmup', 2);
const RAW_SECONDS = arg('raw-seconds', 5);

async function startSender(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sender.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /PORT (\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`sender exited with ${code}`)));
  });
  return { child, port };
}

/** The raw receiver: decode, split, count; nothing else. */
async function rawReceiver(port: number, seconds: number): Promise<{ linesPerSec: number; lines: number; seconds: number }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setEncoding('utf8');
    let carry = '';
    let lines = 0;
    let start = 0;
    socket.on('data', (text: string) => {
      if (start === 0) start = performance.now();
      const parts = (carry + text).split('\n');
      carry = parts.pop() as string;
      lines += parts.length;
    });
    setTimeout(() => {
      const elapsed = (performance.now() - start) / 1000;
      socket.destroy();
      resolve({ linesPerSec: lines / elapsed, lines, seconds: elapsed });
    }, seconds * 1000);
  });
}

interface StreamResult {
  linesPerSec: number;
  lines: number;
  batches: number;
  avgProcessingMs: number;
  maxSchedulingDelayMs: number;
  perBatch: number[];
}

async function dstreamsReceiver(port: number, wal: boolean): Promise<StreamResult> {
  const checkpoint = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-bench-cp-'));
  const conf = new SparkConf(false).setMaster('local[2]').setAppName('socket-ingest').set('spark.streaming.receiver.writeAheadLog.enable', wal);
  const ssc = new StreamingContext(conf, Seconds(1));
  if (wal) ssc.checkpoint(checkpoint);
  const counts = new Map<number, number>();
  const infos: BatchInfo[] = [];
  ssc.socketTextStream('127.0.0.1', port).count().foreachRDD(async (rdd, time) => {
    const [n] = await rdd.collect();
    counts.set(time.milliseconds, n);
  });
  ssc.addStreamingListener({ onBatchCompleted: (e) => void infos.push(e.batchInfo) });
  await ssc.start();
  await new Promise((r) => setTimeout(r, (WARMUP + SECONDS + 1) * 1000));
  await ssc.stop(true, false);
  fs.rmSync(checkpoint, { recursive: true, force: true });
  const times = [...counts.keys()].sort((a, b) => a - b);
  // Skip the warm-up batches and the last (possibly cut short) one.
  const measured = times.slice(WARMUP, WARMUP + SECONDS);
  let lines = 0;
  for (const t of measured) lines += counts.get(t) as number;
  const measuredInfos = infos.filter((b) => measured.includes(b.batchTime.milliseconds));
  const avgProcessingMs = measuredInfos.reduce((a, b) => a + (b.processingDelay ?? 0), 0) / Math.max(1, measuredInfos.length);
  const maxSchedulingDelayMs = measuredInfos.reduce((a, b) => Math.max(a, b.schedulingDelay ?? 0), 0);
  return {
    linesPerSec: lines / measured.length,
    lines,
    batches: measured.length,
    avgProcessingMs: Math.round(avgProcessingMs),
    maxSchedulingDelayMs,
    perBatch: measured.map((t) => counts.get(t) as number),
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  const { child, port } = await startSender();
  try {
    const raw = await rawReceiver(port, RAW_SECONDS);
    console.error(`raw: ${Math.round(raw.linesPerSec)} lines/s`);
    const walOff = await dstreamsReceiver(port, false);
    console.error(`dstreams WAL off: ${Math.round(walOff.linesPerSec)} lines/s`);
    const walOn = await dstreamsReceiver(port, true);
    console.error(`dstreams WAL on: ${Math.round(walOn.linesPerSec)} lines/s`);
    writeResult('socket-ingest', {
      // The machine is shared: the 1-minute load average before and after the run says how much.
      loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) },
      lineBytes: 50,
      batchSeconds: 1,
      measuredBatches: SECONDS,
      raw: { linesPerSec: Math.round(raw.linesPerSec), lines: raw.lines, seconds: Number(raw.seconds.toFixed(2)) },
      walOff: { ...walOff, linesPerSec: Math.round(walOff.linesPerSec) },
      walOn: { ...walOn, linesPerSec: Math.round(walOn.linesPerSec) },
      ratios: {
        walOffToRaw: Number((walOff.linesPerSec / raw.linesPerSec).toFixed(3)),
        walOnToRaw: Number((walOn.linesPerSec / raw.linesPerSec).toFixed(3)),
        walOnToWalOff: Number((walOn.linesPerSec / walOff.linesPerSec).toFixed(3)),
      },
      targets: { walOffLinesPerSec: 2_000_000, walOnLinesPerSec: 1_000_000 },
    });
  } finally {
    child.kill('SIGKILL');
  }
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
