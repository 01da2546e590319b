/**
 * checkpointed-socket-wordcount: the program of the Structured Streaming checkpoint articles, as a DStream program.
 *
 * The Structured Streaming original reads lines from a socket, splits them into words, keeps running counts,
 * prints them to the console every trigger and stores its progress in a checkpoint location, so that a query
 * killed and started again goes on with the same counts:
 *
 *   lines = spark.readStream.format("socket").option("host", "localhost").option("port", 9999).load()
 *   words = lines.select(explode(split(lines.value, " ")).alias("word"))
 *   wordCounts = words.groupBy("word").count()
 *   wordCounts.writeStream.outputMode("complete").format("console")
 *     .option("checkpointLocation", "/tmp/checkpoint").start().awaitTermination()
 *
 * Here: `socketTextStream` → `flatMap(split)` → `updateStateByKey` (the running counts, all words every batch, as
 * the "complete" output mode) → `print(20)` (20 rows, as the console sink), with `ssc.checkpoint(location)` and
 * `StreamingContext.getOrCreate(location, create)` for the restart. The receiver write-ahead log is on, so lines
 * received but not yet counted when the process dies are counted after the restart (a socket cannot replay them).
 *
 *   Usage: checkpointed-socket-wordcount <hostname> <port> [<checkpoint-location>]
 *     <checkpoint-location> defaults to ./checkpoint
 *
 *   `$ npx dstreams nc -lk 9999`                                    (type words here)
 *   `$ npx dstreams run examples/checkpointed-socket-wordcount.ts localhost 9999 /tmp/checkpoint`
 * Kill it (Ctrl-C, or `kill -9`), run the same command again: it says "Recovered from checkpoint" and the counts
 * go on from where they were. Delete the checkpoint folder to start from zero.
 */
import { Seconds, SparkConf, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, runMain, socketHint } from './StreamingExamples';

function createContext(host: string, port: number, checkpointLocation: string): StreamingContext {
  const conf = new SparkConf()
    .setAppName('CheckpointedSocketWordCount')
    .setIfMissing('spark.master', 'local[2]')
    .set('spark.streaming.receiver.writeAheadLog.enable', 'true');
  const ssc = new StreamingContext(conf, batchDuration(Seconds(1)));
  ssc.checkpoint(checkpointLocation);

  const lines = ssc.socketTextStream(host, port);
  const words = lines.flatMap((line) => line.split(' ')).filter((w) => w !== '');
  const wordCounts = words
    .map((word) => [word, 1] as [string, number])
    .updateStateByKey((counts: number[], total: number | undefined) => (total ?? 0) + counts.length);
  wordCounts.print(20);
  return ssc;
}

async function main(args: string[]): Promise<void> {
  const cli = new ExampleArgs(args, 'Usage: checkpointed-socket-wordcount <hostname> <port> [<checkpoint-location>]', socketHint('checkpointed-socket-wordcount.ts')).expect(2, 3);
  const [host, , checkpointLocation = 'checkpoint'] = args;
  const port = cli.port(1);
  const ssc = StreamingContext.getOrCreate(checkpointLocation, () => createContext(host, port, checkpointLocation));
  if (ssc.isCheckpointPresent) {
    const cp = ssc.restoredCheckpoint!;
    console.log(`Recovered from checkpoint ${ssc.checkpointDir} at ${cp.checkpointTime}: the counts go on`);
  } else {
    console.log(`Starting with empty counts; checkpoints go to ${ssc.checkpointDir}`);
  }
  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
