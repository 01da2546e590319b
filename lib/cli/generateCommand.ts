import { Kafka, logLevel } from 'kafkajs';
import { CliError, ExitCode } from './exitCodes';
import { LineBroadcaster } from './LineBroadcaster';
import { type RecordKind, RecordGenerator } from './RecordGenerator';

export interface GenerateOptions {
  rate: number;
  port?: number;
  host: string;
  kafka?: string;
  brokers: string;
  seed: number;
  count?: number;
  durationSec?: number;
  quiet: boolean;
}

const TICK_MS = 10;

/**
 * `dstreams generate <words|lines|json> --rate N (--port P | --kafka <topic>)`: a load generator with a steady
 * rate (records are produced every 10 ms in proportion to the elapsed time, so the average holds even when a tick is
 * late) and a report of the achieved rate every second on stderr.
 */
export async function generateCommand(kind: RecordKind, opts: GenerateOptions): Promise<void> {
  if (!(opts.rate > 0)) throw new CliError(`--rate must be a positive number, got ${opts.rate}`, 'e.g. --rate 10000', ExitCode.USAGE);
  if ((opts.port === undefined) === (opts.kafka === undefined)) {
    throw new CliError('give exactly one of --port <port> or --kafka <topic>', 'e.g. dstreams generate words --rate 1000 --port 9999', ExitCode.USAGE);
  }
  const say = (m: string): void => {
    if (!opts.quiet) process.stderr.write(`dstreams generate: ${m}\n`);
  };
  const gen = new RecordGenerator(kind, opts.seed);
  let send: (chunk: string, n: number) => Promise<void>;
  let close: () => Promise<void>;
  if (opts.port !== undefined) {
    const server = new LineBroadcaster(say, true);
    const port = await server.listen(opts.port, opts.host);
    say(`serving ${kind} at ${opts.rate} records/s on ${opts.host}:${port}`);
    send = async (chunk) => {
      if (!server.send(chunk)) await server.drain();
    };
    close = () => server.close();
  } else {
    const kafka = new Kafka({ clientId: 'dstreams-generate', brokers: opts.brokers.split(','), logLevel: logLevel.ERROR });
    const producer = kafka.producer();
    await producer.connect().catch((e: Error) => {
      throw new CliError(`cannot reach Kafka at ${opts.brokers}: ${e.message}`, 'start one with scripts/kafka-broker start, or pass --brokers host:port');
    });
    say(`producing ${kind} at ${opts.rate} records/s to topic ${opts.kafka} on ${opts.brokers}`);
    send = async (chunk) => {
      const lines = chunk.split('\n');
      lines.pop();
      await producer.send({ topic: opts.kafka as string, messages: lines.map((value) => ({ value })) });
    };
    close = () => producer.disconnect();
  }

  const start = Date.now();
  let produced = 0;
  let lastReport = start;
  let lastReported = 0;
  let stop = false;
  const onSignal = (): void => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  while (!stop) {
    const now = Date.now();
    const elapsed = (now - start) / 1000;
    if (opts.durationSec !== undefined && elapsed >= opts.durationSec) break;
    let due = Math.floor(elapsed * opts.rate) - produced;
    if (opts.count !== undefined) due = Math.min(due, opts.count - produced);
    if (due > 0) {
      await send(gen.nextChunk(due), due);
      produced += due;
    }
    if (opts.count !== undefined && produced >= opts.count) break;
    if (now - lastReport >= 1000) {
      say(`${Math.round(((produced - lastReported) * 1000) / (now - lastReport))} records/s (total ${produced})`);
      lastReport = now;
      lastReported = produced;
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  say(`done: ${produced} records in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (opts.port !== undefined && !stop && opts.count !== undefined) {
    // Keep serving what was sent until the receiver has read it, then wait for Ctrl-C like `nc -lk`.
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  await close();
}
