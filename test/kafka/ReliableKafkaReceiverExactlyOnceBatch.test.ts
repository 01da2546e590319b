/**
 * The reliable receiver-based Kafka stream, exactly-once into an idempotent sink across a real SIGKILL at each fault
 * point on the batch side (allocation, outputs, checkpoint writes): the same scenario as
 * ReliableKafkaReceiverExactlyOnce.test.ts (see reliableKafkaReceiverKit.runExactlyOnce), in its own suite so that the
 * two run in parallel.
 */
import type { FaultPointName } from '../../lib';
import { connectClients, type KafkaTestClients } from './kafkaStreamTestKit';
import { kafkaBootstrap } from './kafkaTestEnv';
import { killAll, removeRunDirs, runExactlyOnce } from './reliableKafkaReceiverKit';

let clients: KafkaTestClients;
let bootstrap: string;

beforeAll(async () => {
  bootstrap = kafkaBootstrap();
  clients = await connectClients(bootstrap);
});
afterEach(killAll);
afterAll(async () => {
  await clients?.close();
  removeRunDirs();
});

describe('ReliableKafkaReceiver: exactly-once across SIGKILL at the batch fault points', () => {
  test.each([
    ['tracker.after-allocate', 8],
    ['job.after-output', 8],
    ['checkpoint.mid-write', 8],
  ] as [FaultPointName, number][])('%s (hit %i): nothing lost, nothing counted twice', (point, hit) => runExactlyOnce(clients, bootstrap, point, hit), 60_000);
});
