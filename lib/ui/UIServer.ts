import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { getLogger } from '../core/logging';
import { contentType, resolveStaticFile } from './StaticFiles';
import type { ApiResult } from './ApiResult';
import { isLoopback } from './Loopback';
import type { ControlRequest } from './StreamingControl';
import { UIBindException } from './UIErrors';

const log = getLogger('StreamingUI');

export type { ApiResult } from './ApiResult';

/** Where the job controls are: the only paths that take a POST (StreamingControl decides whether to answer). */
export const CONTROL_PREFIX = '/api/v1/streaming/control/';

export interface UIServerOptions {
  readonly host: string;
  /** First port tried; 0 = any free port. */
  readonly port: number;
  /** Further ports tried when a port is taken (Spark's `spark.port.maxRetries`). */
  readonly maxRetries: number;
  readonly staticRoot: string;
  /** Answers `/api/...` GETs; undefined = no such endpoint. */
  readonly api: (pathname: string, query: URLSearchParams) => ApiResult | undefined;
  /** A new live-feed client: returns the first message to send it. */
  readonly onConnect: () => string;
  /** Answers POSTs under {@link CONTROL_PREFIX}; without it they are 405, as every POST. */
  readonly control?: (req: ControlRequest) => Promise<ApiResult>;
}

/** A client whose unsent feed exceeds this is dropped (it reconnects and gets a fresh snapshot). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

/**
 * The UI's HTTP server (Spark's `WebUI` on Jetty): static files from one folder, JSON endpoints, and the live feed
 * as a WebSocket at `/ws`. Binds like Spark's `startServiceOnPort`: a taken port is retried on the next one, up to
 * `maxRetries` times. Bound to a loopback address, it also refuses requests whose Host (and WebSocket Origin) is not
 * a loopback name, so a web page elsewhere cannot read the feed through DNS rebinding.
 */
export class UIServer {
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly clients = new Set<WebSocket>();
  private boundPort = -1;
  private closed = false;

  constructor(private readonly options: UIServerOptions) {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.server.on('clientError', (_e, socket) => socket.destroy());
  }

  get port(): number {
    return this.boundPort;
  }

  /** The bound address (`127.0.0.1` by default), or undefined when not listening. */
  get address(): string | undefined {
    const a = this.server.address();
    return a !== null && typeof a === 'object' ? a.address : undefined;
  }

  /** `http://host:port`. */
  get url(): string {
    const h = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${h}:${this.boundPort}`;
  }

  get numClients(): number {
    return this.clients.size;
  }

  async start(): Promise<void> {
    const { host, port, maxRetries } = this.options;
    const attempts = port === 0 ? 1 : maxRetries + 1;
    let lastError: unknown;
    for (let i = 0; i < attempts; i++) {
      const p = port === 0 ? 0 : port + i;
      if (p > 65535) break;
      try {
        await this.listen(p);
        if (this.closed) {
          // stop() came while binding: do not leave a listening socket behind.
          this.server.close();
          return;
        }
        this.boundPort = (this.server.address() as AddressInfo).port;
        log.info({ url: this.url }, `Bound StreamingUI to ${host}, and started at ${this.url}`);
        return;
      } catch (e) {
        lastError = e;
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new UIBindException(host, port, p, i + 1, e);
        log.warn(`Service 'StreamingUI' could not bind on port ${p}. Attempting port ${p + 1}.`);
      }
    }
    throw new UIBindException(host, port, port + attempts - 1, attempts, lastError);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => {
        this.server.off('listening', onListening);
        reject(e);
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(port, this.options.host);
    });
  }

  /** Sends one message to every live-feed client. */
  broadcast(text: string): void {
    for (const ws of this.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.terminate();
        continue;
      }
      ws.send(text);
    }
  }

  /** Says goodbye to the feed's clients, closes every connection and stops listening. */
  async stop(farewell?: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const ws of this.clients) {
      if (farewell !== undefined && ws.readyState === ws.OPEN) ws.send(farewell);
      ws.close(1001, 'streaming context stopped');
    }
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Closing frames are queued before the sockets go; idle keep-alive connections would hold close() open.
    setImmediate(() => {
      for (const ws of this.clients) ws.terminate();
      this.server.closeAllConnections();
    });
    if (this.boundPort >= 0) await done;
    this.wss.close();
  }

  // ---- requests

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      this.route(req, res);
    } catch (e) {
      log.warn({ err: e, url: req.url }, 'UI request failed');
      if (!res.headersSent) this.text(res, 500, 'internal error');
      else res.destroy();
    }
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!this.hostAllowed(req.headers.host)) return this.text(res, 403, 'forbidden host');
    const control = this.options.control;
    if (control !== undefined && (req.url ?? '').startsWith(CONTROL_PREFIX)) return this.control(req, res, control);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.text(res, 405, 'method not allowed');
    }
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    // The raw path: the static files check it themselves (a parsed URL would already have resolved `..`).
    const rawPath = q >= 0 ? raw.slice(0, q) : raw;
    const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
    if (rawPath === '/' || rawPath === '/index.html') return this.file(req, res, resolveStaticFile(this.options.staticRoot, 'index.html'));
    if (rawPath.startsWith('/static/')) return this.file(req, res, resolveStaticFile(this.options.staticRoot, rawPath.slice('/static/'.length)));
    if (rawPath.startsWith('/api/')) {
      let pathname: string;
      try {
        pathname = decodeURIComponent(rawPath).replace(/\/+$/, '');
      } catch {
        return this.text(res, 400, 'malformed URL');
      }
      const r = this.options.api(pathname, query);
      if (!r) return this.text(res, 404, `no such endpoint: ${pathname}`);
      return this.answer(req, res, r);
    }
    return this.text(res, 404, 'not found');
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, r: ApiResult): void {
    if (r.status !== 200) return this.text(res, r.status, r.message);
    const body = Buffer.from(JSON.stringify(r.body));
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** A job control request: POST only; the body is not read (the action and its argument are in the URL). */
  private control(req: http.IncomingMessage, res: http.ServerResponse, control: NonNullable<UIServerOptions['control']>): void {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return this.text(res, 405, 'method not allowed: job control takes POST');
    }
    const raw = (req.url ?? '').slice(CONTROL_PREFIX.length);
    const q = raw.indexOf('?');
    const action = q >= 0 ? raw.slice(0, q) : raw;
    const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
    control({ action: action.replace(/\/+$/, ''), query, headers: req.headers, remoteAddress: req.socket.remoteAddress }).then(
      (r) => {
        if (!res.headersSent) this.answer(req, res, r);
      },
      (e: unknown) => {
        log.warn({ err: e, url: req.url }, 'UI control request failed');
        if (!res.headersSent) this.text(res, 500, 'internal error');
      },
    );
  }

  private file(req: http.IncomingMessage, res: http.ServerResponse, file: string | undefined): void {
    if (!file) return this.text(res, 404, 'not found');
    const body = fs.readFileSync(file);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentType(file), 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private text(res: http.ServerResponse, status: number, message: string): void {
    const body = Buffer.from(message + '\n');
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  }

  // ---- live feed

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/ws' || !this.hostAllowed(req.headers.host) || !this.originAllowed(req.headers.origin, req.headers.host)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.closed) {
        ws.close(1001, 'streaming context stopped');
        return;
      }
      this.clients.add(ws);
      ws.on('close', () => this.clients.delete(ws));
      ws.on('error', () => this.clients.delete(ws));
      // The feed is one-way: the page never needs to send anything.
      ws.on('message', () => undefined);
      ws.send(this.options.onConnect());
    });
  }

  private get loopbackOnly(): boolean {
    return isLoopback(this.options.host);
  }

  /** When bound to loopback, only loopback host names (with any port) are served. */
  private hostAllowed(host: string | undefined): boolean {
    if (!this.loopbackOnly) return true;
    if (host === undefined) return true; // HTTP/1.0 clients send none
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
    return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === this.options.host;
  }

  /** A browser's WebSocket must come from a page of this server (same host and port). */
  private originAllowed(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true; // not a browser
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
}
