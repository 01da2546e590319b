/**
 * Helpers of the receiver suites: real TCP servers on 127.0.0.1 (port 0), bounded polling for conditions that
 * depend on real sockets, and moving a manual-clock context's block intervals until received records reach the
 * ReceiverTracker.
 */
import * as net from 'node:net';
import type { StreamingContext } from '../../lib';
import { ReceiverTracker } from '../../receivers';
import { manualClock } from '../streaming/harness';

/** Polls `cond` every few ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A TCP server that accepts connections and lets the test write to them. */
export class TestServer {
  readonly server: net.Server;
  readonly sockets: net.Socket[] = [];
  connections = 0;
  port = 0;

  constructor() {
    this.server = net.createServer((s) => {
      this.connections++;
      this.sockets.push(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        const i = this.sockets.indexOf(s);
        if (i >= 0) this.sockets.splice(i, 1);
      });
    });
  }

  /** Listens on 127.0.0.1 (on `port`, or any free port). */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** Resolves once at least `n` connections were accepted in total. */
  waitForConnections(n: number): Promise<void> {
    return waitFor(() => this.connections >= n && this.sockets.length > 0, `${n} connection(s) to the test server`);
  }

  /** Writes to every open connection. */
  write(data: string | Buffer): void {
    for (const s of this.sockets) s.write(data);
  }

  /** Ends every connection (the receiver sees the end of its stream). */
  endConnections(): void {
    for (const s of this.sockets) s.end();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The context's ReceiverTracker (the context must have started). */
export function trackerOf(ssc: StreamingContext): ReceiverTracker {
  const t = ssc.scheduler.receiverTracker;
  if (!(t instanceof ReceiverTracker)) throw new Error('the context has no ReceiverTracker');
  return t;
}

/** Records in blocks the tracker has and no batch has taken yet. */
export function unallocatedRecords(ssc: StreamingContext): number {
  const t = trackerOf(ssc);
  let n = 0;
  for (const id of t.receiverInputStreamIds) for (const b of t.receivedBlockTracker.getUnallocatedBlocks(id)) n += b.numRecords ?? 0;
  return n;
}

/**
 * On a manual clock: moves the clock one block interval at a time (never up to the next batch time) until at least
 * `n` records are in blocks the tracker has, so that the next `ssc.step()` puts them all in its batch.
 */
export async function receiveRecords(ssc: StreamingContext, n: number, blockIntervalMs: number, timeoutMs = 10_000): Promise<void> {
  const clock = manualClock(ssc);
  const nextBatch = ssc.scheduler.jobGenerator.nextBatchTime().milliseconds;
  await waitFor(
    () => {
      if (unallocatedRecords(ssc) >= n) return true;
      if (clock.getTimeMillis() + blockIntervalMs < nextBatch) clock.advance(blockIntervalMs);
      return false;
    },
    `${n} received records (have ${unallocatedRecords(ssc)})`,
    timeoutMs,
  );
}

/** `count` lines `prefix0`, `prefix1`, ... */
export function lines(count: number, prefix = 'line-'): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${prefix}${i}`);
  return out;
}
