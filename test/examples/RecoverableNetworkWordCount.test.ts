/**
 * RecoverableNetworkWordCount (Scala and PySpark ports) across a SIGKILL: the first run creates the context, a
 * second run with the same checkpoint folder recovers it (no "Creating new context"), goes on from the
 * checkpointed batch and appends to the same output file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanUp, lineServer, startProgram, tempDir, waitFor, waitForClient } from './exampleKit';

afterEach(cleanUp);

const countsLines = (s: string): string[] => s.split('\n').filter((l) => l.startsWith('Counts at time '));

test('RecoverableNetworkWordCount: blacklist, accumulator, output file; SIGKILL and restart recover from the checkpoint', async () => {
  const dir = tempDir('recoverable');
  const cp = path.join(dir, 'checkpoint');
  const out = path.join(dir, 'out.txt');
  fs.writeFileSync(out, 'left over from an earlier run\n');
  const src = await lineServer();
  const args = ['localhost', String(src.port), cp, out];

  const first = startProgram('RecoverableNetworkWordCount.ts', args);
  await waitForClient(first, src.server);
  expect(first.stdout().split('\n')[0]).toBe('Creating new context');
  src.send('hello a world b hello');
  await waitFor(first, 'the counts', () => /Counts at time \d+ ms \[\((hello,2|world,1)\), \((hello,2|world,1)\)\]\n/.test(first.stdout()));
  const text = first.stdout();
  const at = text.search(/Counts at time \d+ ms \[\(/);
  expect(text.slice(at).split('\n').slice(1, 3)).toEqual(['Dropped 2 word(s) totally', `Appending to ${out}`]);
  // Empty batches print "[]" and the accumulator's running total.
  await waitFor(first, 'two later batches', () => countsLines(first.stdout().slice(at)).length >= 3);
  expect(first.stdout()).toMatch(/Counts at time \d+ ms \[\]\nDropped 2 word\(s\) totally\n/);
  // The old output file was deleted by the new context.
  expect(fs.readFileSync(out, 'utf8')).not.toContain('left over');
  first.child.kill('SIGKILL');
  await first.exited();
  // What the killed run appended (batches may have run between the checks above and the kill).
  const firstLines = countsLines(fs.readFileSync(out, 'utf8'));
  const lastFirst = Number(/at time (\d+) ms/.exec(firstLines.at(-1)!)![1]);

  const second = startProgram('RecoverableNetworkWordCount.ts', args);
  await waitFor(second, 'the recovered batches', () => countsLines(second.stdout()).length >= 1);
  expect(second.stdout()).not.toContain('Creating new context');
  // The recovered run starts at or before the last batch the killed one printed (the checkpointed batch runs
  // again: at-least-once output), and never before the first.
  const firstRecovered = Number(/at time (\d+) ms/.exec(countsLines(second.stdout())[0])![1]);
  expect(firstRecovered).toBeLessThanOrEqual(lastFirst + 200);
  expect(firstRecovered).toBeGreaterThan(Number(/at time (\d+) ms/.exec(firstLines[0])![1]));
  await waitForClient(second, src.server);
  src.send('c hello c');
  await waitFor(second, 'counts after the restart', () => /Counts at time \d+ ms \[\(hello,1\)\]\nDropped 2 word\(s\) totally\n/.test(second.stdout()));
  // Accumulators are not checkpointed (Spark's too): the total starts again from 0, and the file keeps growing.
  const all = fs.readFileSync(out, 'utf8');
  expect(all.startsWith(firstLines.join('\n'))).toBe(true);
  expect(countsLines(all).length).toBeGreaterThan(firstLines.length);
});

test('recoverable_network_wordcount (PySpark flavour): Python reprs and datetimes; recovery after SIGKILL', async () => {
  const dir = tempDir('recoverable-py');
  const cp = path.join(dir, 'checkpoint');
  const out = path.join(dir, 'out.txt');
  const src = await lineServer();
  const args = ['localhost', String(src.port), cp, out];
  const first = startProgram('recoverable_network_wordcount.ts', args);
  src.send('x a x');
  await waitFor(first, 'the counts', () => /Counts at time \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})? \[\('x', 2\)\]\nDropped 1 word\(s\) totally\nAppending to /.test(first.stdout()));
  expect(first.stdout().startsWith('Creating new context\n')).toBe(true);
  await waitFor(first, 'a checkpoint', () => fs.existsSync(cp) && fs.readdirSync(cp).some((f) => /^checkpoint-\d+$/.test(f)));
  first.child.kill('SIGKILL');
  await first.exited();
  const second = startProgram('recoverable_network_wordcount.ts', args);
  src.send('y');
  await waitFor(second, 'counts after the restart', () => second.stdout().includes("[('y', 1)]"));
  expect(second.stdout()).not.toContain('Creating new context');
});

test('RecoverableNetworkWordCount with the wrong number of arguments prints the usage with them and a hint, exit 1', async () => {
  const r = startProgram('RecoverableNetworkWordCount.ts', ['localhost', '9999']);
  expect(await r.exited()).toBe(1);
  expect(r.stderr()).toMatch(/^Usage: RecoverableNetworkWordCount <hostname> <port> <checkpoint-directory> <output-file> \(your arguments were \[localhost, 9999\]\)\n {2}hint: [^\n]+\n$/);
});
