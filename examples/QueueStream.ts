/**
 * QueueStream: Spark's `examples/src/main/scala/org/apache/spark/examples/streaming/QueueStream.scala`, ported.
 *
 * Creates a queue of RDDs, a queueStream over it, and counts the numbers of each batch by their last digit:
 * every batch prints `(0,100)` .. `(9,100)` in Spark's `print()` layout. It pushes 30 RDDs of 1..1000 in 10
 * partitions, one per second, on the system clock.
 *
 *   npx tsx examples/QueueStream.ts
 *   QUEUE_STREAM_RDDS=3 npx tsx examples/QueueStream.ts     (a shorter run)
 *
 * One difference from the Scala program: Spark's calls `ssc.stop()` right after the last one-second sleep, which can
 * cut the batch that took the last RDD. This one waits until the queue is drained and stops gracefully, so every
 * pushed RDD's batch is printed (a graceful stop runs one more, empty, batch), then the process exits by itself.
 */
import { type RDD, Seconds, SparkConf, StreamingContext } from 'dstreams';
import { exitOnError } from './StreamingExamples';

const numRdds = Number(process.env.QUEUE_STREAM_RDDS ?? 30);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  // spark-submit supplies the master in Spark; here DSTREAMS_CONF="spark.master=..." may, else local[2].
  const sparkConf = new SparkConf().setAppName('QueueStream').setIfMissing('spark.master', 'local[2]');
  // Create the context
  const ssc = new StreamingContext(sparkConf, Seconds(1));

  // Create the queue through which RDDs can be pushed to a QueueInputDStream
  const rddQueue: RDD<number>[] = [];

  // Create the QueueInputDStream and use it do some processing
  const inputStream = ssc.queueStream(rddQueue);
  const mappedStream = inputStream.map((x) => [x % 10, 1] as [number, number]);
  const reducedStream = mappedStream.reduceByKey((a, b) => a + b);
  reducedStream.print();
  await ssc.start();

  // Create and push some RDDs into rddQueue
  const oneToThousand = Array.from({ length: 1000 }, (_, i) => i + 1);
  for (let i = 1; i <= numRdds; i++) {
    rddQueue.push(ssc.sparkContext.makeRDD(oneToThousand, 10));
    await sleep(1000);
  }
  while (rddQueue.length > 0) await sleep(100);
  await ssc.stop(true, true);
}

main().catch(exitOnError);
