/**
 * RawNetworkGrep fed by RawTextSender (both real child processes): the sender repeats one serialized block of the
 * file's lines; every batch's grep count is therefore a multiple of the block's matching lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
