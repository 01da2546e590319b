/**
 * What group mode (dstreams.kafka.groupMode) accepts and refuses, before anything connects: the errors a program
 * gets at createDirectStream, at the state operators and at ssc.start(), each naming the stream or operator and the
 * cause. No broker is needed (nothing connects until the stream starts; the refusals come first); the group running
 * against a real broker is in test/kafka/KafkaGroup*.test.ts.
 */
import { Milliseconds, SparkConf, StateSpec, StreamingContext } from '../../lib';
import {
  ConsumerStrategies,
  type DirectKafkaInputDStream,
  GroupModeConfigException,
  GroupModeUnsupportedOperationException,
  KafkaConfigException,
  KafkaUtils,
  LocationStrategies,
  memberCheckpointDir,
  PartitionedMapWithStateDStream,
  PartitionedStateDStream,
} from '../../receivers/kafka';
import { StateDStream } from '../../lib/streaming/dstream/StateDStream';

const made: StreamingContext[] = [];
// Each test has its own SparkContext (and so its own conf): stop what it made.
afterEach(async () => {
  for (const ssc of made.splice(0)) await ssc.stop(true, false);
});

const params = { 'bootstrap.servers': '127.0.0.1:1', 'group.id': 'g', 'key.deserializer': 'StringDeserializer', 'value.deserializer': 'StringDeserializer' };

function context(groupMode: boolean, extra: Record<string, string> = {}): StreamingContext {
  const conf = new SparkConf(false).setMaster('local[2]').setAppName('validation').set('spark.streaming.clock', 'manual');
  if (groupMode) conf.set('dstreams.kafka.groupMode', 'true');
  for (const [k, v] of Object.entries(extra)) conf.set(k, v);
  const ssc = new StreamingContext(conf, Milliseconds(500));
  made.push(ssc);
  return ssc;
}

function stream(ssc: StreamingContext, p: Record<string, unknown> = params): DirectKafkaInputDStream<string, string> {
  return KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe(['words'], p));
}

test('group mode needs Subscribe and a group.id', () => {
  const ssc = context(true);
  expect(() => KafkaUtils.createDirectStream(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Assign(['words-0'], params))).toThrow(
    new GroupModeConfigException('Kafka 0.10 direct stream [0]', 'Assign(words-0) fixes its partitions; a stream that shares its topics with the other members of its group needs ConsumerStrategies.Subscribe(topics, kafkaParams)'),
  );
  expect(() => stream(ssc, { ...params, 'group.id': undefined })).toThrow(/kafkaParams have no group\.id: the members of a group share its partitions/);
});

test('group mode runs one job at a time', () => {
  expect(() => stream(context(true, { 'spark.streaming.concurrentJobs': '2' }))).toThrow(/spark\.streaming\.concurrentJobs is 2: batches commit their transactions in order/);
});

test('outside group mode the state operators are Spark\'s', () => {
  const plain = stream(context(false)).map((r) => [r.key, 1] as [string, number]);
  expect(plain.updateStateByKey<string, number, number>((vs, s) => (s ?? 0) + vs.length)).toBeInstanceOf(StateDStream);
});

test('in group mode the state operators keep their state per input partition', () => {
  const ssc = context(true);
  const pairs = stream(ssc).map((r) => [r.key, 1] as [string, number]);
  expect(pairs.updateStateByKey<string, number, number>((vs, s) => (s ?? 0) + vs.length)).toBeInstanceOf(PartitionedStateDStream);
  const mapped = pairs.mapWithState(StateSpec.function((k: string, v: number | undefined) => [k, v]));
  expect(mapped).toBeInstanceOf(PartitionedMapWithStateDStream);
  expect(() => pairs.updateStateByKey<string, number, number>((vs, s) => (s ?? 0) + vs.length, 2, ssc.sparkContext.parallelize([['a', 1]]))).toThrow(
    'updateStateByKey in group mode (dstreams.kafka.groupMode=true): an initialRDD cannot be used: its keys belong to no input partition, and the state of each partition comes from its changelog',
  );
});

test.each([
  ['reduceByKey', (s: DirectKafkaInputDStream<string, string>) => s.map((r) => [r.key, 1] as [string, number]).reduceByKey((a, b) => a + b).print(), /it shuffles the records by key across partitions/],
  ['reduceByKey', (s: DirectKafkaInputDStream<string, string>) => s.count().print(), /count, reduce and countByValue use it too/],
  ['join', (s: DirectKafkaInputDStream<string, string>) => {
    const p = s.map((r) => [r.key, 1] as [string, number]);
    p.join(p).print();
  }, /it shuffles both sides by key/],
  ['window', (s: DirectKafkaInputDStream<string, string>) => s.window(Milliseconds(1000)).print(), /a window spans batches whose partitions may have moved/],
  ['repartition', (s: DirectKafkaInputDStream<string, string>) => s.repartition(3).print(), /it moves records to other partitions/],
])('%s on a group-mode stream is refused when the context starts, naming the operator', (operator, build, reason) => {
  const ssc = context(true);
  build(stream(ssc));
  let error: unknown;
  try {
    void ssc.start();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GroupModeUnsupportedOperationException);
  const e = error as GroupModeUnsupportedOperationException;
  expect(e.operator).toBe(operator);
  expect(e.message).toMatch(new RegExp(`^${operator} \\(.*\\) cannot run in group mode \\(dstreams.kafka.groupMode=true, group 'g'\\): `));
  expect(e.message).toMatch(reason);
  expect(e.message).toContain('stream.through(topic)');
});

test('map, filter and the state operators on a group-mode stream pass the checks (they keep the Kafka partitioning)', async () => {
  const ssc = context(true);
  const pairs = stream(ssc, { ...params, retries: 0, 'socket.connection.setup.timeout.ms': 200 }).filter((r) => r.key !== null).map((r) => [r.key, 1] as [string, number]);
  pairs.updateStateByKey<string, number, number>((vs, s) => (s ?? 0) + vs.length).print();
  // Validation passes; the start then fails only because no broker answers.
  await expect(ssc.start()).rejects.toThrow(/Kafka brokers 127\.0\.0\.1:1 \(bootstrap\.servers\) unreachable while/);
});

test('toKafka needs a direct stream with a group.id; through outside group mode is the stream itself', () => {
  const ssc = context(false);
  const s = stream(ssc, { ...params, 'group.id': undefined }).map((r) => [r.key, r.value] as [string, string]);
  expect(() => s.toKafka('out')).toThrow(KafkaConfigException);
  expect(() => s.toKafka('out')).toThrow(/toKafka commits the input offsets with the output in one transaction, for the stream's group.id; the kafkaParams have none/);
  expect(s.through('repartition')).toBe(s);
  expect(() => ssc.queueStream([ssc.sparkContext.parallelize([1])]).toKafka('out')).toThrow(/toKafka .* it commits the input offsets of each batch with its output, so it must read a direct Kafka stream/);
});

test('memberCheckpointDir: one folder per member in group mode, the folder itself otherwise', () => {
  const on = new SparkConf(false).set('dstreams.kafka.groupMode', 'true').set('dstreams.kafka.group.member', 'host a/1');
  expect(memberCheckpointDir('/var/cp', on)).toBe('/var/cp/members/host_a_1');
  expect(memberCheckpointDir('/var/cp', new SparkConf(false))).toBe('/var/cp');
});
