/**
 * KafkaWordCount: Spark's `examples/src/main/scala/org/apache/spark/examples/streaming/KafkaWordCount.scala`
 * (Spark 1.x/2.x, the receiver-based Kafka stream), ported, with Kafka brokers in place of the ZooKeeper quorum.
 *
 * Consumes messages from one or more topics in Kafka and does wordcount over the last 10 minutes, every 2 seconds.
 *
 *   Usage: KafkaWordCount <brokers> <group> <topics> <numThreads>
 *     <brokers> is a list of one or more Kafka brokers (Spark's example took <zkQuorum>, the ZooKeeper quorum)
 *     <group> is the name of the Kafka consumer group this receiver joins
 *     <topics> is a list of one or more kafka topics to consume from
 *     <numThreads> is the number of threads (partitions consumed concurrently) per topic
 *
 * Run it against the project's own broker (a JDK and Maven are needed; the first start downloads Kafka):
 *   scripts/kafka-broker start --detach          # prints {"bootstrap":"127.0.0.1:<port>",...}
 *   export DSTREAMS_KAFKA_BOOTSTRAP=127.0.0.1:<port>
 *   npx tsx examples/KafkaWordCount.ts $DSTREAMS_KAFKA_BOOTSTRAP my-consumer-group topic1,topic2 1
 * The topics must exist (dstreams does not create them). Make one and feed it with the load generator
 * (Spark's companion KafkaWordCountProducer), e.g.:
 *   node -e "const {Kafka}=require('kafkajs');const a=new Kafka({brokers:[process.env.DSTREAMS_KAFKA_BOOTSTRAP]}).admin();
 *     a.connect().then(()=>a.createTopics({topics:[{topic:'topic1',numPartitions:2}]})).then(()=>a.disconnect())"
 *   npx dstreams generate words --rate 10 --kafka topic1 --brokers $DSTREAMS_KAFKA_BOOTSTRAP
 * and stop the broker with `scripts/kafka-broker stop`. Any other Kafka 3.x/4.x broker works the same way.
 *
 * As in Spark, the stream runs the plain receiver unless the receiver write-ahead log is on; turn it on for the
 * reliable receiver (offsets committed only after the blocks are in the WAL under ./checkpoint):
 *   DSTREAMS_CONF="spark.streaming.receiver.writeAheadLog.enable=true" npx tsx examples/KafkaWordCount.ts ...
 * A new group starts at the latest offsets (Kafka's `auto.offset.reset` default), then where it committed.
 * The master defaults to local[2]; `DSTREAMS_BATCH_MS=500` shortens the batch (and the slide with it).
 */
import { KafkaUtils, Minutes, Seconds, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, exampleConf, runMain } from './StreamingExamples';

async function main(args: string[]): Promise<void> {
  new ExampleArgs(args, 'Usage: KafkaWordCount <brokers> <group> <topics> <numThreads>', 'e.g. npx dstreams run examples/KafkaWordCount.ts 127.0.0.1:9092 my-group words 1').expect(4);

  const [brokers, group, topics, numThreads] = args;
  const sparkConf = exampleConf('KafkaWordCount');
  const batch = batchDuration(Seconds(2));
  const ssc = new StreamingContext(sparkConf, batch);
  ssc.checkpoint('checkpoint');

  const topicMap = Object.fromEntries(topics.split(',').map((t) => [t, Number(numThreads)]));
  const lines = KafkaUtils.createStream(ssc, brokers, group, topicMap).map(([, value]) => value);
  const words = lines.flatMap((l) => l.split(' '));
  const wordCounts = words
    .map((x) => [x, 1] as [string, number])
    .reduceByKeyAndWindow(
      (a: number, b: number) => a + b,
      (a: number, b: number) => a - b,
      Minutes(10),
      batch,
      2,
    );
  wordCounts.print();

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
