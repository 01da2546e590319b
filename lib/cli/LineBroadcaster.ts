import * as net from 'node:net';

/**
 * A TCP server that sends text lines to every connected client: the core of `dstreams nc -lk` and
 * `dstreams generate`. Lines written before the first client connects are buffered (up to `maxBufferedBytes`) and
 * flushed to it, so `cat file | dstreams nc -lk 9999` works whenever the receiver connects.
 */
export class LineBroadcaster {
  private readonly server: net.Server;
  private readonly clients = new Set<net.Socket>();
  private pending: string[] = [];
  private pendingBytes = 0;
  private everConnected = false;
  bytesSent = 0;

  constructor(
    private readonly onEvent: (message: string) => void,
    private readonly keepListening = true,
    private readonly maxBufferedBytes = 64 * 1024 * 1024,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Sends `text` (one or more complete lines, each ending in \n) to every client, or buffers it. */
  send(text: string): boolean {
    if (this.clients.size === 0) {
      if (this.everConnected && !this.keepListening) return false;
      if (this.pendingBytes + text.length <= this.maxBufferedBytes) {
        this.pending.push(text);
        this.pendingBytes += text.length;
      }
      return true;
    }
    let flowing = true;
    for (const c of this.clients) {
      if (!c.write(text)) flowing = false;
    }
    this.bytesSent += text.length;
    return flowing;
  }

  /** Resolves when every client's socket buffer has drained (for backpressure from slow receivers). */
  drain(): Promise<void> {
    const waits = [...this.clients].filter((c) => c.writableNeedDrain).map((c) => new Promise<void>((r) => c.once('drain', () => r())));
    return Promise.all(waits).then(() => undefined);
  }

  close(): Promise<void> {
    for (const c of this.clients) c.end();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (!this.keepListening && this.everConnected) {
      socket.destroy();
      return;
    }
    this.everConnected = true;
    this.clients.add(socket);
    socket.setNoDelay(true);
    this.onEvent(`connection from ${socket.remoteAddress}:${socket.remotePort}`);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.clients.delete(socket);
      this.onEvent(`connection closed (${this.clients.size} left)`);
    });
    socket.on('data', () => undefined);
    if (this.pending.length > 0) {
      const buffered = this.pending.join('');
      this.pending = [];
      this.pendingBytes = 0;
      socket.write(buffered);
      this.bytesSent += buffered.length;
    }
  }
}
