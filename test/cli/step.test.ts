/**
 * `dstreams step`: a real example program runs as a child on the manual clock, fed by a real TCP server; each
 * batch is described (time, input blocks, RDD lineage) before its output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineBroadcaster } from '../../lib/cli/LineBroadcaster';
import { collect, dstreams, exitCode, ROOT } from './cliHelpers';

const servers: LineBroadcaster[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function lineServer(): Promise<{ server: LineBroadcaster; port: number }> {
  const server = new LineBroadcaster(() => undefined, true);
  servers.push(server);
  return { server, port: await server.listen(0, '127.0.0.1') };
}

/** The text of each `=== batch N at T ms ===` section. */
function sections(out: string): string[] {
  return out.split(/^(?==== batch )/m).slice(1);
}

test('step --batches 2 runs two manual-clock batches, each with its input, lineage and output', async () => {
  const { server, port } = await lineServer();
  server.send('hello world hello\n');
  const c = dstreams(['step', 'examples/NetworkWordCount.ts', 'localhost', String(port), '--batches', '2']);
  const out = collect(c.stdout);
  const err = collect(c.stderr);
  expect(await exitCode(c)).toBe(0);
  const text = out.text();
  // The DStream lineage first, once.
  expect(text).toMatch(/^The DStream graph: 1 input stream\(s\), 1 output operation\(s\)\noutput 1:\n {2}ForEachDStream\[4\] print \[slide 1000 ms/);
  expect(text).toContain('+- SocketInputDStream[0] socketTextStream');
  const [first, second, ...rest] = sections(text);
  expect(rest).toEqual([]);
  // Batch times are the manual clock's: 1000 ms, 2000 ms.
  expect(first).toMatch(/^=== batch 1 at 1000 ms ===\ninput:\n {2}\[0\] SocketInputDStream\[0\] socketTextStream: 1 record\(s\) in 1 block\(s\)\n {6}input-0-\d+ \(1 records\)\n/);
  expect(first).toMatch(/lineage of output 1 \(ForEachDStream\[4\] print\):\n {2}\(2\) ShuffledRDD\[3\] at reduceByKey \[\]\n.*MapPartitionsRDD\[2\] at map/s);
  expect(first).toContain('BlockRDD[0] at socketTextStream');
  expect(first).toMatch(/output:\n-{43}\nTime: 1000 ms\n-{43}\n(\(hello,2\)\n\(world,1\)|\(world,1\)\n\(hello,2\))\n\n\n?$/);
  expect(second).toMatch(/^=== batch 2 at 2000 ms ===\ninput:\n {2}\[0\] SocketInputDStream\[0\] socketTextStream: 0 record\(s\) in 0 block\(s\)\n/);
  expect(second).toMatch(/output:\n-{43}\nTime: 2000 ms\n-{43}\n\n$/);
  expect(err.text()).not.toMatch(/stepping failed/);
});

test('step without --batches runs one batch per line on stdin and stops at the end of input', async () => {
  const { server, port } = await lineServer();
  const c = dstreams(['step', 'examples/network_wordcount.ts', 'localhost', String(port)]);
  const out = collect(c.stdout);
  const err = collect(c.stderr);
  await err.waitFor(/Enter runs the batch at 1000 ms/);
  server.send('a b a\n');
  c.stdin.write('\n');
  await out.waitFor(/=== batch 1 at 1000 ms ===[^]*\('a', 2\)/);
  await err.waitFor(/Enter runs the batch at 2000 ms/);
  c.stdin.write('\n');
  await out.waitFor(/=== batch 2 at 2000 ms ===/);
  c.stdin.end();
  expect(await exitCode(c)).toBe(0);
  expect(sections(out.text())).toHaveLength(2);
  // pprint's datetime of a 1000 ms batch time (local time zone), under the description.
  expect(out.text()).toMatch(/output:\n-{43}\nTime: 1970-01-01 \d\d:00:01\n/);
});

test('step on a missing file exits 3; a bad --batches exits 2', async () => {
  const missing = dstreams(['step', 'examples/NoSuchExample.ts']);
  const err = collect(missing.stderr);
  expect(await exitCode(missing)).toBe(3);
  expect(err.text()).toMatch(/no such file: examples\/NoSuchExample\.ts\n {2}hint:/);
  const bad = dstreams(['step', 'examples/NetworkWordCount.ts', '--batches', 'x']);
  expect(await exitCode(bad)).toBe(2);
});

test('a batch whose output operation throws is shown as one line under its output, and stepping goes on', async () => {
  // In a folder of the checkout, so that the program's import of 'dstreams' resolves (package self-reference).
  const file = path.join(ROOT, 'test-artifacts', 'step', 'failing.ts');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      "import { Seconds, SparkConf, StreamingContext } from 'dstreams';",
      "const ssc = new StreamingContext(new SparkConf().setMaster('local[2]').setAppName('failing'), Seconds(1));",
      'const numbers = ssc.queueStream([[1], [2]]);',
      'numbers.print();',
      'numbers.foreachRDD(async (rdd) => {',
      "  if ((await rdd.collect()).includes(1)) throw new Error('no ones\\nsecond line');",
      '});',
      'void ssc.start().then(() => ssc.awaitTermination().catch(() => undefined));',
      '',
    ].join('\n'),
  );
  const c = dstreams(['step', file, '--batches', '2']);
  const out = collect(c.stdout);
  expect(await exitCode(c)).toBe(0);
  const [first, second] = sections(out.text());
  expect(first).toMatch(/output:\n-{43}\nTime: 1000 ms\n-{43}\n1\n\nbatch failed: Error: no ones\n\n?$/);
  expect(second).toMatch(/output:\n-{43}\nTime: 2000 ms\n-{43}\n2\n\n$/);
});
