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

async function main(argv: string[]): Promise<void> {
  if (argv.length !== 1) {
    console.error('Usage: hdfs_wordcount.ts <directory>');
    process.exit(255);
  }

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

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
