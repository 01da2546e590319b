/**
 * A SIGKILLed reliable Kafka receiver restarts without waiting for its dead group member's session to time out
 * (child processes, the suite's real broker). The killed process's member stays in the group for
 * `session.timeout.ms` (45 s here, Kafka's default), and a new member's join waits for it: the restarted receiver
 * used to get no data for that long. It now removes the member its predecessor left (LeaveGroup on its behalf),
 * says so, and resumes — long before that session could have expired — with every record counted exactly once.
 * How long a restart takes is measured by `npm run bench -- kafka-receiver-restart`, not here.
 */
import { connectClients, createTopic, type KafkaTestClients } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkBatches, expectedCounts, killAll, latestState, produceLines, startProgram, totalCounted, waitUntil } from './reliableKafkaReceiverKit';

const TOTAL = 1200;
const SESSION_TIMEOUT_MS = 45_000;

let clients: KafkaTestClients;
let bootstrap: string;
const dirs: string[] = [];

beforeAll(async () => {
  bootstrap = kafkaBootstrap();
  clients = await connectClients(bootstrap);
});
afterEach(killAll);
afterAll(async () => {
  await clients?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('a restart after a SIGKILL removes the dead member and resumes before its session could time out', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-restart-'));
  dirs.push(dir);
  const topic = uniqueName('receiver-restart');
  const groupId = uniqueName('receiver-restart-group');
  await createTopic(clients.admin, topic, 2);
  await produceLines(clients.producer, topic, 0, TOTAL);
  const args = { bootstrap, topic, groupId, checkpointDir: path.join(dir, 'checkpoint'), outDir: path.join(dir, 'out'), mode: 'wal' as const, maxRate: 300 };
  fs.mkdirSync(args.outDir);
  const env = { DSTREAMS_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) };
  const expected = expectedCounts(TOTAL);
  const counted = (): number => Object.values(latestState(args.outDir) ?? {}).reduce((a, b) => a + b, 0);

  const first = startProgram(args, undefined, env);
  // Killed mid-stream: some records counted, not all.
  await waitUntil(() => counted() > 0, 30_000, () => `a first batch with records; stderr: ${first.stderr().slice(-2000)}`);
  first.child.kill('SIGKILL');
  expect((await first.exit).signal).toBe('SIGKILL');
  const killedAt = Date.now();
  const before = await clients.admin.describeGroups([groupId]);
  expect(before.groups[0].members).toHaveLength(1);
  const deadMember = before.groups[0].members[0].memberId;

  const second = startProgram(args, undefined, { ...env, DSTREAMS_LOG_LEVEL: 'info' });
  await waitUntil(
    () => JSON.stringify(latestState(args.outDir)) === JSON.stringify(expected),
    SESSION_TIMEOUT_MS,
    () => `the final state (now ${JSON.stringify(latestState(args.outDir))}); stderr: ${second.stderr().slice(-2000)}`,
  );
  // Resumed while the dead member's session was still alive: it was removed, not timed out.
  expect(Date.now() - killedAt).toBeLessThan(SESSION_TIMEOUT_MS);
  expect(second.stderr()).toContain(`"members":["${deadMember}"]`);
  expect(second.stderr()).toContain(`Removed 1 member(s) an earlier process of this receiver left in group '${groupId}'`);
  const after = await clients.admin.describeGroups([groupId]);
  expect(after.groups[0].members.map((m) => m.memberId)).not.toContain(deadMember);
  expect(after.groups[0].members).toHaveLength(1);
  // The member is named after the receiver (host, checkpoint folder, stream): the same client id as before.
  expect(after.groups[0].members[0].clientId).toBe(before.groups[0].members[0].clientId);
  expect(after.groups[0].members[0].clientId).toMatch(/^dstreams-rcv-[0-9a-f]{12}$/);

  second.child.kill('SIGTERM');
  await second.exit;
  checkBatches(args.outDir, expected);
  expect(totalCounted(args.outDir)).toBe(TOTAL);
}, 120_000);
