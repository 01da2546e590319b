/**
 * Helpers of the UI suites: a manual-clock context with the UI on (any free port), JSON GETs, raw HTTP requests
 * (paths sent byte for byte, as `fetch` would normalise `..`), and a live-feed client that records every message.
 */
import * as net from 'node:net';
import WebSocket from 'ws';
import type { StreamingContext } from '../../lib';
import { createManualContext, type HarnessOptions } from '../streaming/harness';

export function uiContext(opts: HarnessOptions = {}): StreamingContext {
  return createManualContext({ ...opts, conf: { 'dstreams.ui.enabled': true, 'dstreams.ui.port': 0, ...(opts.conf ?? {}) } });
}

/** The context's UI URL (it must have started with the UI on). */
export function urlOf(ssc: StreamingContext): string {
  const u = ssc.uiWebUrl;
  if (u === undefined) throw new Error('the context serves no UI');
  return u;
}

export async function getJson<T = any>(ssc: StreamingContext, path: string): Promise<T> {
  const r = await fetch(`${urlOf(ssc)}/api/v1/streaming${path}`);
  if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status} ${await r.text()}`);
  expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await r.json()) as T;
}

export interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** Sends one HTTP/1.1 request with `target` exactly as given. */
export function rawRequest(port: number, target: string, extraHeaders: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split);
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: text.slice(split + 4) });
    });
    const headers = { Host: `127.0.0.1:${port}`, Connection: 'close', ...extraHeaders };
    s.write(`${method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
  });
}

/** Polls `cond` every few ms until it holds; fails with `what` after `timeoutMs` (real sockets deliver when they do). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A WebSocket client of `/ws` that keeps every message. */
export class FeedClient {
  readonly messages: any[] = [];
  closed = false;
  closeCode: number | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.messages.push(JSON.parse(String(d))));
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
  }

  static async connect(ssc: StreamingContext): Promise<FeedClient> {
    const ws = new WebSocket(`${urlOf(ssc).replace('http', 'ws')}/ws`);
    const c = new FeedClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await waitFor(() => c.messages.length > 0, 'the snapshot');
    return c;
  }

  events(): any[] {
    return this.messages.filter((m) => m.type === 'event');
  }

  /** Waits until a message satisfies `pred`. */
  async until(pred: (m: any) => boolean, what: string): Promise<any> {
    await waitFor(() => this.messages.some(pred), what);
    return this.messages.find(pred);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Calls `get` until its value satisfies `pred` (e.g. a checkpoint written after the batch); returns that value. */
export async function eventually<T>(get: () => Promise<T>, pred: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
