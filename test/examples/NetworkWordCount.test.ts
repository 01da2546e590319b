/**
 * The network word counts (Spark's NetworkWordCount, PySpark's network_wordcount, CustomReceiver, and the
 * SqlNetworkWordCount equivalent) as child processes fed by a real TCP server: lines are sent, and the printed
 * batches must contain their counts.
 */
import { LineBroadcaster } from '../../lib/cli/LineBroadcaster';
import { batches, cleanUp, hasBatch, lineServer, startProgram, waitFor, waitForClient } from './exampleKit';

afterEach(cleanUp);

test('NetworkWordCount prints each batch\'s (word,count) pairs in Spark\'s layout', async () => {
  const src = await lineServer();
  const r = startProgram('NetworkWordCount.ts', ['localhost', String(src.port)]);
  await waitForClient(r, src.server);
  src.send('hello world hello');
  await waitFor(r, 'the batch of the first line', () => hasBatch(r.stdout(), ['(hello,2)', '(world,1)']));
  src.send('to be or not to be');
  await waitFor(r, 'the batch of the second line', () => hasBatch(r.stdout(), ['(be,2)', '(not,1)', '(or,1)', '(to,2)']));
  // Spark's block layout: 43 dashes, "Time: <ms> ms", 43 dashes, elements, an empty line; batches 200 ms apart.
  expect(r.stdout()).toMatch(/^-{43}\nTime: \d+ ms\n-{43}\n/);
  const times = batches(r.stdout()).map((b) => Number(/^(\d+) ms$/.exec(b.time)![1]));
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(200);
  // Every line was counted once: no other batch has any element.
  expect(batches(r.stdout()).filter((b) => b.lines.length > 0)).toHaveLength(2);
});

test('network_wordcount (PySpark flavour) pprints tuples under a datetime', async () => {
  const src = await lineServer();
  const r = startProgram('network_wordcount.ts', ['localhost', String(src.port)]);
  src.send('a b a');
  await waitFor(r, 'the batch', () => hasBatch(r.stdout(), ["('a', 2)", "('b', 1)"]));
  const b = batches(r.stdout()).find((x) => x.lines.length > 0)!;
  expect(b.time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
});

test('network_wordcount without arguments prints its usage and exits with 255 (sys.exit(-1))', async () => {
  const r = startProgram('network_wordcount.ts', []);
  expect(await r.exited()).toBe(255);
  expect(r.stderr()).toContain('Usage: network_wordcount.ts <hostname> <port>');
});

test('CustomReceiver stores each line with store(line) and reconnects after the server goes away', async () => {
  const src = await lineServer();
  const r = startProgram('CustomReceiver.ts', ['localhost', String(src.port)], {
    env: { DSTREAMS_CONF: 'spark.streaming.receiverRestartDelay=100' },
  });
  await waitForClient(r, src.server);
  src.send('x y x');
  await waitFor(r, 'the first batch', () => hasBatch(r.stdout(), ['(x,2)', '(y,1)']));
  // The server goes away: restart("Trying to connect again"), then connection refused and restart(error) until a
  // server listens on the port again.
  await src.server.close();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const again = new LineBroadcaster(() => undefined, true);
  await again.listen(src.port, '127.0.0.1');
  try {
    await waitForClient(r, again);
    again.send('z\n');
    await waitFor(r, 'a batch after reconnecting', () => hasBatch(r.stdout(), ['(z,1)']));
  } finally {
    await again.close();
  }
});

test('SqlNetworkWordCount (plain-RDD equivalent) prints the time line and a DataFrame.show() table', async () => {
  const src = await lineServer();
  const r = startProgram('SqlNetworkWordCount.ts', ['localhost', String(src.port)]);
  src.send('spark dstreams spark');
  await waitFor(r, 'the table', () => /\| +spark\| +2\|/.test(r.stdout()));
  const tables = r.stdout().split(/^========= /m).slice(1);
  const table = tables.find((t) => t.includes('spark'))!;
  expect(table).toMatch(/^\d+ ms =========\n/);
  const [, ...rest] = table.split('\n');
  const rows = rest.slice(3, 5).sort();
  expect(rest.slice(0, 3)).toEqual(['+--------+-----+', '|    word|total|', '+--------+-----+']);
  expect(rows).toEqual(['|   spark|    2|', '|dstreams|    1|']);
  expect(rest.slice(5, 7)).toEqual(['+--------+-----+', '']);
  // An empty batch shows the empty table, as show() does.
  await waitFor(r, 'an empty batch', () => r.stdout().includes('+----+-----+\n|word|total|\n+----+-----+\n+----+-----+\n'));
  expect(r.stdout()).toContain('+----+-----+\n|word|total|\n+----+-----+\n+----+-----+\n');
});
