/**
 * hdfs_wordcount: PySpark's `examples/src/main/python/streaming/hdfs_wordcount.py`, ported (1-second batches,
 * output through `pprint()`, which prints the batch time as Python's datetime).
 *
 *   Usage: hdfs_wordcount.ts <directory>
 *
 * Run it:
 *   npx tsx examples/hdfs_wordcount.ts /tmp/words
 * then move text files into the folder:
 *   echo "hello world hello" > /tmp/w.txt && mv /tmp/w.txt /tmp/words/
 */
import { SparkContext, StreamingContext, SparkConf, Seconds } from 'dstreams';
import { ExampleArgs, runMain } from './StreamingExamples';

async function main(argv: string[]): Promise<void> {
  new ExampleArgs(argv, 'Usage: hdfs_wordcount.ts <directory>', 'give a folder to watch, e.g. npx dstreams run examples/hdfs_wordcount.ts incoming (then add text files to it)', 255).expect(1, 1);

  const conf = new SparkConf().setAppName('PythonStreamingHDFSWordCount').set('dstreams.api.flavor', 'python');
  if (!conf.contains('spark.master')) conf.setMaster('local[2]');
  const sc = new SparkContext(conf);
  const ssc = new StreamingContext(sc, Seconds(1));

  const lines = ssc.textFileStream(argv[0]);
  const counts = lines
    .flatMap((line) => line.split(' '))
    .map((x) => [x, 1] as [string, number])
    .reduceByKey((a, b) => a + b);
  counts.pprint();

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
