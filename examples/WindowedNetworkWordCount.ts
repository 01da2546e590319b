/**
 * WindowedNetworkWordCount: the windowed word count of Spark's Streaming Programming Guide ("Window Operations":
 * `reduceByKeyAndWindow((a: Int, b: Int) => (a + b), Seconds(30), Seconds(10))` and its incremental form with an
 * inverse function, `reduceByKeyAndWindow(_ + _, _ - _, Seconds(30), Seconds(10))`), as a program in the style of
 * NetworkWordCount. Spark's examples folder has no file for it.
 *
 *   Usage: WindowedNetworkWordCount <hostname> <port> [<windowSeconds> <slideSeconds>]
 *     <hostname> and <port> describe the TCP server that Spark Streaming would connect to receive data.
 *     <windowSeconds> (default 30) and <slideSeconds> (default 10): multiples of the 1 second batch.
 *
 * To run this on your local machine, you need to first run a Netcat server
 *   `$ npx dstreams nc -lk 9999`
 * and then run the example
 *   `$ npx dstreams run examples/WindowedNetworkWordCount.ts localhost 9999 30 10`
 *
 * Every slide prints two blocks with the same `Time:`: first the counts of the last <windowSeconds> computed
 * from the window's batches (`reduceByKeyAndWindow(func, window, slide)`), then the same counts kept up
 * incrementally (`reduceByKeyAndWindow(func, invFunc, window, slide)`: the new slide's counts added, the counts of
 * the slide that left the window subtracted). The incremental form keeps a word whose count fell to 0, as Spark's
 * does unless a filter function drops it; it needs a checkpoint folder (./checkpoint here).
 *
 * `DSTREAMS_BATCH_MS=200` shortens the batch; the window and slide keep their number of batches.
 */
import { Seconds, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, exampleConf, runMain, scaled, socketHint } from './StreamingExamples';

async function main(args: string[]): Promise<void> {
  const cli = new ExampleArgs(args, 'Usage: WindowedNetworkWordCount <hostname> <port> [<windowSeconds> <slideSeconds>]', socketHint('WindowedNetworkWordCount.ts', 'localhost 9999 30 10')).expect(2, 4);
  const [host, port] = [args[0], cli.port(1)];
  const windowLength = scaled(Seconds(args.length === 4 ? cli.positiveInt(2, '<windowSeconds>') : 30), Seconds(1));
  const slideInterval = scaled(Seconds(args.length === 4 ? cli.positiveInt(3, '<slideSeconds>') : 10), Seconds(1));

  const ssc = new StreamingContext(exampleConf('WindowedNetworkWordCount'), batchDuration(Seconds(1)));
  ssc.checkpoint('checkpoint');

  const lines = ssc.socketTextStream(host, port);
  const pairs = lines.flatMap((l) => l.split(' ')).map((word) => [word, 1] as [string, number]);

  // Reduce last 30 seconds of data, every 10 seconds
  const windowedWordCounts = pairs.reduceByKeyAndWindow((a: number, b: number) => a + b, windowLength, slideInterval);
  windowedWordCounts.print();

  // The same, incrementally: add the counts entering the window, subtract those leaving it
  const incrementalWordCounts = pairs.reduceByKeyAndWindow(
    (a: number, b: number) => a + b,
    (a: number, b: number) => a - b,
    windowLength,
    slideInterval,
  );
  incrementalWordCounts.print();

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
