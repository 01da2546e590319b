/**
 * network_wordcount: PySpark's `examples/src/main/python/streaming/network_wordcount.py`, ported.
 *
 * Counts words in UTF8 encoded, '\n' delimited text received from the network every second.
 *
 *   Usage: network_wordcount.ts <hostname> <port>
 *     <hostname> and <port> describe the TCP server that Spark Streaming would connect to receive data.
 *
 * To run this on your local machine, you need to first run a Netcat server
 *   `$ npx dstreams nc -lk 9999`
 * and then run the example
 *   `$ npx dstreams run examples/network_wordcount.ts localhost 9999`
 * Output is PySpark's `pprint()`: `Time: 2014-10-19 20:56:41` headers and `('word', 3)` tuples.
 */
import { Seconds, SparkContext, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, pythonExampleConf, runMain, socketHint } from './StreamingExamples';

async function main(argv: string[]): Promise<void> {
  const cli = new ExampleArgs(argv, 'Usage: network_wordcount.ts <hostname> <port>', socketHint('network_wordcount.ts'), 255).expect(2, 2);
  const sc = new SparkContext(pythonExampleConf('PythonStreamingNetworkWordCount'));
  const ssc = new StreamingContext(sc, batchDuration(Seconds(1)));

  const lines = ssc.socketTextStream(argv[0], cli.port(1));
  const counts = lines
    .flatMap((line) => line.split(' '))
    .map((word) => [word, 1] as [string, number])
    .reduceByKey((a, b) => a + b);
  counts.pprint();

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
