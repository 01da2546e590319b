import { type DStream, Milliseconds, Seconds, type StreamingContext, type Time } from '../../lib';
import {
  ConsumerStrategies,
  type ConsumerRecord,
  type DirectKafkaInputDStream,
  KafkaUtils,
  LocationStrategies,
  type OffsetRange,
  offsetRangesOf,
} from '../../receivers/kafka';
import { createManualContext, stopAllContexts } from '../streaming/harness';
import { connectClients, createTopic, deferred, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

/**
 * The direct stream on a real broker, batch by batch on the manual clock (Spark's DirectKafkaStreamSuite): word
 * counts, per-partition rate limits, commits visible to a separate admin client, and a restart that resumes from
 * the committed offsets.
 */
describe('DirectKafkaInputDStream (real broker, manual clock)', () => {
  let bootstrap: string;
  let clients: KafkaTestClients;

  beforeAll(async () => {
    bootstrap = kafkaBootstrap();
    clients = await connectClients(bootstrap);
  });
  afterEach(() => stopAllContexts());
  afterAll(() => clients?.close());

  /** Collects, per batch, the batch time, the offset ranges and the values (partition by partition). */
  function collect<K, V>(stream: DStream<ConsumerRecord<K, V>>): { time: Time; ranges: readonly OffsetRange[]; values: V[] }[] {
    const out: { time: Time; ranges: readonly OffsetRange[]; values: V[] }[] = [];
    stream.foreachRDD(async (rdd, time) => {
      const ranges = offsetRangesOf(rdd);
      const records = await rdd.collect();
      out.push({ time, ranges, values: records.map((r) => r.value) });
    });
    return out;
  }

  it('counts words batch by batch, one RDD partition per Kafka partition', async () => {
    const topic = uniqueName('wordcount');
    await createTopic(clients.admin, topic, 2);
    await produce(clients.producer, topic, ['a b', 'b c', 'c c'], (i) => i % 2);

    const ssc = createManualContext();
    const stream = KafkaUtils.createDirectStream<string, string>(
      ssc,
      LocationStrategies.PreferConsistent(),
      ConsumerStrategies.Subscribe([topic], stringParams(bootstrap, { 'group.id': uniqueName('wc') })),
    );
    expect(stream.name).toBe(`Kafka 0.10 direct stream [${stream.id}]`);
    const counts: [string, number][][] = [];
    const partitions: number[] = [];
    stream.foreachRDD((rdd) => void partitions.push(rdd.getNumPartitions()));
    stream
      .flatMap((r) => r.value.split(' '))
      .map((w) => [w, 1] as [string, number])
      .reduceByKey((a, b) => a + b)
      .foreachRDD(async (rdd) => void counts.push((await rdd.collect()).sort()));
    await ssc.start();

    await ssc.step();
    expect(counts[0]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    await produce(clients.producer, topic, ['d a', 'd'], (i) => i % 2);
    await ssc.step();
    expect(counts[1]).toEqual([['a', 1], ['d', 2]]);
    await ssc.step();
    expect(counts[2]).toEqual([]);
    expect(partitions).toEqual([2, 2, 2]);
    await ssc.awaitTerminationOrTimeout(0);
  });

  it('reads exactly the planned ranges, records with topic, partition, offset, key, value, timestamp and headers', async () => {
    const topic = uniqueName('records');
    await createTopic(clients.admin, topic, 2);
    await produce(clients.producer, topic, ['v0', 'v1', 'v2', 'v3'], (i) => i % 2, (i) => ({ key: `k${i}`, headers: { n: String(i) }, timestamp: String(1_700_000_000_000 + i) }));
    const ssc = createManualContext();
    const stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
    const records: ConsumerRecord<string, string>[][] = [];
    const ranges: string[][] = [];
    stream.foreachRDD(async (rdd) => {
      ranges.push(offsetRangesOf(rdd).map(String));
      records.push(await rdd.collect());
    });
    await ssc.start();
    await ssc.step();
    expect(ranges[0]).toEqual([`OffsetRange(topic: '${topic}', partition: 0, range: [0 -> 2])`, `OffsetRange(topic: '${topic}', partition: 1, range: [0 -> 2])`]);
    expect(records[0].map((r) => [r.topic, r.partition, r.offset, r.key, r.value, r.timestamp, r.headers.n?.toString()])).toEqual([
      [topic, 0, 0, 'k0', 'v0', 1_700_000_000_000, '0'],
      [topic, 0, 1, 'k2', 'v2', 1_700_000_000_002, '2'],
      [topic, 1, 0, 'k1', 'v1', 1_700_000_000_001, '1'],
      [topic, 1, 1, 'k3', 'v3', 1_700_000_000_003, '3'],
    ]);
    expect(records[0][0].timestampType).toBe('CreateTime');
    expect(records[0][0].serializedValueSize).toBe(2);
    expect(String(records[0][0])).toContain(`ConsumerRecord(topic = ${topic}, partition = 0, leaderEpoch = null, offset = 0, CreateTime = 1700000000000`);
    // The input info carries the ranges and Spark's description lines.
    await ssc.step();
    expect(ranges[1]).toEqual([`OffsetRange(topic: '${topic}', partition: 0, range: [2 -> 2])`, `OffsetRange(topic: '${topic}', partition: 1, range: [2 -> 2])`]);
  });

  it('reports each batch\'s record count and offset ranges as its input info', async () => {
    const topic = uniqueName('inputinfo');
    await createTopic(clients.admin, topic, 2);
    await produce(clients.producer, topic, ['x', 'y', 'z'], (i) => (i === 0 ? 1 : 0));
    const ssc = createManualContext();
    const stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
    stream.foreachRDD(() => undefined);
    const infos: { numRecords: number; description: unknown }[] = [];
    ssc.addStreamingListener({
      onBatchCompleted: (e) => {
        const info = e.batchInfo.streamIdToInputInfo.get(stream.id)!;
        infos.push({ numRecords: info.numRecords, description: info.metadata.Description });
      },
    });
    await ssc.start();
    await ssc.step();
    expect(infos).toEqual([
      { numRecords: 3, description: `topic: ${topic}\tpartition: 0\toffsets: 0 to 2\tcount: 2\ntopic: ${topic}\tpartition: 1\toffsets: 0 to 1\tcount: 1` },
    ]);
  });

  it('limits each partition to maxRatePerPartition x batch seconds', async () => {
    const topic = uniqueName('ratelimit');
    await createTopic(clients.admin, topic, 2);
    // 25 records to partition 0, 5 to partition 1.
    await produce(clients.producer, topic, Array.from({ length: 30 }, (_, i) => `m${i}`), (i) => (i < 25 ? 0 : 1));
    const ssc = createManualContext({ batchDuration: Milliseconds(500), conf: { 'spark.streaming.kafka.maxRatePerPartition': 20 } });
    const stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
    const batches = collect(stream);
    await ssc.start();
    await ssc.step(4);
    // 20 records/s × 0.5 s = 10 per partition per batch.
    expect(batches.map((b) => b.ranges.map((r) => [r.partition, r.fromOffset, r.untilOffset]))).toEqual([
      [[0, 0, 10], [1, 0, 5]],
      [[0, 10, 20], [1, 5, 5]],
      [[0, 20, 25], [1, 5, 5]],
      [[0, 25, 25], [1, 5, 5]],
    ]);
    expect(batches.map((b) => b.values.length)).toEqual([15, 10, 5, 0]);
    expect(batches.flatMap((b) => b.values).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
  });

  it('backpressure: the first batch reads at spark.streaming.backpressure.initialRate', async () => {
    const topic = uniqueName('initialrate');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, Array.from({ length: 100 }, (_, i) => `m${i}`));
    const ssc = createManualContext({
      batchDuration: Seconds(1),
      conf: { 'spark.streaming.backpressure.enabled': true, 'spark.streaming.backpressure.initialRate': 30 },
    });
    const stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
    const batches = collect(stream);
    await ssc.start();
    await ssc.step();
    expect(batches[0].ranges.map((r) => r.count())).toEqual([30]);
  });

  it('backpressure with a rate controller: batch sizes follow the estimated rate (Spark: "using rate controller")', async () => {
    const topic = uniqueName('ratecontroller');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, Array.from({ length: 1000 }, (_, i) => `m${i}`));
    const ssc = createManualContext({
      batchDuration: Milliseconds(500),
      conf: { 'spark.streaming.backpressure.enabled': true, 'spark.streaming.kafka.maxRatePerPartition': 1000 },
    });
    const stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
    const estimator = new ConstantEstimator(100);
    const { DirectKafkaRateController } = await import('../../receivers/kafka');
    stream.rateController = new DirectKafkaRateController(stream.id, estimator);
    const batches = collect(stream);
    await ssc.start();
    // Each batch is planned with the estimate made when the batch before it completed.
    await ssc.step(); // no estimate yet: maxRatePerPartition 1000 × 0.5 s; completes with estimate 100
    estimator.rate = 50;
    await ssc.step(); // 100 × 0.5 s; completes with estimate 50
    estimator.rate = 20;
    await ssc.step(); // 50 × 0.5 s; completes with estimate 20
    await ssc.step(); // 20 × 0.5 s
    expect(batches.map((b) => b.values.length)).toEqual([500, 50, 25, 10]);
  });

  it('commitAsync commits after the batch\'s outputs, visible to a separate admin client; a new stream resumes there', async () => {
    const topic = uniqueName('commit');
    const groupId = uniqueName('commit-group');
    await createTopic(clients.admin, topic, 2);
    await produce(clients.producer, topic, Array.from({ length: 10 }, (_, i) => `m${i}`), (i) => i % 2);

    const run = async (steps: (ssc: StreamingContext, s: DirectKafkaInputDStream<string, string>) => Promise<void>): Promise<string[][]> => {
      const ssc = createManualContext();
      const stream = KafkaUtils.createDirectStream<string, string>(
        ssc,
        LocationStrategies.PreferConsistent(),
        ConsumerStrategies.Subscribe([topic], stringParams(bootstrap, { 'group.id': groupId })),
      );
      const seen: string[][] = [];
      stream.foreachRDD(async (rdd) => {
        const ranges = offsetRangesOf(rdd);
        seen.push((await rdd.map((r) => r.value).collect()).sort());
        stream.commitAsync(ranges);
      });
      await ssc.start();
      await steps(ssc, stream);
      return seen;
    };

    const committedNow = async (): Promise<[number, string][]> =>
      (await clients.admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions.map((p) => [p.partition, p.offset] as [number, string]).sort((a, b) => a[0] - b[0]);

    const first = await run(async (ssc, stream) => {
      await ssc.step();
      // The batch's commit went out when its outputs completed; a callback commit after it orders behind it.
      const done = deferred<[ReadonlyMap<string, number>, Error | undefined]>();
      stream.commitAsync([], (offsets, e) => done.resolve([offsets, e]));
      await ssc.step();
      const [, err] = await done.promise;
      expect(err).toBeUndefined();
      expect(await committedNow()).toEqual([[0, '5'], [1, '5']]);
    });
    expect(first).toEqual([Array.from({ length: 10 }, (_, i) => `m${i}`).sort(), []]);

    // A new stream in the same group, without offsets of its own, starts where the group committed.
    await stopAllContexts();
    await produce(clients.producer, topic, ['n0', 'n1'], (i) => i);
    const second = await run(async (ssc) => {
      await ssc.step();
      await ssc.stop(true, true); // graceful: one more (empty) batch runs, then commits are flushed
    });
    expect(second).toEqual([['n0', 'n1'], []]);
    expect(await committedNow()).toEqual([[0, '6'], [1, '6']]);
  });

  it('commits queued after the last batch are flushed on stop (SPARK-20050)', async () => {
    const topic = uniqueName('stopcommit');
    const groupId = uniqueName('stopcommit-group');
    await createTopic(clients.admin, topic, 1);
    await produce(clients.producer, topic, ['a', 'b', 'c']);
    const ssc = createManualContext();
    const stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap, { 'group.id': groupId })));
    let last: readonly OffsetRange[] = [];
    stream.foreachRDD((rdd) => void (last = offsetRangesOf(rdd)));
    await ssc.start();
    await ssc.step();
    stream.commitAsync(last); // queued outside any output: Spark would only send it at the next batch, which never comes
    await ssc.stop(true, false);
    const committed = await clients.admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0].partitions.map((p) => p.offset)).toEqual(['3']);
  });
});

/** Spark's test `ConstantEstimator`: always estimates the rate it was given. */
class ConstantEstimator {
  constructor(public rate: number) {}
  compute(): number {
    return this.rate;
  }
}
