/**
 * The stateful and windowed word counts as child processes fed by a real TCP server (mapWithState,
 * updateStateByKey with an initial RDD, reduceByKeyAndWindow with and without the inverse function).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { batches, cleanUp, hasBatch, lineServer, sorted, startProgram, tempDir, waitFor, waitForClient } from './exampleKit';

afterEach(cleanUp);

test('StatefulNetworkWordCount (mapWithState): running counts of the words of each batch, from the initial state', async () => {
  const cwd = tempDir('stateful');
  const src = await lineServer();
  const r = startProgram('StatefulNetworkWordCount.ts', ['localhost', String(src.port)], { cwd });
  await waitForClient(r, src.server);
  src.send('hello a');
  // hello starts at 1 (the initial state), so the first hello makes 2; only this batch's words are printed.
  await waitFor(r, 'the first batch', () => hasBatch(r.stdout(), ['(hello,2)', '(a,1)']));
  src.send('hello world a');
  await waitFor(r, 'the second batch', () => hasBatch(r.stdout(), ['(hello,3)', '(world,2)', '(a,2)']));
  // Batches without input print nothing under their header (mapWithState emits per record).
  const nonEmpty = batches(r.stdout()).filter((b) => b.lines.length > 0);
  expect(nonEmpty.map((b) => sorted(b.lines))).toEqual([sorted(['(hello,2)', '(a,1)']), sorted(['(hello,3)', '(world,2)', '(a,2)'])]);
  // checkpoint(".") writes into the working folder, as Spark's.
  await waitFor(r, 'a checkpoint file in the working folder', () => fs.readdirSync(cwd).some((f) => f.startsWith('checkpoint-')));
});

test('stateful_network_wordcount (updateStateByKey): every key\'s running count each batch, pprinted', async () => {
  const cwd = tempDir('stateful-py');
  const src = await lineServer();
  const r = startProgram('stateful_network_wordcount.ts', ['localhost', String(src.port)], { cwd });
  await waitFor(r, 'the initial state', () => hasBatch(r.stdout(), ["('hello', 1)", "('world', 1)"]));
  src.send('hello a');
  await waitFor(r, 'the first counts', () => hasBatch(r.stdout(), ["('hello', 2)", "('world', 1)", "('a', 1)"]));
  src.send('a a b');
  await waitFor(r, 'the second counts', () => hasBatch(r.stdout(), ["('hello', 2)", "('world', 1)", "('a', 3)", "('b', 1)"]));
  // Once the input stops, every later batch repeats the last state.
  const last = batches(r.stdout()).at(-1)!;
  expect(sorted(last.lines)).toEqual(sorted(["('hello', 2)", "('world', 1)", "('a', 3)", "('b', 1)"]));
  expect(fs.existsSync(path.join(cwd, 'checkpoint'))).toBe(true);
});

test('WindowedNetworkWordCount: the window and the incremental window agree; the incremental one keeps words at 0', async () => {
  const cwd = tempDir('windowed');
  const src = await lineServer();
  // 200 ms batches; a 3-batch window sliding every batch.
  const r = startProgram('WindowedNetworkWordCount.ts', ['localhost', String(src.port), '3', '1'], { cwd });
  await waitForClient(r, src.server);
  src.send('a b a');
  await waitFor(r, 'the words to leave the window', () => hasBatch(r.stdout(), ['(a,0)', '(b,0)']));
  // Blocks come in pairs with one time: first the recomputed window, then the incremental one.
  const all = batches(r.stdout());
  const pairs: Array<[string[], string[]]> = [];
  for (let i = 0; i + 1 < all.length; i += 2) {
    expect(all[i].time).toBe(all[i + 1].time);
    pairs.push([sorted(all[i].lines), sorted(all[i + 1].lines)]);
  }
  const withWords = pairs.filter(([plain]) => plain.length > 0);
  // The line is in the window for exactly 3 slides, and both forms say so.
  expect(withWords).toHaveLength(3);
  for (const [plain, incremental] of withWords) {
    expect(plain).toEqual(['(a,2)', '(b,1)']);
    expect(incremental).toEqual(['(a,2)', '(b,1)']);
  }
  const after = pairs.slice(pairs.indexOf(withWords[2]) + 1);
  expect(after.length).toBeGreaterThan(0);
  for (const [plain, incremental] of after) {
    expect(plain).toEqual([]);
    expect(incremental).toEqual(['(a,0)', '(b,0)']);
  }
});
