/**
 * RawNetworkGrep: Spark's `examples/src/main/scala/org/apache/spark/examples/streaming/RawNetworkGrep.scala`,
 * ported.
 *
 * Receives text from multiple rawNetworkStreams and counts how many '\n' delimited lines have the word 'the' in
 * them. This is useful for benchmarking purposes. This will only work with spark.streaming.util.RawTextSender
 * running on all worker nodes (here: examples/RawTextSender.ts). Usage: RawNetworkGrep <numStreams> <host> <port>
 * <batchMillis>
 *   <numStream> is the number rawNetworkStreams, which should be same as number of work nodes in the cluster
 *   <host> is "localhost".
 *   <port> is the port on which RawTextSender is running in the worker nodes.
 *   <batchMillis> is the Spark Streaming batch duration in milliseconds.
 *
 * Run it on your machine:
 *   `$ npx dstreams run examples/RawTextSender.ts 9999 README.md 100000 1000000`
 *   `$ npx dstreams run examples/RawNetworkGrep.ts 1 localhost 9999 1000`
 * Each batch prints `Grep count: N`.
 */
import { Milliseconds, StorageLevel, StreamingContext } from 'dstreams';
import { exampleConf, runMain } from './StreamingExamples';

async function main(args: string[]): Promise<void> {
  if (args.length !== 4) {
    console.error('Usage: RawNetworkGrep <numStreams> <host> <port> <batchMillis>');
    process.exit(1);
  }

  const [numStreams, host, port, batchMillis] = [Number(args[0]), args[1], Number(args[2]), Number(args[3])];
  const sparkConf = exampleConf('RawNetworkGrep');
  // Create the context
  const ssc = new StreamingContext(sparkConf, Milliseconds(batchMillis));

  const rawStreams = Array.from({ length: numStreams }, () => ssc.rawSocketStream<string>(host, port, StorageLevel.MEMORY_ONLY_SER_2));
  const union = ssc.union(rawStreams);
  union
    .filter((l) => l.includes('the'))
    .count()
    .foreachRDD(async (r) => {
      console.log(`Grep count: ${(await r.collect()).join('')}`);
    });
  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
