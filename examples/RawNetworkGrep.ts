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
import { ExampleArgs, exampleConf, runMain } from './StreamingExamples';

async function main(args: string[]): Promise<void> {
  const cli = new ExampleArgs(
    args,
    'Usage: RawNetworkGrep <numStreams> <host> <port> <batchMillis>',
    'start a RawTextSender first (npx dstreams run examples/RawTextSender.ts 9999 <file> 100000 10000000), then: npx dstreams run examples/RawNetworkGrep.ts 2 localhost 9999 1000',
  ).expect(4);

  const [numStreams, host, port, batchMillis] = [cli.positiveInt(0, '<numStreams>'), args[1], cli.port(2), cli.positiveInt(3, '<batchMillis>')];
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
