/**
 * kafka-receiver: the receiver-based Kafka stream's ingest throughput (KafkaUtils.createStream), reliable (receiver
 * WAL on: every block fsynced in the WAL and recorded before its offsets are committed) and plain (WAL off,
 * auto-commit), beside a plain kafkajs consumer group member reading the same topic in the same run.
 *
 *   npm run bench -- kafka-receiver [--records 1000000] [--partitions 4] [--record-bytes 100] [--bootstrap host:port]
 *
 * Starts a dedicated broker unless `--bootstrap` names one, produces `--records` records round-robin over the
 * partitions (kafkajs producer), then each reader in a fresh group from the beginning:
 * - plain: a kafkajs consumer (`eachBatch`, no commits) decoding each value as UTF-8, until it has seen every record;
 * - reliable / unreliable: `createStream<string, string>` with one thread per partition, 1 s batches on the system
 *   clock, each batch counted (`rdd.count()`), from `ssc.start()` until every record is counted.
 * Reports records/s of each and the receivers' ratio to the plain consumer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Seconds, SparkConf, StreamingContext } from '../lib';
import { KafkaClientCache, KafkaUtils } from '../receivers/kafka';
import { type KafkaBroker, startKafkaBroker } from '../scripts/kafka/KafkaBroker';
import { arg, strArg, writeResult } from './report';


const RECORDS = arg('records', 1_000_000);
const PARTITIONS = arg('partitions', 4);
const RECORD_BYTES = arg('record-bytes', 100);
const log = (m: string): void => void process.stderr.write(`[kafka-receiver-bench] ${m}\n`);

async function produceAll(kafka: Kafka, topic: string): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const t0 = performance.now();
  const payload = Buffer.alloc(RECORD_BYTES, 'x');
  const perSend = 4000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < RECORDS) {
      const start = next;
      const n = Math.min(perSend, RECORDS - start);
      next += n;
      const partition = Math.floor(start / perSend) % PARTITIONS;
      const messages = new Array(n);
      for (let i = 0; i < n; i++) messages[i] = { value: payload, partition };
      await producer.send({ topic, acks: 1, messages });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await producer.disconnect();
  return (performance.now() - t0) / 1000;
}

async function plainConsumer(kafka: Kafka, topic: string): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-plain-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let n = 0;
  let chars = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        partitionsConsumedConcurrently: PARTITIONS,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) chars += m.value ? m.value.toString('utf8').length : 0;
          n += batch.messages.length;
          if (n >= RECORDS) resolve();
        },
      })
      .catch(reject);
  });
  const secs = (performance.now() - t0) / 1000;
  await consumer.disconnect();
  if (n !== RECORDS || chars === 0) throw new Error(`plain consumer saw ${n} records, expected ${RECORDS}`);
  return secs;
}

async function receiverStream(bootstrap: string, topic: string, wal: boolean): Promise<{ secs: number; batches: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-bench-kafka-receiver-'));
  const conf = new SparkConf(false)
    .setMaster(`local[${PARTITIONS}]`)
    .setAppName('kafka-receiver-bench')
    .set('spark.streaming.receiver.writeAheadLog.enable', String(wal));
  const ssc = new StreamingContext(conf, Seconds(1));
  ssc.checkpoint(path.join(dir, 'checkpoint'));
  const stream = KafkaUtils.createStream<string, string>(
    ssc,
    {
      'bootstrap.servers': bootstrap,
      'group.id': `bench-${wal ? 'reliable' : 'plain'}-${Date.now()}`,
      'key.deserializer': 'StringDeserializer',
      'value.deserializer': 'StringDeserializer',
      'auto.offset.reset': 'earliest',
    },
    { [topic]: PARTITIONS },
  );
  let n = 0;
  let batches = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  stream.foreachRDD(async (rdd) => {
    n += await rdd.count();
    batches++;
    if (n >= RECORDS) done();
  });
  const t0 = performance.now();
  await ssc.start();
  await finished;
  const secs = (performance.now() - t0) / 1000;
  await ssc.stop(true, false);
  await KafkaClientCache.closeAll();
  fs.rmSync(dir, { recursive: true, force: true });
  if (n !== RECORDS) throw new Error(`${wal ? 'reliable' : 'plain'} receiver counted ${n} records, expected ${RECORDS}`);
  return { secs, batches };
}

async function main(): Promise<void> {
  let broker: KafkaBroker | undefined;
  let bootstrap = strArg('bootstrap');
  if (!bootstrap) {
    log('starting a dedicated broker');
    broker = await startKafkaBroker({ heapOpts: '-Xms512m -Xmx1g' });
    bootstrap = broker.bootstrap;
  }
  try {
    const kafka = new Kafka({ clientId: 'dstreams-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topic = `bench-receiver-${Date.now()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    await admin.disconnect();
    log(`producing ${RECORDS} records of ${RECORD_BYTES} bytes to ${PARTITIONS} partitions`);
    const produceSecs = await produceAll(kafka, topic);
    log(`produced in ${produceSecs.toFixed(1)} s`);
    const plainSecs = await plainConsumer(kafka, topic);
    log(`plain kafkajs consumer: ${(RECORDS / plainSecs).toFixed(0)} records/s`);
    const reliable = await receiverStream(bootstrap, topic, true);
    log(`reliable receiver (WAL): ${(RECORDS / reliable.secs).toFixed(0)} records/s in ${reliable.batches} batches`);
    const unreliable = await receiverStream(bootstrap, topic, false);
    log(`plain receiver (no WAL): ${(RECORDS / unreliable.secs).toFixed(0)} records/s in ${unreliable.batches} batches`);
    const file = writeResult('kafka-receiver', {
      records: RECORDS,
      partitions: PARTITIONS,
      recordBytes: RECORD_BYTES,
      produceRecordsPerSec: Math.round(RECORDS / produceSecs),
      plainConsumerRecordsPerSec: Math.round(RECORDS / plainSecs),
      reliableReceiverRecordsPerSec: Math.round(RECORDS / reliable.secs),
      reliableReceiverBatches: reliable.batches,
      plainReceiverRecordsPerSec: Math.round(RECORDS / unreliable.secs),
      plainReceiverBatches: unreliable.batches,
      reliableToPlainConsumer: Number((plainSecs / reliable.secs).toFixed(3)),
      plainReceiverToPlainConsumer: Number((plainSecs / unreliable.secs).toFixed(3)),
      note: 'receivers timed from ssc.start() (group join included) until every record is counted in a 1 s batch; the plain consumer from run() until it has seen every record',
    });
    log(`wrote ${file}`);
  } finally {
    await broker?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`kafka-receiver benchmark failed: ${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
