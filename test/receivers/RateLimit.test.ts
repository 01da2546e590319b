/**
 * spark.streaming.receiver.maxRate on a real socket, in real time: a sender far faster than the limit, 1 s batches,
 * and the records of 5 consecutive batches within 10% of 5 s × maxRate. (This suite measures a rate, so it runs
 * on the system clock.)
 */
import * as net from 'node:net';
import { Seconds, SparkConf, StreamingContext, Time } from '../../lib';
import { waitFor } from './helpers';

const MAX_RATE = 20_000;

test('the receiver holds spark.streaming.receiver.maxRate within 10% over 5 s', async () => {
  // A sender that writes 50-byte lines as fast as the connection takes them (batched writes).
  const chunk = Buffer.from(`${'r'.repeat(49)}\n`.repeat(1000));
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    const pump = (): void => {
      while (!s.destroyed && s.write(chunk));
      if (!s.destroyed) s.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  const conf = new SparkConf(false)
    .setMaster('local[2]')
    .setAppName('rate-limit')
    .set('spark.streaming.receiver.maxRate', MAX_RATE)
    .set('spark.streaming.blockInterval', '100ms');
  const ssc = new StreamingContext(conf, Seconds(1));
  const counts = new Map<number, number>();
  ssc.socketTextStream('127.0.0.1', port).count().foreachRDD(async (rdd, time: Time) => {
    counts.set(time.milliseconds, (await rdd.collect())[0]);
  });
  try {
    await ssc.start();
    // The first batch is partial (it starts when the context does); then five full ones.
    await waitFor(() => counts.size >= 7, 'seven batches', 20_000);
  } finally {
    await ssc.stop(true, false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const times = [...counts.keys()].sort((a, b) => a - b);
  const measured = times.slice(1, 6).map((t) => counts.get(t) as number);
  const total = measured.reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThanOrEqual(5 * MAX_RATE * 0.9);
  expect(total).toBeLessThanOrEqual(5 * MAX_RATE * 1.1);
  for (const c of measured) expect(c).toBeGreaterThan(0);
}, 30_000);
