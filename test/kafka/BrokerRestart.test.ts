import type { StreamingContext } from '../../lib';
import { type KafkaBroker, startKafkaBroker } from '../../scripts/kafka/KafkaBroker';
import { ConsumerStrategies, KafkaUtils, LocationStrategies, OffsetRange, offsetRangesOf } from '../../receivers/kafka';
import { createManualContext, stopAllContexts } from '../streaming/harness';
import { connectClients, createTopic, deferred, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

/**
 * The direct stream across a broker crash and restart, on a DEDICATED broker (the shared one stays up for the
 * other suites): the batch planned while the broker is down reads nothing (a warning, not a failure), and once it is
 * back the stream resumes from the same offsets; every record is read exactly once and commits continue.
 */
/** The error the context reported (a failed job or batch generation), or undefined. */
async function reportedError(ssc: StreamingContext): Promise<unknown> {
  return ssc.awaitTerminationOrTimeout(0).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('DirectKafkaInputDStream across a broker restart (dedicated broker)', () => {
  let broker: KafkaBroker | undefined;
  let clients: KafkaTestClients | undefined;

  beforeAll(async () => {
    kafkaBootstrap(); // fails the suite with globalSetup's reason when there is no JDK (outside CI)
    broker = await startKafkaBroker();
  }, 120_000);
  afterEach(() => stopAllContexts());
  afterAll(async () => {
    await clients?.close().catch(() => undefined);
    await broker?.stop();
  });

  it('resumes after SIGKILL + restart: nothing lost, nothing read twice', async () => {
    const b = broker!;
    clients = await connectClients(b.bootstrap);
    const topic = uniqueName('restart');
    const groupId = uniqueName('restart-group');
    await createTopic(clients.admin, topic, 2);
    await produce(clients.producer, topic, Array.from({ length: 10 }, (_, i) => `a${i}`), (i) => i % 2);

    const ssc = createManualContext();
    const stream = KafkaUtils.createDirectStream<string, string>(
      ssc,
      LocationStrategies.PreferConsistent(),
      // Bounded retries: the batch planned during the outage gives up within ~3 s (enough for a fresh broker's group
      // coordinator and leaders on a loaded machine, far less than a broker restart).
      ConsumerStrategies.Subscribe([topic], stringParams(b.bootstrap, { 'group.id': groupId, retries: 6, 'retry.backoff.ms': 100, 'retry.backoff.max.ms': 500, 'socket.connection.setup.timeout.ms': 1000 })),
    );
    const batches: { counts: number[]; values: string[] }[] = [];
    let committed = deferred<Error | undefined>();
    stream.foreachRDD(async (rdd) => {
      const ranges = offsetRangesOf(rdd);
      batches.push({ counts: ranges.map((r) => r.count()), values: (await rdd.map((r) => r.value).collect()).sort() });
      const done = committed;
      stream.commitAsync(ranges, (_offsets, e) => done.resolve(e));
    });
    await ssc.start();
    await ssc.step();
    expect(await reportedError(ssc)).toBeUndefined();
    expect(await committed.promise).toBeUndefined();
    expect(batches[0].values).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`).sort());

    await b.kill('SIGKILL');
    committed = deferred();
    await ssc.step(); // planned while the broker is down: an empty batch, no error
    expect(await reportedError(ssc)).toBeUndefined();
    expect(batches[1]).toEqual({ counts: [0, 0], values: [] });

    await b.restart();
    await clients.renew();
    await produce(clients.producer, topic, Array.from({ length: 6 }, (_, i) => `b${i}`), (i) => i % 2);
    committed = deferred();
    await ssc.step();
    expect(await reportedError(ssc)).toBeUndefined();
    expect(await committed.promise).toBeUndefined();
    expect(batches[2]).toEqual({ counts: [3, 3], values: Array.from({ length: 6 }, (_, i) => `b${i}`).sort() });
    const offsets = await clients.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets[0].partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([[0, '8'], [1, '8']]);
  });

  it('a KafkaRDD read that starts while the broker is down completes once it is back (fetch retries)', async () => {
    const b = broker!;
    clients ??= await connectClients(b.bootstrap);
    const topic = uniqueName('restart-rdd');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, Array.from({ length: 50 }, (_, i) => `r${i}`));
    const ssc = createManualContext();
    // Retries spanning ~15 s: longer than a broker restart.
    const params = stringParams(b.bootstrap, { retries: 30, 'retry.backoff.ms': 100, 'retry.backoff.max.ms': 500, 'socket.connection.setup.timeout.ms': 1000 });
    await b.kill('SIGKILL');
    const reading = KafkaUtils.createRDD<string, string>(ssc.sparkContext, params, [OffsetRange.create(topic, 0, 10, 40)]).collect();
    await b.restart();
    expect((await reading).map((r) => r.value)).toEqual(Array.from({ length: 30 }, (_, i) => `r${10 + i}`));
  });
});
