/**
 * HdfsWordCount: Spark's `examples/src/main/scala/org/apache/spark/examples/streaming/HdfsWordCount.scala`, ported.
 *
 * Counts words in new text files created in the given directory, in 2-second batches.
 *
 *   Usage: HdfsWordCount <directory>
 *     <directory> is the folder dstreams monitors for new text files (Spark: a Hadoop-compatible path;
 *     here a local folder, optionally a glob such as `logs/*\/`).
 *
 * Run it:
 *   npx tsx examples/HdfsWordCount.ts /tmp/words
 * then, in another shell, create files in the folder. Write them elsewhere and move them in, so that each file
 * appears whole (files already there when the program starts are ignored):
 *   echo "hello world hello" > /tmp/w.txt && mv /tmp/w.txt /tmp/words/
 *
 * The master defaults to local[2]; `DSTREAMS_CONF="spark.master=local[4]"` overrides it, as spark-submit would.
 */
import { Seconds, SparkConf, StreamingContext } from 'dstreams';
import { ExampleArgs, runMain } from './StreamingExamples';

async function main(args: string[]): Promise<void> {
  new ExampleArgs(args, 'Usage: HdfsWordCount <directory>', 'give a folder to watch, e.g. npx dstreams run examples/HdfsWordCount.ts incoming (then add text files to it)').expect(1);

  const sparkConf = new SparkConf().setAppName('HdfsWordCount');
  if (!sparkConf.contains('spark.master')) sparkConf.setMaster('local[2]');
  // Create the context
  const ssc = new StreamingContext(sparkConf, Seconds(2));

  // Create the FileInputDStream on the directory and use the
  // stream to count words in new files created
  const lines = ssc.textFileStream(args[0]);
  const words = lines.flatMap((l) => l.split(' '));
  const wordCounts = words.map((x) => [x, 1] as [string, number]).reduceByKey((a, b) => a + b);
  wordCounts.print();
  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
