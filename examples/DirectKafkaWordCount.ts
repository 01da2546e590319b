/**
 * DirectKafkaWordCount: Spark's
 * `examples/src/main/scala/org/apache/spark/examples/streaming/DirectKafkaWordCount.scala`, ported.
 *
 * Consumes messages from one or more topics in Kafka and does wordcount, in 2-second batches.
 *
 *   Usage: DirectKafkaWordCount <brokers> <groupId> <topics>
 *     <brokers> is a list of one or more Kafka brokers
 *     <groupId> is a consumer group name to consume from topics
 *     <topics> is a list of one or more kafka topics to consume from
 *
 * Run it against the project's own broker (a JDK and Maven are needed; the first start downloads Kafka):
 *   scripts/kafka-broker start --detach          # prints {"bootstrap":"127.0.0.1:<port>",...}
 *   npx tsx examples/DirectKafkaWordCount.ts 127.0.0.1:<port> my-group words
 * The topic must exist (dstreams does not auto-create it); make it and write some lines, e.g. with kafkajs:
 *   node -e "const {Kafka}=require('kafkajs');const k=new Kafka({brokers:['127.0.0.1:<port>']});(async()=>{
 *     const a=k.admin();await a.connect();await a.createTopics({topics:[{topic:'words',numPartitions:2}]});
 *     const p=k.producer();await p.connect();await p.send({topic:'words',messages:[{value:'hello world hello'}]});
 *     await p.disconnect();await a.disconnect()})()"
 * and stop the broker with `scripts/kafka-broker stop`. Any other Kafka 3.x/4.x broker works the same way.
 *
 * As in Spark's example, the stream starts where the group committed (or at the latest offset for a new group:
 * Kafka's `auto.offset.reset` default) and commits nothing; see docs/kafka.md for commitAsync.
 * The master defaults to local[2]; `DSTREAMS_CONF="spark.master=local[4]"` overrides it, as spark-submit would.
 * `DSTREAMS_BATCH_MS=500` shortens the batch (see StreamingExamples.ts).
 */
import { ConsumerStrategies, KafkaUtils, LocationStrategies, Seconds, SparkConf, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, runMain } from './StreamingExamples';

async function main(args: string[]): Promise<void> {
  new ExampleArgs(
    args,
    'Usage: DirectKafkaWordCount <brokers> <groupId> <topics>',
    '<brokers> is a list of one or more Kafka brokers, <groupId> a consumer group, <topics> a list of one or more topics; e.g. npx dstreams run examples/DirectKafkaWordCount.ts 127.0.0.1:9092 my-group words',
  ).expect(3);

  const [brokers, groupId, topics] = args;

  // Create context with 2 second batch interval
  const sparkConf = new SparkConf().setAppName('DirectKafkaWordCount');
  if (!sparkConf.contains('spark.master')) sparkConf.setMaster('local[2]');
  const ssc = new StreamingContext(sparkConf, batchDuration(Seconds(2)));

  // Create direct kafka stream with brokers and topics
  const topicsSet = new Set(topics.split(','));
  const kafkaParams = {
    'bootstrap.servers': brokers,
    'group.id': groupId,
    'key.deserializer': 'org.apache.kafka.common.serialization.StringDeserializer',
    'value.deserializer': 'org.apache.kafka.common.serialization.StringDeserializer',
  };
  const messages = KafkaUtils.createDirectStream<string, string>(
    ssc,
    LocationStrategies.PreferConsistent(),
    ConsumerStrategies.Subscribe<string, string>(topicsSet, kafkaParams),
  );

  // Get the lines, split them into words, count the words and print
  const lines = messages.map((r) => r.value);
  const words = lines.flatMap((l) => l.split(' '));
  const wordCounts = words.map((x) => [x, 1] as [string, number]).reduceByKey((a, b) => a + b);
  wordCounts.print();

  // Start the computation
  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
