import * as readline from 'node:readline';
import { LineBroadcaster } from './LineBroadcaster';

export interface NcOptions {
  listen: boolean;
  keepOpen: boolean;
  host: string;
  quiet: boolean;
}

/**
 * `dstreams nc -lk <port>`: the netcat stand-in Spark's tutorials ask for. Reads lines from stdin (a terminal or a
 * pipe) and sends each to every connected client. Binds 127.0.0.1 unless `--host` says otherwise.
 */
export async function ncCommand(port: number, opts: NcOptions): Promise<void> {
  const say = (m: string): void => {
    if (!opts.quiet) process.stderr.write(`dstreams nc: ${m}\n`);
  };
  const server = new LineBroadcaster(say, opts.keepOpen);
  const bound = await server.listen(port, opts.host);
  say(`listening on ${opts.host}:${bound}`);
  if (process.stdin.isTTY) say('type lines to send them (Ctrl-D ends input, Ctrl-C quits)');
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => {
    if (!server.send(line + '\n')) {
      rl.pause();
      void server.drain().then(() => rl.resume());
    }
  });
  await new Promise<void>((resolve) => rl.once('close', () => resolve()));
  say('end of input');
  if (!opts.keepOpen) {
    await server.drain();
    await server.close();
    return;
  }
  // -k: keep serving until interrupted, like `nc -lk`.
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
