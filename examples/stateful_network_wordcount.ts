/**
 * stateful_network_wordcount: PySpark's `examples/src/main/python/streaming/stateful_network_wordcount.py`, ported.
 *
 * Counts words in UTF8 encoded, '\n' delimited text received from the network every second.
 *
 *   Usage: stateful_network_wordcount.ts <hostname> <port>
 *     <hostname> and <port> describe the TCP server that Spark Streaming would connect to receive data.
 *
 * To run this on your local machine, you need to first run a Netcat server
 *   `$ npx dstreams nc -lk 9999`
 * and then run the example
 *   `$ npx dstreams run examples/stateful_network_wordcount.ts localhost 9999`
 *
 * Each batch `pprint()`s the running count of every word seen so far (updateStateByKey keeps all keys), starting
 * from `('hello', 1)` and `('world', 1)`. Checkpoints go to ./checkpoint, as in PySpark's.
 */
import { Seconds, SparkContext, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, pythonExampleConf, runMain, socketHint } from './StreamingExamples';

async function main(argv: string[]): Promise<void> {
  const cli = new ExampleArgs(argv, 'Usage: stateful_network_wordcount.ts <hostname> <port>', socketHint('stateful_network_wordcount.ts'), 255).expect(2, 2);
  const sc = new SparkContext(pythonExampleConf('PythonStreamingStatefulNetworkWordCount'));
  const ssc = new StreamingContext(sc, batchDuration(Seconds(1)));
  ssc.checkpoint('checkpoint');

  // RDD with initial state (key, value) pairs
  const initialStateRDD = sc.parallelize<[string, number]>([
    ['hello', 1],
    ['world', 1],
  ]);

  const updateFunc = (newValues: number[], lastSum: number | undefined): number => newValues.reduce((a, b) => a + b, 0) + (lastSum ?? 0);

  const lines = ssc.socketTextStream(argv[0], cli.port(1));
  const runningCounts = lines
    .flatMap((line) => line.split(' '))
    .map((word) => [word, 1] as [string, number])
    .updateStateByKey(updateFunc, undefined, initialStateRDD);

  runningCounts.pprint();

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
