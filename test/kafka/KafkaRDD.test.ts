import { CompressionTypes } from 'kafkajs';
import { IllegalArgumentException, JobFailedException, SparkConf, SparkContext } from '../../lib';
import {
  type ConsumerRecord,
  IntegerDeserializer,
  KafkaDeserializationException,
  KafkaFetchException,
  KafkaRDD,
  KafkaUtils,
  LocationStrategies,
  OffsetOutOfRangeException,
  OffsetRange,
  offsetRangesOf,
} from '../../receivers/kafka';
import { connectClients, createTopic, deleteRecordsBefore, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

/**
 * KafkaRDD and `KafkaUtils.createRDD` on a real broker: exactly `[fromOffset, untilOffset)` of each partition, across
 * many fetches and inside compressed batches; count/isEmpty/take without reading more than needed; and the errors
 * that name topic, partition and offset.
 */
describe('KafkaRDD / KafkaUtils.createRDD (real broker)', () => {
  let bootstrap: string;
  let clients: KafkaTestClients;
  let sc: SparkContext;
  let topic: string;

  beforeAll(async () => {
    bootstrap = kafkaBootstrap();
    clients = await connectClients(bootstrap);
    sc = new SparkContext(new SparkConf(false).setMaster('local[2]').setAppName('kafka-rdd-test'));
    topic = uniqueName('rdd');
    await createTopic(clients.admin, topic, 2);
    // 200 records per partition: value `p<partition>-<offset>`.
    await produce(clients.producer, topic, Array.from({ length: 400 }, (_, i) => `p${i % 2}-${Math.floor(i / 2)}`), (i) => i % 2);
  });
  afterAll(async () => {
    sc?.stop();
    await clients?.close();
  });

  const values = (records: ConsumerRecord<string, string>[]): string[] => records.map((r) => r.value);
  const seq = (p: number, from: number, until: number): string[] => Array.from({ length: until - from }, (_, k) => `p${p}-${from + k}`);

  it('reads exactly the given ranges, one partition per range, across many small fetches', async () => {
    const ranges = [OffsetRange.create(topic, 0, 37, 151), OffsetRange.create(topic, 1, 0, 200), OffsetRange.create(topic, 1, 199, 200), OffsetRange.create(topic, 0, 5, 5)];
    // ~300 bytes per fetch: each partition takes many fetch round trips, each response filtered to the range.
    const rdd = KafkaUtils.createRDD<string, string>(sc, stringParams(bootstrap, { 'max.partition.fetch.bytes': 300 }), ranges);
    expect(rdd).toBeInstanceOf(KafkaRDD);
    expect(rdd.getNumPartitions()).toBe(4);
    expect(offsetRangesOf(rdd)).toEqual(ranges);
    const parts = await rdd.glom().collect();
    expect(parts.map((p) => values(p))).toEqual([seq(0, 37, 151), seq(1, 0, 200), seq(1, 199, 200), []]);
    expect(parts[0].map((r) => r.offset)).toEqual(Array.from({ length: 114 }, (_, k) => 37 + k));
    expect(parts[0].every((r) => r.topic === topic && r.partition === 0)).toBe(true);
  });

  it('drops the records of a compressed batch that lie before fromOffset or from untilOffset on', async () => {
    const t = uniqueName('rdd-gzip');
    await createTopic(clients.admin, t, 1);
    await clients.producer.send({ topic: t, acks: -1, compression: CompressionTypes.GZIP, messages: Array.from({ length: 20 }, (_, i) => ({ value: `g${i}`, partition: 0 })) });
    const rdd = KafkaUtils.createRDD<string, string>(sc, stringParams(bootstrap), [OffsetRange.create(t, 0, 5, 12)]);
    expect((await rdd.collect()).map((r) => [r.offset, r.value])).toEqual(Array.from({ length: 7 }, (_, k) => [5 + k, `g${5 + k}`]));
  });

  it('count and isEmpty are the range sizes, without reading; take reads only what it returns', async () => {
    // An address nothing listens on: any read would fail.
    const nowhere = stringParams('127.0.0.1:9', { retries: 0 });
    const rdd = KafkaUtils.createRDD<string, string>(sc, nowhere, [OffsetRange.create(topic, 0, 0, 10), OffsetRange.create(topic, 1, 3, 3)]);
    expect(await rdd.count()).toBe(10);
    expect(await rdd.isEmpty()).toBe(false);
    expect(await KafkaUtils.createRDD(sc, nowhere, [OffsetRange.create(topic, 0, 4, 4)]).isEmpty()).toBe(true);
    expect(await KafkaUtils.createRDD(sc, nowhere, []).count()).toBe(0);

    // take(3) needs only offsets [0, 3) of the first range; the second range is past the end of the log.
    const taking = KafkaUtils.createRDD<string, string>(sc, stringParams(bootstrap), [OffsetRange.create(topic, 0, 0, 50), OffsetRange.create(topic, 1, 500, 600)]);
    expect(values(await taking.take(3))).toEqual(seq(0, 0, 3));
    expect(values(await taking.take(0))).toEqual([]);
  });

  it("rejects PreferBrokers (Spark's message) and a range that ends before it begins", async () => {
    expect(() => KafkaUtils.createRDD(sc, stringParams(bootstrap), [], LocationStrategies.PreferBrokers())).toThrow(
      new IllegalArgumentException('If you want to prefer brokers, you must provide a mapping using PreferFixed A single KafkaRDD does not have a driver consumer and cannot look up brokers for you.'),
    );
    const backwards = KafkaUtils.createRDD(sc, stringParams(bootstrap), [OffsetRange.create(topic, 0, 10, 5)]);
    const err = (await backwards.collect().catch((e: unknown) => e)) as JobFailedException;
    expect(err).toBeInstanceOf(JobFailedException);
    expect(err.cause).toBeInstanceOf(IllegalArgumentException);
    expect((err.cause as Error).message).toBe(
      `requirement failed: Beginning offset 10 is after the ending offset 5 for topic ${topic} partition 0. You either provided an invalid fromOffset, or the Kafka topic has been damaged`,
    );
  });

  it('a range past the end of the log fails, naming the partition, the offset and the log end', async () => {
    const rdd = KafkaUtils.createRDD(sc, stringParams(bootstrap), [OffsetRange.create(topic, 1, 190, 260)]);
    const err = (await rdd.collect().catch((e: unknown) => e)) as JobFailedException;
    expect(err.cause).toBeInstanceOf(KafkaFetchException);
    expect(err.cause).toMatchObject({ topic, partition: 1, offset: 200 });
    expect((err.cause as Error).message).toContain(`Records [200, 260) of ${topic}-1 are not in the log: it ends at offset 200`);
  });

  it('records deleted from the log (retention) are OffsetOutOfRangeException with the partition\'s current bounds', async () => {
    const t = uniqueName('rdd-deleted');
    await createTopic(clients.admin, t, 1);
    await produce(clients.producer, t, Array.from({ length: 10 }, (_, i) => `d${i}`));
    await deleteRecordsBefore(clients.admin, t, 0, 6);
    const rdd = KafkaUtils.createRDD(sc, stringParams(bootstrap), [OffsetRange.create(t, 0, 2, 8)]);
    const err = (await rdd.collect().catch((e: unknown) => e)) as JobFailedException;
    expect(err.cause).toBeInstanceOf(OffsetOutOfRangeException);
    expect(err.cause).toMatchObject({ topic: t, partition: 0, offset: 2, logStartOffset: 6, logEndOffset: 10 });
    expect((err.cause as Error).message).toBe(
      `Offsets out of range with no configured reset policy for partitions: {${t}-0=2} (the partition now holds offsets [6, 10)): reading OffsetRange(topic: '${t}', partition: 0, range: [2 -> 8])`,
    );
    // What is still there reads fine.
    expect(values(await KafkaUtils.createRDD<string, string>(sc, stringParams(bootstrap), [OffsetRange.create(t, 0, 6, 10)]).collect())).toEqual(['d6', 'd7', 'd8', 'd9']);
  });

  it('a value that fails to deserialize names topic, partition and offset', async () => {
    const t = uniqueName('rdd-deser');
    await createTopic(clients.admin, t, 1);
    await produce(clients.producer, t, [Buffer.from([0, 0, 0, 1]), Buffer.from([0, 0, 0, 2]), Buffer.from('bad'), Buffer.from([0, 0, 0, 4])]);
    const params = stringParams(bootstrap, { 'value.deserializer': IntegerDeserializer });
    const ok = await KafkaUtils.createRDD<string, number>(sc, params, [OffsetRange.create(t, 0, 0, 2)]).collect();
    expect(ok.map((r) => r.value)).toEqual([1, 2]);
    const err = (await KafkaUtils.createRDD<string, number>(sc, params, [OffsetRange.create(t, 0, 0, 4)]).collect().catch((e: unknown) => e)) as JobFailedException;
    expect(err.cause).toBeInstanceOf(KafkaDeserializationException);
    expect(err.cause).toMatchObject({ topic: t, partition: 0, offset: 2, part: 'value' });
    expect((err.cause as Error).message).toBe(
      `Error deserializing value for partition ${t}-0 at offset 2. If needed, please seek past the record to continue consumption. Cause: Size of data received by IntegerDeserializer is not 4`,
    );
    // A function deserializer that throws is reported the same way.
    const json = stringParams(bootstrap, { 'value.deserializer': (b: Buffer | null) => JSON.parse(String(b)) });
    const err2 = (await KafkaUtils.createRDD(sc, json, [OffsetRange.create(t, 0, 1, 3)]).collect().catch((e: unknown) => e)) as JobFailedException;
    expect(err2.cause).toMatchObject({ name: 'KafkaDeserializationException', part: 'value', offset: 1 });
    expect((err2.cause as Error).message).toContain('Cause: Unexpected token');
  });
});
