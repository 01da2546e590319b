import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'lib/cli/bin.js');

/** Starts `dstreams <args>` as a real child process. */
export function dstreams(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
}

/** Collects a stream's text; `waitFor` resolves once it matches (or rejects after `ms`, naming what it saw). */
export function collect(stream: NodeJS.ReadableStream): { text: () => string; waitFor: (re: RegExp, ms?: number) => Promise<RegExpMatchArray> } {
  let buf = '';
  const waiters: Array<() => void> = [];
  stream.on('data', (d: Buffer) => {
    buf += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  return {
    text: () => buf,
    waitFor: (re, ms = 20000) =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${re}; got: ${buf.slice(-500)}`)), ms);
        const check = (): void => {
          const m = buf.match(re);
          if (m) {
            clearTimeout(deadline);
            resolve(m);
          } else waiters.push(check);
        };
        check();
      }),
  };
}

export function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (c) => resolve(c));
  });
}

/** Connects to 127.0.0.1:port and collects what arrives. */
export function connect(port: number): Promise<{ socket: net.Socket; received: ReturnType<typeof collect> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve({ socket, received: collect(socket) }));
    socket.on('error', reject);
  });
}
