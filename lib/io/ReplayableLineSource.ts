import * as net from 'node:net';
import { getLogger } from '../core/logging';

const log = getLogger('ReplayableLineSource');

/**
 * A replayable line source: the TCP counterpart of `ReplayableSocketReceiver` (receivers/reliable), for fault experiments, tests and
 * classes. Record `i` (0-based) is always the same line (`recordAt(i)`), so a source can be replayed from any
 * offset, the way a Kafka partition can.
 *
 * Protocol (text lines, both ways):
 * - the receiver connects and sends `FROM <offset>`: the source sends records `offset, offset + 1, ...` (one per
 *   line), at `ratePerSec` if set, until `total` (the connection then stays open and idle);
 * - after the receiver has stored records durably it sends `ACK <offset>` (records before `offset` are safe); the
 *   source keeps the highest offset acknowledged, for reports and for {@link whenAllAcknowledged}.
 * A new connection replaces the previous one. The source never decides where to resume: the receiver does, from
 * what it stored (so a receiver that crashed after storing but before acknowledging does not get the block twice).
 */
export class ReplayableLineSource {
  private readonly server: net.Server;
  private current: net.Socket | undefined;
  private ackWaiters: Array<() => void> = [];
  /** Highest offset acknowledged (records before it are stored). */
  acknowledged = 0;
  /** Connections served, for tests and reports. */
  connections = 0;
  /** Records sent, counting resends. */
  sent = 0;

  constructor(
    readonly recordAt: (index: number) => string,
    readonly total: number,
    private readonly options: { ratePerSec?: number; chunkRecords?: number } = {},
  ) {
    this.server = net.createServer((s) => this.accept(s));
  }

  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  /** Resolves when every record has been acknowledged. */
  whenAllAcknowledged(): Promise<void> {
    if (this.acknowledged >= this.total) return Promise.resolve();
    return new Promise((resolve) => this.ackWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.current?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.current?.destroy();
    this.current = socket;
    this.connections++;
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    let buf = '';
    let started = false;
    socket.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        const [cmd, arg] = line.split(' ');
        const n = Number(arg);
        if (cmd === 'FROM' && !started && Number.isInteger(n) && n >= 0) {
          started = true;
          log.info({ from: n }, `Replaying from offset ${n}`);
          void this.serve(socket, n);
        } else if (cmd === 'ACK' && Number.isInteger(n)) {
          if (n > this.acknowledged) this.acknowledged = Math.min(n, this.total);
          if (this.acknowledged >= this.total) for (const w of this.ackWaiters.splice(0)) w();
        }
      }
    });
  }

  private async serve(socket: net.Socket, from: number): Promise<void> {
    const chunk = this.options.chunkRecords ?? 1000;
    const rate = this.options.ratePerSec;
    const start = Date.now();
    let offset = from;
    while (offset < this.total && !socket.destroyed && this.current === socket) {
      let n = chunk;
      if (rate !== undefined) {
        const due = Math.floor(((Date.now() - start) / 1000) * rate) - (offset - from);
        if (due <= 0) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        n = Math.min(n, due);
      }
      const end = Math.min(this.total, offset + n);
      let text = '';
      for (let i = offset; i < end; i++) text += this.recordAt(i) + '\n';
      this.sent += end - offset;
      offset = end;
      if (!socket.write(text)) await new Promise<void>((r) => socket.once('drain', () => r()));
    }
  }
}
