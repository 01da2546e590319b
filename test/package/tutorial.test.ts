/**
 * The README's tutorial, as a newcomer follows it in a folder that only ran `npm install <tarball>`: the two
 * commands are read from README.md and run as written in two "terminals" (process groups), except the port, which
 * is a free one (9999 may be taken on a shared machine): lines typed into `dstreams nc` come out of the word count.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { cleanUp, hasBatch, waitFor } from '../examples/exampleKit';
import { userCommand } from './installedApp';

afterEach(cleanUp);

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The first command in the README matching `re` (whose group 1 is the port), and the port. */
function command(re: RegExp): { words: string[]; port: string } {
  const m = re.exec(README);
  if (m === null) throw new Error(`README.md has no command matching ${re}`);
  return { words: m[0].split(/\s+/), port: m[1] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test('terminal 1: npx dstreams nc -lk 9999; terminal 2: npx dstreams run examples/NetworkWordCount.ts localhost 9999', async () => {
  const nc = command(/npx dstreams nc -lk (\d+)/);
  const run = command(/npx dstreams run examples\/NetworkWordCount\.ts localhost (\d+)/);
  expect(run.port).toBe(nc.port);
  const port = String(await freePort());
  const withPort = (words: string[], original: string): string[] => words.map((w) => (w === original ? port : w));
  const [npx1, ...ncArgs] = withPort(nc.words, nc.port);
  const [npx2, ...runArgs] = withPort(run.words, run.port);
  const server = userCommand(npx1, ncArgs);
  await waitFor(server, 'nc to listen', () => server.stderr().includes(`listening on 127.0.0.1:${port}`));
  const counter = userCommand(npx2, runArgs);
  await waitFor(counter, 'the receiver to connect', () => /connection from /.test(server.stderr()));
  server.child.stdin.write('hello world hello\n');
  await waitFor(counter, 'the counts of the typed line', () => hasBatch(counter.stdout(), ['(hello,2)', '(world,1)']));
  expect(counter.stdout()).toMatch(/^-{43}\nTime: \d+ ms\n-{43}\n/);
});
