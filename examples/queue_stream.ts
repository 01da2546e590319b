/**
 * queue_stream: PySpark's `examples/src/main/python/streaming/queue_stream.py`, ported line for line (for people
 * porting PySpark programs; see QueueStream.ts for the Scala original).
 *
 * Five RDDs of 1..1000 in 10 partitions are queued up front; each one-second batch takes one and prints the counts
 * by last digit with `pprint()` (PySpark's layout: `Time: 2014-10-19 20:56:41`, `(0, 100)`). After six seconds
 * the context stops gracefully.
 *
 *   npx tsx examples/queue_stream.ts
 *   QUEUE_STREAM_RDDS=2 npx tsx examples/queue_stream.ts     (fewer RDDs, sleeps RDDs + 1 seconds)
 */
import { type RDD, SparkConf, SparkContext, StreamingContext, Seconds } from 'dstreams';
import { exitOnError } from './StreamingExamples';

const numRdds = Number(process.env.QUEUE_STREAM_RDDS ?? 5);
const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const range = (from: number, until: number): number[] => Array.from({ length: until - from }, (_, i) => from + i);

async function main(): Promise<void> {
  // A PySpark port: PySpark's partitioning and order (dstreams.api.flavor).
  const sc = new SparkContext('local[*]', 'PythonStreamingQueueStream', new SparkConf().set('dstreams.api.flavor', 'python'));
  const ssc = new StreamingContext(sc, Seconds(1));

  // Create the queue through which RDDs can be pushed to a QueueInputDStream
  const rddQueue: RDD<number>[] = [];
  for (let i = 0; i < numRdds; i++) rddQueue.push(ssc.sparkContext.parallelize(range(1, 1001), 10));

  // Create the QueueInputDStream and use it do some processing
  const inputStream = ssc.queueStream(rddQueue);
  const mappedStream = inputStream.map((x) => [x % 10, 1] as [number, number]);
  const reducedStream = mappedStream.reduceByKey((a, b) => a + b);
  reducedStream.pprint();

  await ssc.start();
  await sleep(numRdds + 1);
  await ssc.stop(true, true);
}

main().catch(exitOnError);
