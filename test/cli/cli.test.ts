import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Milliseconds, SparkConf, StreamingContext } from '../../lib';
import { inspectCheckpointDir } from '../../lib/checkpoint/CheckpointDirReport';
import { RecordGenerator } from '../../lib/cli/RecordGenerator';
import { TestInputStream } from '../checkpoint/TestInputStream';
import { collect, connect, dstreams, exitCode } from './cliHelpers';

describe('dstreams command line', () => {
  test('--help on the program and on every command; usage errors exit 2', async () => {
    for (const args of [['--help'], ['run', '--help'], ['nc', '--help'], ['generate', '--help'], ['step', '--help'], ['inspect', '--help']]) {
      const c = dstreams(args);
      const out = collect(c.stdout);
      expect(await exitCode(c)).toBe(0);
      expect(out.text()).toMatch(/Usage: dstreams/);
    }
    const bad = dstreams(['generate', 'words', '--rate', '-5', '--port', '0']);
    const err = collect(bad.stderr);
    expect(await exitCode(bad)).toBe(2);
    expect(err.text()).toMatch(/--rate/);
  });

  test('nc -lk serves piped stdin lines to a client that connects later', async () => {
    const nc = dstreams(['nc', '-lk', '0']);
    const err = collect(nc.stderr);
    nc.stdin.end('hello world\nsecond line\n');
    const [, port] = await err.waitFor(/listening on 127\.0\.0\.1:(\d+)/);
    await err.waitFor(/end of input/);
    const client = await connect(Number(port));
    await client.received.waitFor(/second line\n/);
    expect(client.received.text()).toBe('hello world\nsecond line\n');
    client.socket.end();
    nc.kill('SIGINT');
    expect(await exitCode(nc)).toBe(0);
  });

  test('generate --count sends the seeded sequence at the given rate', async () => {
    const gen = dstreams(['generate', 'lines', '--rate', '2000', '--port', '0', '--count', '500', '--seed', '7']);
    const err = collect(gen.stderr);
    const [, port] = await err.waitFor(/on 127\.0\.0\.1:(\d+)/);
    const client = await connect(Number(port));
    await err.waitFor(/done: 500 records/);
    await client.received.waitFor(/(?:[^\n]*\n){500}/);
    const expected = new RecordGenerator('lines', 7).nextChunk(500);
    expect(client.received.text()).toBe(expected);
    gen.kill('SIGTERM');
    await exitCode(gen);
  });

  test('run passes arguments and the exit code through; a missing file exits 3 with a hint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-run-'));
    const prog = path.join(dir, 'prog.ts');
    fs.writeFileSync(prog, "const n: number = Number(process.argv[2]); console.log(`args ${process.argv.slice(2).join(',')}`); process.exit(n);\n");
    const c = dstreams(['run', prog, '5', 'x']);
    const out = collect(c.stdout);
    expect(await exitCode(c)).toBe(5);
    expect(out.text()).toBe('args 5,x\n');
    const missing = dstreams(['run', path.join(dir, 'nope.ts')]);
    const err = collect(missing.stderr);
    expect(await exitCode(missing)).toBe(3);
    expect(err.text()).toMatch(/no such file.*\n {2}hint:/);
  });

  test('inspect shows checkpoints, the graph and what a restart would re-run (text and --json)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-inspect-'));
    const ssc = new StreamingContext(new SparkConf(false).setMaster('local[2]').setAppName('inspected').set('spark.streaming.clock', 'manual'), Milliseconds(1000));
    ssc.checkpoint(dir);
    new TestInputStream(ssc, [[1], [2], [3]]).map((x) => x * 2).foreachRDD(() => undefined);
    ssc.start();
    await ssc.step(3);
    await ssc.stop();
    const report = inspectCheckpointDir(dir, 5500);
    expect(report.recoverFrom).toMatchObject({ file: 'checkpoint-3000', appName: 'inspected', batchDurationMs: 1000 });
    expect(report.restartWouldRunMs).toEqual([3000, 4000, 5000]);
    expect(report.streams.map((s) => s.className)).toEqual(['TestInputStream', 'MappedDStream', 'ForEachDStream']);
    const c = dstreams(['inspect', dir]);
    const out = collect(c.stdout);
    expect(await exitCode(c)).toBe(0);
    expect(out.text()).toMatch(/A restart recovers from checkpoint-3000 \(app inspected, batch 1000 ms/);
    expect(out.text()).toMatch(/\[1\] MappedDStream \(map\)/);
    const j = dstreams(['inspect', dir, '--json']);
    const jout = collect(j.stdout);
    expect(await exitCode(j)).toBe(0);
    expect(JSON.parse(jout.text()).checkpoints.length).toBe(6);
  });
});
