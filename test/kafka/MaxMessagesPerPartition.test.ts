import { Milliseconds, Seconds, type Duration } from '../../lib';
import {
  ConsumerStrategies,
  DefaultPerPartitionConfig,
  type DirectKafkaInputDStream,
  KafkaConfigException,
  KafkaUtils,
  LocationStrategies,
  maxMessagesPerPartition,
  OffsetRange,
  PerPartitionConfig,
  resolveKafkaParams,
  TopicPartition,
} from '../../receivers/kafka';
import { RateController } from '../../receivers/rate/RateController';
import { createManualContext, stopAllContexts } from '../streaming/harness';

/**
 * Spark's DirectKafkaStreamSuite vectors for `maxMessagesPerPartition` (reference §8.4), on the stream itself (offsets
 * seeked to 0 as in Spark, no broker needed: nothing connects before start) and on the pure function; OffsetRange,
 * TopicPartition and kafkaParams validation.
 */
const topic = 'topic';
const tp = (p: number): string => new TopicPartition(topic, p).toString();

/** A rate controller whose latest rate is fixed (Spark's test overrides `rateController` the same way). */
class FixedRateController extends RateController {
  constructor(private readonly rate: number) {
    super(0 as never, { compute: () => undefined });
  }
  override getLatestRate(): number {
    return this.rate;
  }
  protected publish(): void {}
}

class MapPerPartitionConfig extends PerPartitionConfig {
  constructor(private readonly max: Record<string, number>, private readonly min = 1) {
    super();
  }
  maxRatePerPartition(t: TopicPartition): number {
    return this.max[t.toString()] ?? 0;
  }
  override minRatePerPartition(): number {
    return this.min;
  }
}

function directStream(opts: {
  batch: Duration;
  conf?: Record<string, string | number | boolean>;
  partitions: number;
  rate?: number;
  ppc?: PerPartitionConfig;
}): DirectKafkaInputDStream<string, string> {
  const ssc = createManualContext({ batchDuration: opts.batch, conf: opts.conf });
  const params = { 'bootstrap.servers': '127.0.0.1:9', 'key.deserializer': 'StringDeserializer', 'value.deserializer': 'StringDeserializer' };
  const s = KafkaUtils.createDirectStream(
    ssc,
    LocationStrategies.PreferConsistent(),
    ConsumerStrategies.Subscribe([topic], params),
    opts.ppc ?? new DefaultPerPartitionConfig(ssc.conf),
  );
  for (let p = 0; p < opts.partitions; p++) s.currentOffsets.set(tp(p), 0);
  if (opts.rate !== undefined) s.rateController = new FixedRateController(opts.rate);
  return s;
}

const latest = (offsets: number[]): Map<string, number> => new Map(offsets.map((o, p) => [tp(p), o]));
const asObject = (m: Map<string, number> | undefined): Record<string, number> | undefined => (m ? Object.fromEntries(m) : undefined);

describe("maxMessagesPerPartition (Spark's DirectKafkaStreamSuite)", () => {
  afterEach(() => stopAllContexts());

  it('backpressure disabled: maxRatePerPartition × batch seconds', () => {
    const s = directStream({ batch: Milliseconds(100), conf: { 'spark.streaming.kafka.maxRatePerPartition': 100 }, partitions: 2 });
    expect(asObject(s.maxMessagesPerPartition(latest([50, 50])))).toEqual({ [tp(0)]: 10, [tp(1)]: 10 });
  });

  it('no lag with backpressure: no limit (0/0 rates are NaN, as in Spark)', () => {
    const s = directStream({ batch: Milliseconds(100), conf: { 'spark.streaming.kafka.maxRatePerPartition': 100, 'spark.streaming.backpressure.enabled': true }, partitions: 2, rate: 100 });
    expect(s.maxMessagesPerPartition(latest([0, 0]))).toBeUndefined();
  });

  it('respects a per-partition max rate under backpressure', () => {
    const ppc = new MapPerPartitionConfig({ [tp(0)]: 50, [tp(1)]: 100 });
    const s = directStream({ batch: Milliseconds(100), conf: { 'spark.streaming.backpressure.enabled': true }, partitions: 2, rate: 1000, ppc });
    expect(asObject(s.maxMessagesPerPartition(latest([1000, 1000])))).toEqual({ [tp(0)]: 5, [tp(1)]: 10 });
  });

  it('initialRate before the first estimate, capped by maxRatePerPartition', async () => {
    const conf = (initialRate: number, maxRate: number) => ({
      'spark.streaming.backpressure.enabled': true,
      'spark.streaming.backpressure.initialRate': initialRate,
      'spark.streaming.kafka.maxRatePerPartition': maxRate,
    });
    // The default controller has no estimate yet (-1), so initialRate applies.
    expect(asObject(directStream({ batch: Milliseconds(500), conf: conf(500, 1000), partitions: 1 }).maxMessagesPerPartition(latest([1000])))).toEqual({ [tp(0)]: 250 });
    await stopAllContexts();
    expect(asObject(directStream({ batch: Milliseconds(500), conf: conf(1000, 300), partitions: 1 }).maxMessagesPerPartition(latest([1000])))).toEqual({ [tp(0)]: 150 });
  });

  it('minRatePerPartition floors every partition', () => {
    const ppc = new MapPerPartitionConfig({ [tp(0)]: 100, [tp(1)]: 100, [tp(2)]: 100, [tp(3)]: 100 }, 5);
    const s = directStream({ batch: Seconds(60), conf: { 'spark.streaming.backpressure.enabled': true }, partitions: 4, rate: 1, ppc });
    expect(asObject(s.maxMessagesPerPartition(latest([0, 100, 200, 300])))).toEqual({ [tp(0)]: 5, [tp(1)]: 10, [tp(2)]: 20, [tp(3)]: 30 });
  });

  it('no limits at all: undefined (read up to the latest offsets)', () => {
    const s = directStream({ batch: Seconds(1), partitions: 2 });
    expect(s.maxMessagesPerPartition(latest([1000, 1000]))).toBeUndefined();
  });

  it('the pure function: lag-proportional shares of the estimated rate', () => {
    const ppc = new MapPerPartitionConfig({});
    const current = new Map([[tp(0), 100], [tp(1), 0]]);
    // lag 100 and 300 of rate 40/s over 1 s: 10 and 30.
    expect(asObject(maxMessagesPerPartition({ latest: latest([200, 300]), current, batchDurationMs: 1000, estimatedRate: 40, perPartitionConfig: ppc }))).toEqual({ [tp(0)]: 10, [tp(1)]: 30 });
  });
});

describe('OffsetRange and TopicPartition', () => {
  it("prints as Spark's OffsetRange, compares on all four fields, counts, round-trips its tuple", () => {
    const r = OffsetRange.create('events', 3, 10, 25);
    expect(String(r)).toBe("OffsetRange(topic: 'events', partition: 3, range: [10 -> 25])");
    expect(r.count()).toBe(15);
    expect(r.equals(OffsetRange.create(new TopicPartition('events', 3), 10, 25))).toBe(true);
    expect(r.equals(OffsetRange.apply('events', 3, 10, 26))).toBe(false);
    expect(r.equals(OffsetRange.create('events-3', 10, 25))).toBe(true);
    expect(OffsetRange.fromTuple(r.toTuple()).equals(r)).toBe(true);
    expect(r.topicPartition().toString()).toBe('events-3');
    expect(JSON.parse(JSON.stringify(r))).toEqual({ topic: 'events', partition: 3, fromOffset: 10, untilOffset: 25 });
  });

  it('rejects bad offsets and partitions with the value in the message', () => {
    expect(() => OffsetRange.create('t', 0, -1, 5)).toThrow('Invalid fromOffset -1 for t-0');
    expect(() => OffsetRange.create('t', 0, 1.5, 5)).toThrow('Invalid fromOffset 1.5 for t-0');
    expect(() => new TopicPartition('t', -2)).toThrow("Invalid partition -2 for topic 't'");
    expect(() => TopicPartition.parse('nodash')).toThrow("'nodash' is not a topic partition");
    expect(TopicPartition.parse('my-topic-12')).toEqual(new TopicPartition('my-topic', 12));
  });
});

describe('kafkaParams', () => {
  const base = { 'bootstrap.servers': 'h:9092', 'key.deserializer': 'StringDeserializer', 'value.deserializer': 'StringDeserializer' };

  it("takes Spark's (Kafka's) names and defaults", () => {
    const p = resolveKafkaParams({ ...base, 'group.id': 'g', 'auto.offset.reset': 'earliest', 'max.partition.fetch.bytes': '2048' });
    expect(p.bootstrapServers).toEqual(['h:9092']);
    expect(p.groupId).toBe('g');
    expect(p.autoOffsetReset).toBe('earliest');
    expect(p.maxPartitionFetchBytes).toBe(2048);
    expect(p.isolationLevel).toBe('read_uncommitted');
    expect(resolveKafkaParams(base).autoOffsetReset).toBe('latest');
    expect(resolveKafkaParams({ ...base, 'bootstrap.servers': ['a:1', 'b:2'] }).bootstrapServers).toEqual(['a:1', 'b:2']);
  });

  it('bad values are errors naming the key, as Kafka words them', () => {
    const err = (params: Record<string, unknown>): KafkaConfigException => {
      try {
        resolveKafkaParams(params);
      } catch (e) {
        return e as KafkaConfigException;
      }
      throw new Error('no error');
    };
    expect(err({ ...base, 'bootstrap.servers': undefined })).toMatchObject({ key: 'bootstrap.servers', message: 'Missing required configuration "bootstrap.servers" which has no default value.' });
    expect(err({ ...base, 'bootstrap.servers': 'nohostport' })).toMatchObject({ key: 'bootstrap.servers', message: 'Invalid url in bootstrap.servers: nohostport (expected host:port)' });
    expect(err({ ...base, 'value.deserializer': undefined })).toMatchObject({ key: 'value.deserializer', message: 'Missing required configuration "value.deserializer" which has no default value.' });
    expect(err({ ...base, 'key.deserializer': 'FancyDeserializer' }).message).toContain('Invalid value FancyDeserializer for configuration key.deserializer');
    expect(err({ ...base, 'auto.offset.reset': 'smallest' })).toMatchObject({ key: 'auto.offset.reset', message: 'Invalid value smallest for configuration auto.offset.reset: String must be one of: latest, earliest, none' });
    expect(err({ ...base, 'fetch.max.wait.ms': 'soon' }).message).toBe('Invalid value soon for configuration fetch.max.wait.ms: Not a number of type INT');
    expect(err({ ...base, 'enable.auto.commit': 'maybe' }).key).toBe('enable.auto.commit');
  });
});
