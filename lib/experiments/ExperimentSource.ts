import * as net from 'node:net';
import { ReplayableLineSource } from '../io/ReplayableLineSource';
import { RecordGenerator } from '../cli/RecordGenerator';
import { experimentRecord, type ExperimentSourceKind } from './ExperimentContract';

/** The seeded input of an experiment: record `i` is `"<i> <1-12 words>"`; the same seed gives the same records. */
export function experimentRecords(seed: number, count: number): string[] {
  const gen = new RecordGenerator('lines', seed);
  const records = new Array<string>(count);
  for (let i = 0; i < count; i++) records[i] = experimentRecord(i, gen.next());
  return records;
}

/**
 * The input server of one experiment run. `whenConsumed()` resolves with the wall time at which the whole input
 * was taken by the program: acknowledged (replayable) or written to a connected receiver (lines).
 */
export interface ExperimentSource {
  readonly kind: ExperimentSourceKind;
  listen(): Promise<number>;
  whenConsumed(): Promise<number>;
  /** Records sent so far (counting resends) and connections served. */
  readonly sent: number;
  readonly connections: number;
  close(): Promise<void>;
}

export function createExperimentSource(kind: ExperimentSourceKind, records: readonly string[], ratePerSec: number): ExperimentSource {
  return kind === 'replayable' ? new ReplayableExperimentSource(records, ratePerSec) : new LineExperimentSource(records, ratePerSec);
}

/** A ReplayableLineSource over the records: the receiver says where to resume, and acknowledges what it stored. */
class ReplayableExperimentSource implements ExperimentSource {
  readonly kind = 'replayable';
  private readonly source: ReplayableLineSource;
  private consumed: Promise<number> | undefined;

  constructor(records: readonly string[], ratePerSec: number) {
    this.source = new ReplayableLineSource((i) => records[i], records.length, { ratePerSec, chunkRecords: Math.max(1, Math.ceil(ratePerSec / 100)) });
  }

  listen(): Promise<number> {
    return this.source.listen();
  }

  whenConsumed(): Promise<number> {
    this.consumed ??= this.source.whenAllAcknowledged().then(() => Date.now());
    return this.consumed;
  }

  get sent(): number {
    return this.source.sent;
  }

  get connections(): number {
    return this.source.connections;
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

/**
 * An unreliable line source (as `nc -lk` fed by a generator): each record is sent once, at the rate, to the
 * connected client; sending pauses while no client is connected (so what a crash loses is what the dead process
 * had received, not what nobody listened to). A new connection replaces the previous one.
 */
class LineExperimentSource implements ExperimentSource {
  readonly kind = 'lines';
  private readonly server: net.Server;
  private current: net.Socket | undefined;
  private next = 0;
  private pumping = false;
  private closed = false;
  private consumedAt: number | undefined;
  private readonly waiters: Array<(wall: number) => void> = [];
  sent = 0;
  connections = 0;

  constructor(
    private readonly records: readonly string[],
    private readonly ratePerSec: number,
  ) {
    this.server = net.createServer((s) => this.accept(s));
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  whenConsumed(): Promise<number> {
    if (this.consumedAt !== undefined) return Promise.resolve(this.consumedAt);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): Promise<void> {
    this.closed = true;
    this.current?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.current?.destroy();
    this.current = socket;
    this.connections++;
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('close', () => {
      if (this.current === socket) this.current = undefined;
    });
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    const chunk = Math.max(1, Math.ceil(this.ratePerSec / 100));
    let start = Date.now();
    let sentSinceStart = 0;
    while (!this.closed && this.next < this.records.length) {
      const socket = this.current;
      if (socket === undefined) {
        // Paused while nobody listens; the rate restarts with the next connection.
        await sleep(5);
        start = Date.now();
        sentSinceStart = 0;
        continue;
      }
      const due = Math.floor(((Date.now() - start) / 1000) * this.ratePerSec) - sentSinceStart;
      if (due <= 0) {
        await sleep(5);
        continue;
      }
      const end = Math.min(this.records.length, this.next + Math.min(chunk, due));
      let text = '';
      for (let i = this.next; i < end; i++) text += this.records[i] + '\n';
      sentSinceStart += end - this.next;
      this.sent += end - this.next;
      this.next = end;
      if (!socket.write(text)) await new Promise<void>((r) => socket.once('drain', () => r()).once('close', () => r()));
    }
    this.pumping = false;
    if (this.next >= this.records.length && this.consumedAt === undefined) {
      this.consumedAt = Date.now();
      for (const w of this.waiters.splice(0)) w(this.consumedAt);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
