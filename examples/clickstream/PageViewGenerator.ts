/**
 * PageViewGenerator: Spark's
 * `examples/src/main/scala/org/apache/spark/examples/streaming/clickstream/PageViewGenerator.scala`, ported.
 *
 * Generates streaming events to simulate page views on a website: tab-separated `url status zipCode userID` lines.
 *
 * This should be used in tandem with PageViewStream.ts. Example:
 *
 * To run the generator
 *   `$ npx dstreams run examples/clickstream/PageViewGenerator.ts 44444 10`
 * To process the generated stream
 *   `$ npx dstreams run examples/clickstream/PageViewStream.ts errorRatePerZipCode localhost 44444`
 *
 * It listens on 127.0.0.1 (port 0 picks a free port; "Listening on port: N" says which). Spark's sleeps
 * `1000 / viewsPerSecond` ms between events; this one sends, every few milliseconds, the events due by then, so
 * rates over 1000 per second hold too.
 */
import * as net from 'node:net';
import { ExampleArgs, exitOnError } from '../StreamingExamples';

export class PageView {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly zipCode: number,
    readonly userID: number,
  ) {}

  toString(): string {
    return `${this.url}\t${this.status}\t${this.zipCode}\t${this.userID}\n`;
  }

  static fromString(input: string): PageView {
    const parts = input.split('\t');
    return new PageView(parts[0], Number.parseInt(parts[1], 10), Number.parseInt(parts[2], 10), Number.parseInt(parts[3], 10));
  }
}

const pages = new Map([
  ['http://foo.com/', 0.7],
  ['http://foo.com/news', 0.2],
  ['http://foo.com/contact', 0.1],
]);
const httpStatus = new Map([
  [200, 0.95],
  [404, 0.05],
]);
const userZipCode = new Map([
  [94709, 0.5],
  [94117, 0.5],
]);
const userID = new Map(Array.from({ length: 100 }, (_, i) => [i + 1, 0.01] as [number, number]));

function pickFromDistribution<T>(inputMap: Map<T, number>): T {
  const rand = Math.random();
  let total = 0.0;
  for (const [item, prob] of inputMap) {
    total = total + prob;
    if (total > rand) return item;
  }
  return inputMap.keys().next().value as T; // Shouldn't get here if probabilities add up to 1.0
}

export function getNextClickEvent(): string {
  const id = pickFromDistribution(userID);
  const page = pickFromDistribution(pages);
  const status = pickFromDistribution(httpStatus);
  const zipCode = pickFromDistribution(userZipCode);
  return new PageView(page, status, zipCode, id).toString();
}

function main(args: string[]): void {
  const cli = new ExampleArgs(args, 'Usage: PageViewGenerator <port> <viewsPerSecond>', 'e.g. npx dstreams run examples/clickstream/PageViewGenerator.ts 44444 10, then PageViewStream in another terminal').expect(2, 2);
  const port = cli.port(0);
  const viewsPerSecond = cli.positiveInt(1, '<viewsPerSecond>');
  const sleepDelayMs = Math.max(1, Math.min(100, Math.trunc(1000.0 / viewsPerSecond)));
  const listener = net.createServer((socket) => {
    console.log(`Got client connected from: /${socket.remoteAddress}`);
    const start = Date.now();
    let sent = 0;
    const timer = setInterval(() => {
      const due = Math.floor(((Date.now() - start) / 1000) * viewsPerSecond) - sent;
      if (due <= 0) return;
      let chunk = '';
      for (let i = 0; i < due; i++) chunk += getNextClickEvent();
      sent += due;
      socket.write(chunk);
    }, sleepDelayMs);
    const done = (): void => {
      clearInterval(timer);
      socket.destroy();
    };
    socket.on('close', done);
    socket.on('error', done);
  });
  listener.once('error', exitOnError);
  listener.listen(port, '127.0.0.1', () => console.log(`Listening on port: ${(listener.address() as net.AddressInfo).port}`));
}

if (require.main === module) main(process.argv.slice(2));
