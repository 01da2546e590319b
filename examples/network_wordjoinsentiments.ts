/**
 * network_wordjoinsentiments: PySpark's `examples/src/main/python/streaming/network_wordjoinsentiments.py`, ported.
 *
 * Shows the most positive words in UTF8 encoded, '\n' delimited text directly received the network every 5
 * seconds. The streaming data is joined with a static RDD of word sentiments, `word<TAB>score` lines
 * (Spark's example reads the AFINN-111 list from data/streaming/AFINN-111.txt; this one reads the small list in
 * examples/data/streaming/word-sentiments.txt, or the file named by `DSTREAMS_SENTIMENTS`).
 *
 *   Usage: network_wordjoinsentiments.ts <hostname> <port>
 *     <hostname> and <port> describe the TCP server that Spark Streaming would connect to receive data.
 *
 * To run this on your local machine, you need to first run a Netcat server
 *   `$ npx dstreams nc -lk 9999`
 * and then run the example
 *   `$ npx dstreams run examples/network_wordjoinsentiments.ts localhost 9999`
 *
 * Each batch prints `Happiest topics in the last 5 seconds (N total):` and up to five `word (score happiness)`
 * lines, happiest first. (PySpark's `line_to_tuple` splits on a space while the list is tab-separated; this one
 * splits on the tab, so the join finds the words.)
 */
import * as path from 'node:path';
import { type RDD, Seconds, SparkContext, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, pythonExampleConf, runMain, socketHint } from './StreamingExamples';

async function printHappiestWords(rdd: RDD<[number, string]>): Promise<void> {
  const topList = await rdd.take(5);
  console.log(`Happiest topics in the last 5 seconds (${await rdd.count()} total):`);
  for (const tuple of topList) console.log(`${tuple[1]} (${Math.trunc(tuple[0])} happiness)`);
}

async function main(argv: string[]): Promise<void> {
  const cli = new ExampleArgs(argv, 'Usage: network_wordjoinsentiments.ts <hostname> <port>', socketHint('network_wordjoinsentiments.ts'), 255).expect(2, 2);

  const sc = new SparkContext(pythonExampleConf('PythonStreamingNetworkWordJoinSentiments'));
  const ssc = new StreamingContext(sc, batchDuration(Seconds(5)));

  const lineToTuple = (line: string): [string, string] => {
    const kv = line.split('\t');
    return kv.length === 2 ? [kv[0], kv[1]] : ['', ''];
  };

  // Read in the word-sentiment list and create a static RDD from it
  const wordSentimentsFilePath = process.env.DSTREAMS_SENTIMENTS ?? path.join(__dirname, 'data/streaming/word-sentiments.txt');
  const wordSentiments = ssc.sparkContext.textFile(wordSentimentsFilePath).map(lineToTuple);

  const lines = ssc.socketTextStream(argv[0], cli.port(1));
  const wordCounts = lines
    .flatMap((line) => line.split(' '))
    .map((word) => [word, 1] as [string, number])
    .reduceByKey((a, b) => a + b);

  // Determine the words with the highest sentiment values by joining the streaming RDD
  // with the static RDD inside the transform() method and then multiplying
  // the frequency of the words by its sentiment value
  const happiestWords = wordCounts
    .transform((rdd) => wordSentiments.join(rdd))
    .map(([word, [score, count]]) => [word, Number(score) * count] as [string, number])
    .map(([word, happiness]) => [happiness, word] as [number, string])
    .transform((rdd) => rdd.sortByKey(false));

  happiestWords.foreachRDD(printHappiestWords);

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
