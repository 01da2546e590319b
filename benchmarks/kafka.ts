/**
 * kafka: the direct Kafka stream's read throughput beside a plain kafkajs consumer, on the same topic in the same run.
 *
 *   npm run bench -- kafka [--records 10000000] [--partitions 4] [--record-bytes 100] [--batch-records 1000000]
 *                          [--bootstrap host:port] [--reps 1]
 *
 * Starts a dedicated broker (scripts/kafka/KafkaBroker.ts) unless `--bootstrap` names one, creates a topic with
 * `--partitions` partitions and produces `--records` records of `--record-bytes` bytes, round-robin over the
 * partitions, with Kafka's own Java producer (kafka-clients from the broker's classpath, a single-file Java program
 * run by `java`; batched, linger 5 ms): kafkajs' producer managed ~30k records/s here, which would make 10M records
 * a five-minute wait (`--producer kafkajs` uses it anyway). Then, alternating, `--reps` times each:
 * - plain: a kafkajs consumer (fresh group, fromBeginning, `eachBatch`, default fetch sizes) counts until it has seen
 *   every record;
 * - direct: `KafkaUtils.createDirectStream` on the manual clock, `maxRatePerPartition` set so a batch holds
 *   `--batch-records` records, each batch counted by reading every record (`rdd.foreach`), stepped until all are read.
 * Both read raw bytes (no value decoding). Reports records/s of each (median over reps) and direct/plain.
 */
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Seconds, SparkConf, StreamingContext } from '../lib';
import { ByteArrayDeserializer, ConsumerStrategies, KafkaClientCache, KafkaUtils, LocationStrategies } from '../receivers/kafka';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findJava } from '../scripts/kafka/JavaTools';
import { type KafkaBroker, startKafkaBroker } from '../scripts/kafka/KafkaBroker';
import { fetchKafka } from '../scripts/kafka/KafkaDistribution';
import { arg, strArg, writeResult } from './report';


const RECORDS = arg('records', 10_000_000);
const PARTITIONS = arg('partitions', 4);
const RECORD_BYTES = arg('record-bytes', 100);
const BATCH_RECORDS = arg('batch-records', 1_000_000);
const REPS = arg('reps', 1);
const PRODUCER = strArg('producer') ?? 'java';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (m: string): void => void process.stderr.write(`[kafka-bench] ${m}\n`);

/** Kafka's Java producer, as a single-file program: args bootstrap, topic, records, recordBytes, partitions. */
const JAVA_PRODUCER = `
import java.util.Properties;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.ByteArraySerializer;
public class ProduceRecords {
  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", a[0]);
    p.put("acks", "1");
    p.put("linger.ms", "5");
    p.put("batch.size", "262144");
    p.put("buffer.memory", "268435456");
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    String topic = a[1];
    long n = Long.parseLong(a[2]);
    byte[] value = new byte[Integer.parseInt(a[3])];
    java.util.Arrays.fill(value, (byte) 'x');
    int partitions = Integer.parseInt(a[4]);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (long i = 0; i < n; i++) producer.send(new ProducerRecord<>(topic, (int) (i % partitions), null, value));
      producer.flush();
    }
  }
}
`;

async function produceWithJava(bootstrap: string, topic: string): Promise<number> {
  const java = findJava().java;
  const dist = await fetchKafka();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-bench-'));
  const src = path.join(dir, 'ProduceRecords.java');
  fs.writeFileSync(src, JAVA_PRODUCER);
  const t0 = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(java, ['-Xmx1g', '-cp', dist.classpath, src, bootstrap, topic, String(RECORDS), String(RECORD_BYTES), String(PARTITIONS)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the Java producer exited with ${code}: ${err.slice(-2000)}`))));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return (performance.now() - t0) / 1000;
}

async function produceAll(kafka: Kafka, topic: string): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const t0 = performance.now();
  const payload = Buffer.alloc(RECORD_BYTES, 'x');
  const perSend = 4000; // one record batch stays under the broker's 1 MiB message.max.bytes
  let sent = 0;
  let next = 0;
  // A few sends in flight, each one partition's batch: the broker appends them in parallel.
  const worker = async (): Promise<void> => {
    while (next < RECORDS) {
      const start = next;
      const n = Math.min(perSend, RECORDS - start);
      next += n;
      const partition = Math.floor(start / perSend) % PARTITIONS;
      const messages = new Array(n);
      for (let i = 0; i < n; i++) messages[i] = { value: payload, partition };
      await producer.send({ topic, acks: 1, messages });
      sent += n;
      if (sent % 1_000_000 < n) log(`produced ${sent}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await producer.disconnect();
  return (performance.now() - t0) / 1000;
}

async function plainConsumer(kafka: Kafka, topic: string, rep: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-plain-${Date.now()}-${rep}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let n = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          n += batch.messages.length;
          if (n >= RECORDS) resolve();
        },
      })
      .catch(reject);
  });
  const secs = (performance.now() - t0) / 1000;
  await consumer.disconnect();
  if (n !== RECORDS) throw new Error(`plain consumer saw ${n} records, expected ${RECORDS}`);
  return secs;
}

async function directStream(bootstrap: string, topic: string): Promise<{ secs: number; batches: number }> {
  const conf = new SparkConf(false)
    .setMaster(`local[${PARTITIONS}]`)
    .setAppName('kafka-bench')
    .set('spark.streaming.clock', 'manual')
    .set('spark.streaming.kafka.maxRatePerPartition', String(Math.ceil(BATCH_RECORDS / PARTITIONS)));
  const ssc = new StreamingContext(conf, Seconds(1));
  const stream = KafkaUtils.createDirectStream<Buffer, Buffer>(
    ssc,
    LocationStrategies.PreferConsistent(),
    ConsumerStrategies.Subscribe([topic], {
      'bootstrap.servers': bootstrap,
      'key.deserializer': ByteArrayDeserializer,
      'value.deserializer': ByteArrayDeserializer,
      'auto.offset.reset': 'earliest',
      'enable.auto.commit': false,
    }),
  );
  let n = 0;
  let batches = 0;
  stream.foreachRDD(async (rdd) => {
    let c = 0;
    await rdd.foreach(() => void c++);
    n += c;
    batches++;
  });
  const t0 = performance.now();
  await ssc.start();
  while (n < RECORDS) {
    const before = n;
    await ssc.step();
    if (n === before && batches > 2) throw new Error(`direct stream stalled at ${n} of ${RECORDS} records`);
  }
  const secs = (performance.now() - t0) / 1000;
  await ssc.stop(true, false);
  await KafkaClientCache.closeAll();
  if (n !== RECORDS) throw new Error(`direct stream read ${n} records, expected ${RECORDS}`);
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
    const topic = `bench-${Date.now()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    log(`producing ${RECORDS} records of ${RECORD_BYTES} bytes to ${topic} (${PARTITIONS} partitions)`);
    const produceSecs = PRODUCER === 'kafkajs' ? await produceAll(kafka, topic) : await produceWithJava(bootstrap, topic);
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((sum, o) => sum + Number(o.high), 0);
    if (total !== RECORDS) throw new Error(`the topic holds ${total} records, expected ${RECORDS}`);
    log(`produced in ${produceSecs.toFixed(1)} s`);

    const plain: number[] = [];
    const direct: number[] = [];
    let batches = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const p = await plainConsumer(kafka, topic, rep);
      plain.push(RECORDS / p);
      log(`plain kafkajs consumer: ${p.toFixed(2)} s, ${Math.round(RECORDS / p)} records/s`);
      const d = await directStream(bootstrap, topic);
      direct.push(RECORDS / d.secs);
      batches = d.batches;
      log(`direct stream: ${d.secs.toFixed(2)} s in ${d.batches} batches, ${Math.round(RECORDS / d.secs)} records/s`);
    }
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    const plainRate = median(plain);
    const directRate = median(direct);
    writeResult('kafka', {
      records: RECORDS,
      recordBytes: RECORD_BYTES,
      partitions: PARTITIONS,
      batchRecords: BATCH_RECORDS,
      directBatches: batches,
      reps: REPS,
      // Other processes share the machine: the two sides alternate so both see the same load.
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
      broker: broker ? `dedicated Kafka ${broker.version}` : `given: ${bootstrap}`,
      producer: PRODUCER === 'kafkajs' ? 'kafkajs producer' : 'Kafka Java producer (kafka-clients, acks=1, linger.ms=5, batch.size=256 KiB)',
      produceSeconds: Math.round(produceSecs * 10) / 10,
      produceRecordsPerSec: Math.round(RECORDS / produceSecs),
      plainKafkajsConsumer: { recordsPerSec: Math.round(plainRate), config: 'eachBatch, fromBeginning, default fetch sizes (1 MiB/partition), maxWaitTimeInMs 100' },
      directStream: { recordsPerSec: Math.round(directRate), config: `manual clock, 1 s batches of ${BATCH_RECORDS} records (maxRatePerPartition), local[${PARTITIONS}], max.partition.fetch.bytes 1 MiB, rdd.foreach count` },
      ratioDirectToPlain: Math.round((directRate / plainRate) * 1000) / 1000,
      allRecordsPerSec: { plain: plain.map(Math.round), direct: direct.map(Math.round) },
    });
  } finally {
    await broker?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
