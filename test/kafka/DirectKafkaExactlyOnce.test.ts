import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectClients, createTopic, type KafkaTestClients, produce } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

/**
 * Exactly-once output of the direct stream into an idempotent sink (files keyed by batch time) across a SIGKILL at
 * each fault point on the batch path, then a restart from the checkpoint: every record lands in exactly one batch
 * file, none is lost, none appears in two batches. The program is a real child process (fixtures/directKafkaApp.ts)
 * killed by `DSTREAMS_FAULT=<point>:2:kill` (the second time the point is reached).
 */
const root = path.join(__dirname, '..', '..');
const app = path.join(__dirname, 'fixtures', 'directKafkaApp.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runApp(args: string[], fault?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.DSTREAMS_FAULT;
    if (fault) env.DSTREAMS_FAULT = fault;
    const child = spawn(process.execPath, ['--import', 'tsx', app, ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A program that finished its batches must also exit: an open socket left behind would keep it alive.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the program did not exit within 60 s (a handle left open?): ${stderr.slice(-2000)}`));
    }, 60_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('DirectKafkaInputDStream exactly-once into an idempotent sink across SIGKILL (real broker, child processes)', () => {
  let bootstrap: string;
  let clients: KafkaTestClients;
  let topic: string;
  const expected: string[] = [];
  const tmp: string[] = [];

  beforeAll(async () => {
    bootstrap = kafkaBootstrap();
    clients = await connectClients(bootstrap);
    topic = uniqueName('exactly-once');
    await createTopic(clients.admin, topic, 2);
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    await produce(clients.producer, topic, values, (i) => i % 2);
    values.forEach((v, i) => expected.push(`${i % 2}:${Math.floor(i / 2)}:${v}`));
    expected.sort();
  });
  afterAll(async () => {
    for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
    await clients?.close();
  });

  it.each(['job.between-outputs', 'job.after-output', 'checkpoint.mid-write', 'checkpoint.after-write-before-clean'])(
    'SIGKILL at %s, then a restart: every record in exactly one batch',
    async (point) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-eo-'));
      tmp.push(dir);
      const cp = path.join(dir, 'checkpoint');
      const sink = path.join(dir, 'sink');
      fs.mkdirSync(sink);
      const args = [bootstrap, topic, cp, sink, '6'];

      const killed = await runApp(args, `${point}:2:kill`);
      expect({ signal: killed.signal, said: killed.stderr.includes(`fault point ${point} (hit 2): SIGKILL`) }).toEqual({ signal: 'SIGKILL', said: true });
      const restarted = await runApp(args);
      if (restarted.code !== 0) throw new Error(`the restarted program failed (${restarted.code}): ${restarted.stderr.slice(-3000)}`);

      const files = fs.readdirSync(sink).filter((f) => /^batch-\d+\.json$/.test(f));
      const perBatch = files.map((f) => JSON.parse(fs.readFileSync(path.join(sink, f), 'utf8')) as string[]);
      const all = perBatch.flat().sort();
      expect(all).toEqual(expected); // each record once: none lost, none in two batches
      // 5 records per partition per batch: 3 full batches, then empty ones.
      expect(perBatch.map((b) => b.length).sort((a, b) => b - a).slice(0, 4)).toEqual([10, 10, 10, 0]);
    },
    120_000,
  );
});
