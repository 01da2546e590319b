/**
 * KafkaGroupWordCount: a keyed stateful word count that runs as one process or as many, sharing the work through a
 * Kafka consumer group (docs/scaling-out.md). No Spark original: Spark would run it on executors; here each
 * process reads its share of the input partitions.
 *
 *   Usage: KafkaGroupWordCount <brokers> <groupId> <inputTopic> <outputTopic> [<checkpointDir>]
 *
 * The input records are keyed by word (Kafka's default partitioner puts every record of a word in one partition);
 * for each record the program writes `word` → `running count` to <outputTopic>, in the batch's Kafka transaction
 * with the input offsets. Run it as one process (Spark's mapWithState, one transaction per batch):
 *   npx dstreams run examples/KafkaGroupWordCount.ts 127.0.0.1:<port> wc words counts
 * or as several (each in its own terminal, or on its own machine against the same cluster):
 *   DSTREAMS_CONF="dstreams.kafka.groupMode=true;dstreams.kafka.group.member=m1" npx dstreams run examples/KafkaGroupWordCount.ts 127.0.0.1:<port> wc words counts
 *   DSTREAMS_CONF="dstreams.kafka.groupMode=true;dstreams.kafka.group.member=m2" npx dstreams run examples/KafkaGroupWordCount.ts 127.0.0.1:<port> wc words counts
 * In group mode each process counts the words of its partitions, keeps their state in the compacted changelog
 * topic `KafkaGroupWordCount-mapWithState-<n>-changelog`, and a partition that moves (a process stops, dies or
 * joins) continues on its new owner from the committed offsets and the changelog. Read the output with a consumer
 * at `isolation.level=read_committed`. Both topics must exist (the changelog is made). SIGTERM (Ctrl-C) stops
 * after the running batch with `spark.streaming.stopGracefullyOnShutdown=true`.
 */
import { ConsumerStrategies, KafkaUtils, LocationStrategies, memberCheckpointDir, Seconds, SparkConf, State, StateSpec, StreamingContext } from 'dstreams';
import { batchDuration, runMain } from './StreamingExamples';

async function main(args: string[]): Promise<void> {
  if (args.length < 4) {
    console.error('Usage: KafkaGroupWordCount <brokers> <groupId> <inputTopic> <outputTopic> [<checkpointDir>]');
    process.exit(1);
  }
  const [brokers, groupId, inputTopic, outputTopic, checkpointBase = 'checkpoint'] = args;

  const conf = new SparkConf().setIfMissing('spark.app.name', 'KafkaGroupWordCount').setIfMissing('spark.master', 'local[2]');
  const ssc = new StreamingContext(conf, batchDuration(Seconds(1)));
  // Group mode: <checkpointDir>/members/<member>, one folder per process; otherwise <checkpointDir> itself.
  ssc.checkpoint(memberCheckpointDir(checkpointBase, conf));

  const records = KafkaUtils.createDirectStream<string, string>(
    ssc,
    LocationStrategies.PreferConsistent(),
    ConsumerStrategies.Subscribe([inputTopic], {
      'bootstrap.servers': brokers,
      'group.id': groupId,
      'key.deserializer': 'StringDeserializer',
      'value.deserializer': 'StringDeserializer',
      'auto.offset.reset': 'earliest',
    }),
  );

  // Every record of a word is in one partition, so its count needs no shuffle: the state follows the partition.
  const words = records.map((r) => [r.key, 1] as [string, number]);
  const count = (word: string, one: number | undefined, state: State<number>): [string, number] => {
    const sum = (one ?? 0) + (state.getOption() ?? 0);
    state.update(sum);
    return [word, sum];
  };
  const counts = words.mapWithState(StateSpec.function(count));
  counts.toKafka(outputTopic, ([word, n]) => ({ key: word, value: String(n) }));

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
