import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { type KafkaBroker, type KafkaBrokerInfo, startKafkaBroker } from '../../scripts/kafka/KafkaBroker';
import { KafkaBrokerError, KafkaBrokerStartError } from '../../scripts/kafka/KafkaBrokerError';
import { kafkaBootstrap, testKafka, uniqueName } from './kafkaTestEnv';

/**
 * The broker harness itself, on dedicated brokers (the shared one stays up for the other suites): a broker that goes
 * away (SIGKILL), comes back on the same ports with its data, stops cleanly; a parent killed with SIGKILL leaves no
 * JVM behind; the `scripts/kafka-broker` CLI; and clear errors for bad broker config.
 */
const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);

/** Bounded client retries: a dead broker must surface as an error after ~0.3 s, not after kafkajs' default ~30 s. */
const bounded = { connectionTimeout: 1000, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } };

/** `pid` is a live (non-zombie) process. */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls `cond` until true or `ms` pass; for waiting on ANOTHER process (a JVM shutting down), not on time itself. */
async function eventually(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe('a dedicated Kafka broker', () => {
  let broker: KafkaBroker | undefined;

  beforeAll(() => {
    kafkaBootstrap(); // fails this suite with globalSetup's reason when there is no JDK (outside CI)
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('goes away on SIGKILL (clients fail after bounded retries), restarts with its data, and stops cleanly', async () => {
    broker = await startKafkaBroker();
    const b = broker;
    expect(b.bootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(b.running).toBe(true);
    expect(b.rssBytes()).toBeGreaterThan(0);

    // Setup with kafkajs' default retries and an idempotent producer: on a loaded machine a plain producer's retry
    // can write a batch twice (seen here: 15 records for 10 sent).
    const topic = uniqueName('gone');
    const kafka = testKafka(b.bootstrap);
    const setup = kafka.admin();
    await setup.connect();
    await setup.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await setup.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `m${i}` })) });
    await producer.disconnect();
    const admin = testKafka(b.bootstrap, bounded).admin();
    await admin.connect();

    const pid = b.pid!;
    await b.kill('SIGKILL');
    expect(alive(pid)).toBe(false);
    expect(b.running).toBe(false);
    expect(await b.exited()).not.toBe(0);

    // A connected client and a new one both fail with kafkajs' retry error wrapping the refused connection.
    const refused = { name: 'KafkaJSNumberOfRetriesExceeded', message: expect.stringContaining(`ECONNREFUSED ${b.bootstrap}`) };
    await expect(admin.fetchTopicOffsets(topic)).rejects.toMatchObject(refused);
    const fresh = testKafka(b.bootstrap, bounded).admin();
    await expect(fresh.connect()).rejects.toMatchObject(refused);
    await admin.disconnect();

    // Same ports, same data: the 10 records are still there after the crash.
    await b.restart();
    expect(b.running).toBe(true);
    const again = testKafka(b.bootstrap).admin();
    await again.connect();
    const offsets = await again.fetchTopicOffsets(topic);
    expect(offsets.map((o) => Number(o.high)).reduce((x, y) => x + y, 0)).toBe(10);
    await again.disconnect();

    const pid2 = b.pid!;
    await b.stop();
    expect(alive(pid2)).toBe(false);
    expect(fs.existsSync(b.dir)).toBe(false);
    await b.stop(); // idempotent
    await expect(b.restart()).rejects.toThrow(KafkaBrokerError);
  });

  it('does not outlive its parent: SIGKILL of the Node process stops the JVM and removes its folder', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'startBrokerChild.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const info = await new Promise<KafkaBrokerInfo>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as KafkaBrokerInfo);
      });
      child.once('exit', (code) => reject(new Error(`broker child exited with ${code}: ${stderr}`)));
    });
    expect(alive(info.pid)).toBe(true);
    expect(fs.existsSync(info.dir)).toBe(true);

    child.kill('SIGKILL');
    expect(await eventually(() => !alive(info.pid) && !fs.existsSync(info.dir), 30_000)).toBe(true);
  });

  it('is driven by the scripts/kafka-broker CLI: start --detach, status, stop', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-cli-'));
    const state = path.join(tmp, 'state.json');
    const cli = path.join(root, 'scripts', 'kafka-broker');
    try {
      const started = await run(cli, ['start', '--detach', '--state', state]);
      const info = JSON.parse(started.stdout) as KafkaBrokerInfo;
      expect(info.bootstrap).toBe(`127.0.0.1:${info.brokerPort}`);
      expect(JSON.parse(fs.readFileSync(state, 'utf8'))).toEqual(info);
      expect(JSON.parse((await run(cli, ['status', '--state', state])).stdout)).toEqual(info);

      const admin = testKafka(info.bootstrap, bounded).admin();
      await admin.connect();
      expect((await admin.describeCluster()).brokers).toHaveLength(1);
      await admin.disconnect();

      const stopped = await run(cli, ['stop', '--state', state]);
      expect(stopped.stderr).toContain(`Kafka broker ${info.bootstrap} (pid ${info.pid}) stopped`);
      expect(alive(info.pid)).toBe(false);
      expect(fs.existsSync(info.dir)).toBe(false);
      expect(fs.existsSync(state)).toBe(false);
      await expect(run(cli, ['status', '--state', state])).rejects.toMatchObject({ code: 1 });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('CLI: bad arguments are clear errors', async () => {
    const cli = path.join(root, 'scripts', 'kafka-broker');
    await expect(run(cli, ['start', '--override', 'nonsense'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--override 'nonsense': expected key=value"),
    });
    await expect(run(cli, ['launch'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("unknown command 'launch'") });
  });

  it('bad broker config fails the start with the broker\'s own reason', async () => {
    const failure = startKafkaBroker({ overrides: { 'log.retention.ms': 'soon' } });
    await expect(failure).rejects.toThrow(KafkaBrokerStartError);
    await expect(failure).rejects.toMatchObject({
      step: 'format',
      message: expect.stringContaining('Invalid value soon for configuration log.retention.ms'),
    });
  });
});
