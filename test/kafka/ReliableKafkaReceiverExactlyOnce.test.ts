/**
 * The reliable receiver-based Kafka stream, exactly-once into an idempotent sink across a real SIGKILL at each fault
 * point on the receiving side (child processes, the suite's real broker): a stateful word count
 * (fixtures/kafkaReceiverWordCount.ts, receiver WAL on, checkpointed) is killed at the point, restarted from its
 * checkpoint folder, and run until the topic is consumed. Its final state equals the topic's word counts, the
 * per-batch record counts add up to the number of records (none counted twice), no batch's state ever goes down,
 * and the group's committed offsets reach the end of each partition.
 * The batch-side points are in ReliableKafkaReceiverExactlyOnceBatch.test.ts (suites run in parallel).
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

describe('ReliableKafkaReceiver: exactly-once across SIGKILL at the receiving fault points', () => {
  test('without a fault the state equals the topic\'s word counts', () => runExactlyOnce(clients, bootstrap, undefined, 0), 60_000);

  test.each([
    ['wal.after-append', 20],
    ['block.after-store-before-ack', 4],
  ] as [FaultPointName, number][])('%s (hit %i): nothing lost, nothing counted twice', (point, hit) => runExactlyOnce(clients, bootstrap, point, hit), 60_000);
});
