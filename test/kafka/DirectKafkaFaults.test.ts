import { JobFailedException, type StreamingContext } from '../../lib';
import {
  type ConsumerStrategy,
  ConsumerStrategies,
  type DirectKafkaInputDStream,
  IntegerDeserializer,
  KafkaBrokerUnreachableException,
  KafkaDeserializationException,
  KafkaUtils,
  LocationStrategies,
  NoOffsetForPartitionException,
  type OffsetRange,
  OffsetOutOfRangeException,
  offsetRangesOf,
  UnknownTopicException,
} from '../../receivers/kafka';
import { freePorts } from '../../scripts/kafka/freePorts';
import { createManualContext, stopAllContexts } from '../streaming/harness';
import { connectClients, createTopic, deleteRecordsBefore, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

/**
 * Bad input and faults of the direct stream on the shared broker, each a clear error naming the broker, topic,
 * partition or offset: brokers unreachable at start, missing and deleted topics, new partitions and topics,
 * offsets out of range under each `auto.offset.reset`, and a value that does not deserialize.
 */
describe('DirectKafkaInputDStream faults (real broker)', () => {
  let bootstrap: string;
  let clients: KafkaTestClients;

  beforeAll(async () => {
    bootstrap = kafkaBootstrap();
    clients = await connectClients(bootstrap);
  });
  afterEach(() => stopAllContexts());
  afterAll(() => clients?.close());

  /** A manual-clock context with a direct stream collecting each batch's ranges and values. */
  function streamOf<V = string>(strategy: ConsumerStrategy<string, V>, conf: Record<string, string | number | boolean> = {}) {
    const ssc = createManualContext({ conf });
    const stream = KafkaUtils.createDirectStream(ssc, LocationStrategies.PreferConsistent(), strategy);
    const batches: { ranges: [string, number, number][]; values: V[] }[] = [];
    stream.foreachRDD(async (rdd) => {
      const ranges = offsetRangesOf(rdd).map((r: OffsetRange) => [`${r.topic}-${r.partition}`, r.fromOffset, r.untilOffset] as [string, number, number]);
      batches.push({ ranges, values: (await rdd.collect()).map((r) => r.value) });
    });
    return { ssc, stream, batches };
  }

  /** The error the context reported (a failed job or batch generation), as `awaitTermination` gives it. */
  async function reportedError(ssc: StreamingContext): Promise<unknown> {
    return ssc.awaitTerminationOrTimeout(0).then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  async function waitUntilDeleted(topic: string): Promise<void> {
    await clients.admin.deleteTopics({ topics: [topic] });
    // Deletion is asynchronous on the broker: wait until metadata no longer lists it.
    for (let i = 0; i < 100 && (await clients.admin.listTopics()).includes(topic); i++) await new Promise((r) => setTimeout(r, 50));
    await clients.renew();
  }

  it('brokers unreachable at start: a clear error after the configured retries', async () => {
    const [port] = await freePorts(1);
    const { ssc } = streamOf(ConsumerStrategies.Subscribe(['t'], stringParams(`127.0.0.1:${port}`, { retries: 2, 'retry.backoff.ms': 20 })));
    const err = (await ssc.start().catch((e: unknown) => e)) as KafkaBrokerUnreachableException;
    expect(err).toBeInstanceOf(KafkaBrokerUnreachableException);
    expect(err.bootstrapServers).toEqual([`127.0.0.1:${port}`]);
    expect(err.attempts).toBe(3);
    expect(err.message).toMatch(new RegExp(`^Kafka brokers 127\\.0\\.0\\.1:${port} \\(bootstrap\\.servers\\) unreachable while connecting, after 3 attempt\\(s\\): .*ECONNREFUSED`));
    expect(ssc.getState()).toBe('STOPPED');
  });

  it('a subscribed topic that does not exist fails the start, naming it', async () => {
    const missing = uniqueName('missing');
    const { ssc } = streamOf(ConsumerStrategies.Subscribe([missing], stringParams(bootstrap)));
    const err = await ssc.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownTopicException);
    expect((err as Error).message).toBe(`Kafka topic '${missing}' does not exist on the Kafka cluster at ${bootstrap}`);
    // ... and it was not created by asking for it (allow.auto.create.topics defaults to false).
    expect(await clients.admin.listTopics()).not.toContain(missing);
  });

  it('an assigned partition that does not exist fails the start, naming it', async () => {
    const topic = uniqueName('assign-missing');
    await createTopic(clients.admin, topic, 2);
    const { ssc } = streamOf(ConsumerStrategies.Assign([{ topic, partition: 0 }, `${topic}-5`], stringParams(bootstrap)));
    const err = await ssc.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownTopicException);
    expect((err as Error).message).toBe(`Kafka topic '${topic}' does not have the assigned partition ${topic}-5 (${topic} has 2 partitions)`);
  });

  it('a subscribed topic deleted while the stream runs fails the batch, naming the topic', async () => {
    const topic = uniqueName('deleted');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, ['a', 'b']);
    const { ssc, batches } = streamOf(ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
    await ssc.start();
    await ssc.step();
    expect(batches[0].values).toEqual(['a', 'b']);
    await waitUntilDeleted(topic);
    await expect(ssc.step()).rejects.toBeInstanceOf(UnknownTopicException);
    const err = await reportedError(ssc);
    expect(err).toBeInstanceOf(UnknownTopicException);
    expect((err as UnknownTopicException).topics).toEqual([topic]);
    expect(batches).toHaveLength(1);
  });

  it('SubscribePattern: matching topics created later are read, a deleted one is dropped, others go on', async () => {
    const prefix = uniqueName('pat');
    const [a, b, c] = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    await createTopic(clients.admin, a, 1);
    await createTopic(clients.admin, b, 1);
    await createTopic(clients.admin, `x-${prefix}-a`, 1); // contains a match but is not one: the whole name must match
    await produce(clients.producer, a, ['a1']);
    await produce(clients.producer, b, ['b1']);
    const { ssc, batches } = streamOf(ConsumerStrategies.SubscribePattern(new RegExp(`${prefix}-.`), stringParams(bootstrap)));
    await ssc.start();
    await ssc.step();
    expect(batches[0].values.sort()).toEqual(['a1', 'b1']);
    await createTopic(clients.admin, c, 1);
    await produce(clients.producer, c, ['c1']);
    await waitUntilDeleted(b);
    await produce(clients.producer, a, ['a2']);
    await ssc.step();
    expect(batches[1].ranges).toEqual([[`${a}-0`, 1, 2], [`${c}-0`, 0, 1]]);
    expect(batches[1].values).toEqual(['a2', 'c1']);
    expect(await reportedError(ssc)).toBeUndefined();
  });

  it('Subscribe picks up partitions added to the topic (from the start, with earliest)', async () => {
    const topic = uniqueName('grow');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, ['p0-a']);
    const { ssc, batches } = streamOf(ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
    await ssc.start();
    await ssc.step();
    await clients.admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
    await clients.renew(); // the producer learns of the new partition
    await produce(clients.producer, topic, ['p1-a', 'p1-b'], () => 1);
    await ssc.step();
    expect(batches[1].ranges).toEqual([[`${topic}-0`, 1, 1], [`${topic}-1`, 0, 2]]);
    expect(batches[1].values).toEqual(['p1-a', 'p1-b']);
  });

  describe('offsets out of range and auto.offset.reset', () => {
    let topic: string;
    beforeAll(async () => {
      topic = uniqueName('range');
      await createTopic(clients.admin, topic, 1);
      await produce(clients.producer, topic, Array.from({ length: 10 }, (_, i) => `r${i}`));
    });
    const assignAt = (offset: number, reset: string) =>
      ConsumerStrategies.Assign([`${topic}-0`], stringParams(bootstrap, { 'auto.offset.reset': reset }), new Map([[`${topic}-0`, offset]]));

    it("'none': a starting offset past the end is OffsetOutOfRangeException naming partition and offset", async () => {
      const { ssc, stream } = streamOf(assignAt(1000, 'none'));
      const err = (await ssc.start().catch((e: unknown) => e)) as OffsetOutOfRangeException;
      expect(err).toBeInstanceOf(OffsetOutOfRangeException);
      expect(err).toMatchObject({ topic, partition: 0, offset: 1000, logStartOffset: 0, logEndOffset: 10 });
      expect(err.message).toBe(
        `Offsets out of range with no configured reset policy for partitions: {${topic}-0=1000} (the partition now holds offsets [0, 10)): ` +
          `${stream.name} would read from offset 1000 and auto.offset.reset is 'none'`,
      );
    });

    it("'earliest' and 'latest' move an out-of-range offset to the start or the end of the log", async () => {
      const early = streamOf(assignAt(1000, 'earliest'));
      await early.ssc.start();
      await early.ssc.step();
      expect(early.batches[0].ranges).toEqual([[`${topic}-0`, 0, 10]]);
      await stopAllContexts();
      const late = streamOf(assignAt(1000, 'latest'));
      await late.ssc.start();
      await late.ssc.step();
      expect(late.batches[0].ranges).toEqual([[`${topic}-0`, 10, 10]]);
    });

    it("no committed offset with 'none' is NoOffsetForPartitionException", async () => {
      const groupId = uniqueName('nocommit');
      const { ssc } = streamOf(ConsumerStrategies.Subscribe([topic], stringParams(bootstrap, { 'auto.offset.reset': 'none', 'group.id': groupId })));
      const err = await ssc.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NoOffsetForPartitionException);
      expect((err as Error).message).toBe(
        `Undefined offset with no reset policy for partitions: [${topic}-0] (group.id '${groupId}' has no committed offset and auto.offset.reset is 'none')`,
      );
    });
  });

  it('records deleted by retention while the stream lags: earliest resumes at the new log start', async () => {
    const topic = uniqueName('retention');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, Array.from({ length: 10 }, (_, i) => `r${i}`));
    // 2 records per batch (maxRatePerPartition 2 × 1 s).
    const { ssc, batches } = streamOf(ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)), { 'spark.streaming.kafka.maxRatePerPartition': 2 });
    await ssc.start();
    await ssc.step();
    expect(batches[0].ranges).toEqual([[`${topic}-0`, 0, 2]]);
    await deleteRecordsBefore(clients.admin, topic, 0, 6);
    await ssc.step();
    expect(batches[1].ranges).toEqual([[`${topic}-0`, 6, 8]]);
    expect(batches[1].values).toEqual(['r6', 'r7']);
  });

  it('a value that fails to deserialize fails the batch with an error naming topic, partition and offset', async () => {
    const topic = uniqueName('deser');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, [Buffer.from([0, 0, 0, 7]), Buffer.from('bad')]);
    const ssc = createManualContext();
    const stream: DirectKafkaInputDStream<string, number> = KafkaUtils.createDirectStream(
      ssc,
      LocationStrategies.PreferConsistent(),
      ConsumerStrategies.Subscribe<string, number>([topic], { ...stringParams(bootstrap), 'value.deserializer': IntegerDeserializer }),
    );
    stream.map((r) => r.value).foreachRDD(async (rdd) => void (await rdd.collect()));
    await ssc.start();
    await expect(ssc.step()).rejects.toBeInstanceOf(JobFailedException);
    const err = (await reportedError(ssc)) as JobFailedException;
    expect(err).toBeInstanceOf(JobFailedException);
    expect(err.cause).toBeInstanceOf(KafkaDeserializationException);
    expect(err.message).toContain(`Error deserializing value for partition ${topic}-0 at offset 1.`);
  });
});
