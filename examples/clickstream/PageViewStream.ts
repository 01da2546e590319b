/**
 * PageViewStream: Spark's
 * `examples/src/main/scala/org/apache/spark/examples/streaming/clickstream/PageViewStream.scala`, ported.
 *
 * Analyses a streaming dataset of web page views. This class demonstrates several types of operators available in
 * Spark streaming.
 *
 * This should be used in tandem with PageViewGenerator.ts. Example:
 * To run the generator
 *   `$ npx dstreams run examples/clickstream/PageViewGenerator.ts 44444 10`
 * To process the generated stream
 *   `$ npx dstreams run examples/clickstream/PageViewStream.ts errorRatePerZipCode localhost 44444`
 *
 *   Usage: PageViewStream <metric> <host> <port>
 *     <metric> must be one of pageCounts, slidingPageCounts, errorRatePerZipCode, activeUserCount, popularUsersSeen
 *
 * Differences from Spark's: `slidingPageCounts` (countByValueAndWindow, an incremental window) needs a checkpoint
 * folder, which Spark's example never sets (it fails there at start); this one uses ./checkpoint for it. Error
 * ratios print as Java prints a Float (`0.04761905`). `DSTREAMS_BATCH_MS` shortens the 1 s batch, and the windows
 * keep their number of batches.
 */
import { Seconds, StreamingContext } from 'dstreams';
import { batchDuration, ExampleArgs, runMain, scaled } from '../StreamingExamples';
import { PageView } from './PageViewGenerator';

/** Java's `Float.toString`: the shortest decimal that reads back as the same 32-bit float. */
function javaFloatString(x: number): string {
  const f = Math.fround(x);
  if (Number.isInteger(f) && Math.abs(f) < 1e7) return f.toFixed(1);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) {
      const n = Number(s);
      return Math.abs(n) >= 1e-3 && Math.abs(n) < 1e7 ? String(n) : n.toExponential().replace('e', 'E').replace('+', '');
    }
  }
  return String(f);
}

async function main(args: string[]): Promise<void> {
  const cli = new ExampleArgs(
    args,
    'Usage: PageViewStream <metric> <host> <port>',
    '<metric> must be one of pageCounts, slidingPageCounts, errorRatePerZipCode, activeUserCount, popularUsersSeen; start PageViewGenerator first, e.g. npx dstreams run examples/clickstream/PageViewStream.ts errorRatePerZipCode localhost 44444',
  ).expect(3, 3);
  const [metric, host, port] = [args[0], args[1], cli.port(2)];
  const second = Seconds(1);
  const secs = (n: number) => scaled(Seconds(n), second);

  // Create the context
  const ssc = new StreamingContext('local[2]', 'PageViewStream', batchDuration(second));

  // Create a ReceiverInputDStream on target host:port and convert each line to a PageView
  const pageViews = ssc
    .socketTextStream(host, port)
    .flatMap((l) => l.split('\n'))
    .map((l) => PageView.fromString(l));

  // Return a count of views per URL seen in each batch
  const pageCounts = pageViews.map((view) => view.url).countByValue();

  // Return a sliding window of page views per URL in the last ten seconds
  const slidingPageCounts = pageViews.map((view) => view.url).countByValueAndWindow(secs(10), secs(2));

  // Return the rate of error pages (a non 200 status) in each zip code over the last 30 seconds
  const statusesPerZipCode = pageViews
    .window(secs(30), secs(2))
    .map((view) => [view.zipCode, view.status] as [number, number])
    .groupByKey();
  const errorRatePerZipCode = statusesPerZipCode.map(([zip, statuses]) => {
    const normalCount = statuses.filter((s) => s === 200).length;
    const errorCount = statuses.length - normalCount;
    const errorRatio = Math.fround(errorCount / statuses.length);
    if (errorRatio > 0.05) return `${zip}: **${javaFloatString(errorRatio)}**`;
    return `${zip}: ${javaFloatString(errorRatio)}`;
  });

  // Return the number unique users in last 15 seconds
  const activeUserCount = pageViews
    .window(secs(15), secs(2))
    .map((view) => [view.userID, 1] as [number, number])
    .groupByKey()
    .count()
    .map((n) => 'Unique active users: ' + n);

  // An external dataset we want to join to this stream
  const userList = ssc.sparkContext.parallelize<[number, string]>([
    [1, 'Patrick Wendell'],
    [2, 'Reynold Xin'],
    [3, 'Matei Zaharia'],
  ]);

  switch (metric) {
    case 'pageCounts':
      pageCounts.print();
      break;
    case 'slidingPageCounts':
      ssc.checkpoint('checkpoint');
      slidingPageCounts.print();
      break;
    case 'errorRatePerZipCode':
      errorRatePerZipCode.print();
      break;
    case 'activeUserCount':
      activeUserCount.print();
      break;
    case 'popularUsersSeen':
      // Look for users in our existing dataset and print it out if we have a match
      pageViews
        .map((view) => [view.userID, 1] as [number, number])
        .foreachRDD(async (rdd, time) => {
          const users = await rdd
            .join(userList)
            .map(([, [, name]]) => name)
            .take(10);
          for (const u of users) console.log(`Saw user ${u} at time ${time}`);
        });
      break;
    default:
      console.log(`Invalid metric entered: ${metric}`);
  }

  await ssc.start();
  await ssc.awaitTermination();
}

runMain(main);
