import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Milliseconds, readCheckpoint, SparkConf, StreamingContext } from '../../lib';
import { ConsumerStrategies, type DirectKafkaCheckpointData, type DirectKafkaInputDStream, KafkaUtils, LocationStrategies, offsetRangesOf } from '../../receivers/kafka';
import { connectClients, createTopic, type KafkaTestClients, produce, stringParams } from './kafkaStreamTestKit';
import { kafkaBootstrap, uniqueName } from './kafkaTestEnv';

/**
 * The direct stream's offsets in metadata checkpoints (Spark's DirectKafkaInputDStreamCheckpointData): a context
 * recovered with `StreamingContext.getOrCreate` re-runs the checkpointed batch over exactly the same offset ranges
 * (even though more records arrived since) and then continues from the checkpointed offsets.
 * DirectKafkaExactlyOnce.test.ts does the same across SIGKILLed child processes.
 */
describe('DirectKafkaInputDStream recovery from a checkpoint (real broker)', () => {
  let bootstrap: string;
  let clients: KafkaTestClients;
  let dir: string;

  beforeAll(async () => {
    bootstrap = kafkaBootstrap();
    clients = await connectClients(bootstrap);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-cp-'));
  });
  afterEach(async () => {
    await StreamingContext.getActive()?.stop(true, false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => clients?.close());

  it('re-runs the checkpointed batch over the same ranges, then continues from the checkpointed offsets', async () => {
    const topic = uniqueName('recovery');
    await createTopic(clients.admin, topic, 2);
    await produce(clients.producer, topic, ['a0', 'a1', 'a2', 'a3'], (i) => i % 2);

    let sink: { time: number; ranges: string[]; values: string[] }[] = [];
    let stream: DirectKafkaInputDStream<string, string> | undefined;
    const create = (): StreamingContext => {
      const conf = new SparkConf(false).setMaster('local[2]').setAppName('DirectKafkaRecovery').set('spark.streaming.clock', 'manual');
      const ssc = new StreamingContext(conf, Milliseconds(500));
      ssc.checkpoint(dir);
      stream = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe([topic], stringParams(bootstrap)));
      stream.foreachRDD(async (rdd, time) => {
        sink.push({ time: time.milliseconds, ranges: offsetRangesOf(rdd).map(String), values: (await rdd.map((r) => r.value).collect()).sort() });
      });
      return ssc;
    };

    const ssc1 = StreamingContext.getOrCreate(dir, create);
    await ssc1.start();
    await ssc1.step();
    await produce(clients.producer, topic, ['b0', 'b1'], (i) => i % 2);
    await ssc1.step();
    await ssc1.stop(true, false);
    const first = sink;
    expect(first.map((b) => b.values)).toEqual([['a0', 'a1', 'a2', 'a3'], ['b0', 'b1']]);

    // The newest checkpoint holds the stream's ranges per remembered batch and its current offsets, as JSON.
    const cp = readCheckpoint(dir, false)!.checkpoint;
    const data = Object.values(cp.streams).find((d) => (d as DirectKafkaCheckpointData).kind === 'DirectKafkaInputDStream') as DirectKafkaCheckpointData;
    expect(data.batches.find(([t]) => t === 1000)?.[1]).toEqual([[topic, 0, 2, 3], [topic, 1, 2, 3]]);
    expect([...data.currentOffsets].sort()).toEqual([[topic, 0, 3], [topic, 1, 3]]);

    // More records arrive while the program is down; they must not leak into the re-run batch.
    await produce(clients.producer, topic, ['c0', 'c1', 'c2', 'c3'], (i) => i % 2);
    sink = [];
    const ssc2 = StreamingContext.getOrCreate(dir, create);
    expect(ssc2.isCheckpointPresent).toBe(true);
    expect(stream!.currentOffsets.get(`${topic}-0`)).toBe(3);
    await ssc2.start();
    await ssc2.step();
    await ssc2.stop(true, false);
    // The batch at the checkpoint time (1000 ms) runs again over the identical ranges, then the next batch reads on.
    expect(sink[0]).toEqual(first[1]);
    expect(sink.slice(1)).toEqual([
      { time: 1500, ranges: [`OffsetRange(topic: '${topic}', partition: 0, range: [3 -> 5])`, `OffsetRange(topic: '${topic}', partition: 1, range: [3 -> 5])`], values: ['c0', 'c1', 'c2', 'c3'] },
    ]);
  });

  it('malformed checkpoint data is an error naming the stream', async () => {
    const ssc = new StreamingContext(new SparkConf(false).setMaster('local[2]').setAppName('bad-cp').set('spark.streaming.clock', 'manual'), Milliseconds(500));
    const s = KafkaUtils.createDirectStream<string, string>(ssc, LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe(['t'], stringParams(bootstrap)));
    s.checkpointData = { kind: 'DirectKafkaInputDStream', batches: [[1000, [['t', 0, 'x', 3]]]], currentOffsets: [] } as unknown as DirectKafkaCheckpointData;
    expect(() => s.restoreCheckpointData()).toThrow(`The checkpoint data of Kafka 0.10 direct stream [${s.id}] is malformed`);
    await ssc.stop(true, false);
  });
});
