/**
 * The commands from the user's folder (`npm install <tarball>`, nothing else): `npx dstreams nc` serves a real TCP
 * client; `npx dstreams run` runs TypeScript programs that import 'dstreams' (a CommonJS `.ts` and an ESM `.mts`
 * with top-level await) against a real socket; `npx dstreams step` steps a packaged example; `npx dstreams inspect`
 * reads the checkpoint folder a program wrote.
 */
import { connect } from '../cli/cliHelpers';
import { cleanUp, hasBatch, lineServer, waitFor, waitForClient } from '../examples/exampleKit';
import { npxDstreams, writeUserFile } from './installedApp';

afterEach(cleanUp);

test('npx dstreams nc -lk serves piped lines to a real client', async () => {
  const nc = npxDstreams(['nc', '-lk', '0']);
  nc.child.stdin.end('hello from nc\nsecond line\n');
  await waitFor(nc, 'the listening line', () => /listening on 127\.0\.0\.1:\d+/.test(nc.stderr()));
  const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(nc.stderr())![1]);
  const client = await connect(port);
  await client.received.waitFor(/second line\n/);
  expect(client.received.text()).toBe('hello from nc\nsecond line\n');
  client.socket.end();
});

const WORD_COUNT_TS = `import { Seconds, SparkConf, StreamingContext } from 'dstreams';

async function main(host: string, port: number): Promise<void> {
  const ssc = new StreamingContext(new SparkConf().setMaster('local[2]').setAppName('UserWordCount'), Seconds(1));
  const counts = ssc
    .socketTextStream(host, port)
    .flatMap((line: string) => line.split(' '))
    .map((w: string) => [w, 1] as [string, number])
    .reduceByKey((a: number, b: number) => a + b);
  counts.print();
  await ssc.start();
  await ssc.awaitTermination();
}

void main(process.argv[2], Number(process.argv[3]));
`;

test('npx dstreams run prog.ts (CommonJS TypeScript importing dstreams) counts words from a real socket', async () => {
  writeUserFile('wordcount.ts', WORD_COUNT_TS);
  const { port, server, send } = await lineServer();
  const run = npxDstreams(['run', 'wordcount.ts', '127.0.0.1', String(port)], { env: { DSTREAMS_BATCH_MS: '200' } });
  await waitForClient(run, server);
  send('to be or not to be');
  await waitFor(run, 'the counted batch', () => hasBatch(run.stdout(), ['(to,2)', '(be,2)', '(or,1)', '(not,1)']));
  expect(run.stderr()).toBe('');
});

const PPRINT_MTS = `import { Milliseconds, SparkConf, StreamingContext } from 'dstreams';

const [host, port] = [process.argv[2], Number(process.argv[3])];
const ssc = new StreamingContext(new SparkConf().setMaster('local[2]').setAppName('UserEsm'), Milliseconds(200));
const seen: string[] = [];
ssc.socketTextStream(host, port).foreachRDD(async (rdd) => {
  seen.push(...(await rdd.collect()));
});
ssc.socketTextStream(host, port).map((l: string) => l.toUpperCase()).pprint();
await ssc.start();
while (!seen.includes('done')) await new Promise((r) => setTimeout(r, 50));
await ssc.stop();
console.log(\`stopped after \${seen.join(',')}\`);
`;

test('npx dstreams run prog.mts (ESM, top-level await) prints pprint batches and exits 0 by itself', async () => {
  writeUserFile('esm.mts', PPRINT_MTS);
  const { port, server, send } = await lineServer();
  const run = npxDstreams(['run', 'esm.mts', '127.0.0.1', String(port)]);
  await waitForClient(run, server, 2);
  send('hello esm');
  await waitFor(run, 'the pprint batch', () => /^Time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\n-+\nHELLO ESM\n/m.test(run.stdout()));
  send('done');
  expect(await run.exited()).toBe(0);
  expect(run.stdout()).toMatch(/^stopped after hello esm,done\n$/m);
});

test('npx dstreams step runs the packaged example batch by batch', async () => {
  const { port, send } = await lineServer();
  send('hello world hello');
  const step = npxDstreams(['step', 'examples/NetworkWordCount.ts', 'localhost', String(port), '--batches', '2']);
  expect(await step.exited()).toBe(0);
  const out = step.stdout();
  expect(out).toMatch(/^The DStream graph: 1 input stream\(s\), 1 output operation\(s\)\n/);
  expect(out).toMatch(/=== batch 1 at 1000 ms ===\ninput:\n {2}\[0\] SocketInputDStream\[0\] socketTextStream: 1 record\(s\) in 1 block\(s\)/);
  expect(hasBatch(out, ['(hello,2)', '(world,1)'])).toBe(true);
  expect(out).toMatch(/=== batch 2 at 2000 ms ===/);
});

const CHECKPOINTED_MTS = `import { Milliseconds, SparkConf, StreamingContext } from 'dstreams';

const ssc = new StreamingContext(
  new SparkConf().setMaster('local[2]').setAppName('checkpointed').set('spark.streaming.clock', 'manual'),
  Milliseconds(1000),
);
ssc.checkpoint('cp');
const sc = ssc.sparkContext;
ssc.queueStream([sc.parallelize([1]), sc.parallelize([2]), sc.parallelize([3])]).map((x: number) => x * 2).print();
await ssc.start();
await ssc.step(3);
await ssc.stop();
`;

test('npx dstreams inspect reads the checkpoint folder a program in the user folder wrote', async () => {
  writeUserFile('checkpointed.mts', CHECKPOINTED_MTS);
  const run = npxDstreams(['run', 'checkpointed.mts']);
  expect(await run.exited()).toBe(0);
  expect(run.stdout()).toMatch(/^Time: 3000 ms\n-+\n6\n/m);
  const inspect = npxDstreams(['inspect', 'cp']);
  expect(await inspect.exited()).toBe(0);
  expect(inspect.stdout()).toMatch(/^Checkpoint folder .*cp\n/);
  expect(inspect.stdout()).toMatch(/A restart recovers from checkpoint-3000 \(app checkpointed, batch 1000 ms/);
  expect(inspect.stdout()).toMatch(/\[1\] MappedDStream \(map\)/);
});
