/**
 * The job of `npm run bench -- kafka-group` (one process of it; index.ts starts them): a keyed stateful count
 * with CPU work per record, exactly-once into Kafka. Each record's value is hashed `work` rounds (the CPU-bound
 * part), mapWithState keeps a running count and hash per key, and every record's result goes to the output topic
 * in the batch's transaction. Group mode, member name and event log come from DSTREAMS_CONF.
 *
 *   member.ts <bootstrap> <groupId> <inputTopic> <outputTopic> <work> <checkpointDir>
 */
import { Milliseconds, SparkConf, type State, StateSpec, StreamingContext } from '../../lib';
import { ConsumerStrategies, KafkaUtils, LocationStrategies, memberCheckpointDir } from '../../receivers/kafka';

/** `rounds` rounds of xorshift over the text's char codes: CPU work a real job would spend parsing or scoring. */
function burn(text: string, rounds: number): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  for (let r = 0; r < rounds; r++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
  }
  return h >>> 0;
}

async function main(): Promise<void> {
  const [bootstrap, groupId, input, output, work, checkpointDir] = process.argv.slice(2);
  const rounds = Number(work);
  const conf = new SparkConf().setIfMissing('spark.app.name', 'kafka-group-bench').setIfMissing('spark.master', 'local[2]');
  const ssc = new StreamingContext(conf, Milliseconds(Number(process.env.DSTREAMS_BATCH_MS ?? '1000')));
  ssc.checkpoint(memberCheckpointDir(checkpointDir, conf));
  const records = KafkaUtils.createDirectStream<string, string>(
    ssc,
    LocationStrategies.PreferConsistent(),
    ConsumerStrategies.Subscribe([input], {
      'bootstrap.servers': bootstrap,
      'group.id': groupId,
      'key.deserializer': 'StringDeserializer',
      'value.deserializer': 'StringDeserializer',
      'auto.offset.reset': 'earliest',
      'max.partition.fetch.bytes': 4 * 1024 * 1024,
    }),
  );
  const scored = records.map((r) => [r.key, burn(r.value, rounds)] as [string, number]);
  const count = (key: string, score: number | undefined, state: State<[number, number]>): [string, number] => {
    const [n, h] = state.getOption() ?? [0, 0];
    state.update([n + 1, (h ^ (score ?? 0)) >>> 0]);
    return [key, n + 1];
  };
  scored.mapWithState(StateSpec.function(count)).toKafka(output, ([k, n]) => ({ key: k, value: String(n) }));
  await ssc.start();
  await ssc.awaitTermination();
}

main().catch((e: unknown) => {
  process.stderr.write(`kafka-group member failed: ${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
