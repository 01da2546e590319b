/**
 * RawNetworkGrep fed by RawTextSender (both real child processes): the sender repeats one serialized block of the
 * file's lines; every batch's grep count is therefore a multiple of the block's matching lines.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { BlockSerializer } from '../../lib';
import { buildBlock } from '../../examples/RawTextSender';
import { cleanUp, startProgram, tempDir, waitFor } from './exampleKit';

afterEach(cleanUp);

test('buildBlock cycles the lines up to the block size and serializes them once', () => {
  const { block, records } = buildBlock(['the cat', 'sat on', 'the mat'], 100);
  expect(records).toEqual(['the cat', 'sat on', 'the mat', 'the cat', 'sat on', 'the mat', 'the cat', 'sat on', 'the mat', 'the cat']);
  expect(BlockSerializer.deserialize(block)).toEqual(records);
  expect(() => buildBlock([], 10)).toThrow('the file has no lines to send');
});

test('RawNetworkGrep over two raw socket streams counts the lines containing "the"', async () => {
  const dir = tempDir('rawgrep');
  const file = path.join(dir, 'text.txt');
  fs.writeFileSync(file, 'the cat\nsat on\nthe mat\n');
  // A block is 10 lines (see above) of which 7 contain "the"; ~30 frames a second.
  const sender = startProgram('RawTextSender.ts', ['0', file, '100', '4000']);
  await waitFor(sender, 'the sender to listen', () => /Listening on port \d+/.test(sender.stderr()));
  const port = /Listening on port (\d+)/.exec(sender.stderr())![1];
  const grep = startProgram('RawNetworkGrep.ts', ['2', 'localhost', port, '200']);
  await waitFor(sender, 'both streams to connect', () => sender.stderr().split('Got a new connection').length - 1 === 2);
  await waitFor(grep, 'five non-zero counts', () => (grep.stdout().match(/^Grep count: [1-9]\d*$/gm) ?? []).length >= 5);
  const counts = grep.stdout().split('\n').filter((l) => l.startsWith('Grep count: ')).map((l) => Number(l.slice(12)));
  for (const c of counts) expect(c % 7).toBe(0);
  expect(grep.stdout()).toMatch(/^(Grep count: \d+\n)+$/);
});

test('RawNetworkGrep with the wrong arguments prints its usage and exits with 1', async () => {
  const r = startProgram('RawNetworkGrep.ts', ['1', 'localhost']);
  expect(await r.exited()).toBe(1);
  expect(r.stderr()).toContain('Usage: RawNetworkGrep <numStreams> <host> <port> <batchMillis>');
});

test('RawNetworkGrep keeps counting when bad frames come among good ones (they are dropped and reported)', async () => {
  // A server sending, once, three good blocks with two frames between them whose header is valid and body is not.
  const good = (lines: string[]): Buffer => BlockSerializer.serialize(lines);
  const badStrings = BlockSerializer.serialize(['the x', 'the y']);
  badStrings.writeUInt32BE(9, 8);
  const notArray = Buffer.concat([BlockSerializer.serialize([1]).subarray(0, 4), v8.serialize({ the: 'end' })]);
  const frames = [good(['the a', 'b']), badStrings, good(['the c', 'the d']), notArray, good(['e', 'the f'])].map((b) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(b.length, 0);
    return Buffer.concat([head, b]);
  });
  const server = net.createServer((s) => s.end(Buffer.concat(frames)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const grep = startProgram('RawNetworkGrep.ts', ['1', 'localhost', String(port), '200']);
    await waitFor(grep, 'the good lines counted', () => /^Grep count: 4$/m.test(grep.stdout()));
    await waitFor(grep, 'the two bad frames reported', () => (grep.stderr().match(/bad frame at offset \d+: \d+-byte frame dropped/g) ?? []).length >= 2);
    // Later batches still run (a poisoned batch would have ended the program with exit code 1).
    const printed = (): number => (grep.stdout().match(/^Grep count: \d+$/gm) ?? []).length;
    const now = printed();
    await waitFor(grep, 'more batches', () => printed() >= now + 3);
    expect(grep.stderr()).toContain('string lengths sum to 14, text has 10 characters');
    expect(grep.stderr()).toContain('v8 body is not an array');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
