/** rawSocketStream (length-prefixed serialized blocks), socketStream (a converter) and webSocketTextStream (ws). */
import * as readline from 'node:readline';
import * as v8 from 'node:v8';
import type { Readable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BlockSerializer, StorageLevel, type StreamingContext } from '../../lib';
import type { ReceiverInfo } from '../../lib/scheduler/ReceiverInfo';
import { collectOutput, createManualContext, stopAllContexts } from '../streaming/harness';
import { receiveRecords, TestServer, waitFor } from './helpers';

const BLOCK_MS = 10;

function context(): StreamingContext {
  return createManualContext({ conf: { 'spark.streaming.blockInterval': `${BLOCK_MS}ms`, 'spark.streaming.receiverRestartDelay': '50ms', 'dstreams.receiver.maxFrameBytes': '1m' } });
}

function frame(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

function errorsOf(ssc: StreamingContext): { errors: ReceiverInfo[]; stopped: ReceiverInfo[] } {
  const r = { errors: [] as ReceiverInfo[], stopped: [] as ReceiverInfo[] };
  ssc.addStreamingListener({ onReceiverError: (e) => void r.errors.push(e.receiverInfo), onReceiverStopped: (e) => void r.stopped.push(e.receiverInfo) });
  return r;
}

afterEach(() => stopAllContexts());

describe('rawSocketStream', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await new TestServer().listen();
  });
  afterEach(() => server.close());

  test('each frame is a block; its records are the batch; a frame split across writes is reassembled', async () => {
    const ssc = context();
    const stream = ssc.rawSocketStream<unknown>('127.0.0.1', server.port);
    expect(stream.name).toBe('Raw stream [0]');
    const out = collectOutput(stream);
    await ssc.start();
    await server.waitForConnections(1);
    const f1 = frame(BlockSerializer.serialize(['a', 'b', 'c']));
    const f2 = frame(BlockSerializer.serialize([1, { x: 2 }, [3]]));
    const both = Buffer.concat([f1, f2]);
    server.write(both.subarray(0, 6));
    await new Promise((r) => setTimeout(r, 20));
    server.write(both.subarray(6));
    await waitFor(() => (ssc.scheduler.receiverTracker as unknown as { hasUnallocatedBlocks(): boolean }).hasUnallocatedBlocks(), 'blocks');
    await waitFor(async () => {
      const t = ssc.scheduler.receiverTracker as unknown as { receivedBlockTracker: { getUnallocatedBlocks(id: number): unknown[] } };
      return t.receivedBlockTracker.getUnallocatedBlocks(0).length === 2;
    }, 'two blocks');
    await ssc.step();
    expect(out.batches).toEqual([['a', 'b', 'c', 1, { x: 2 }, [3]]]);
  });

  test('a frame that is not a serialized block is dropped and reported; a length over the limit restarts the receiver', async () => {
    const ssc = context();
    const events = errorsOf(ssc);
    const out = collectOutput(ssc.rawSocketStream<string>('127.0.0.1', server.port, StorageLevel.MEMORY_ONLY));
    await ssc.start();
    await server.waitForConnections(1);
    server.write(Buffer.concat([frame(Buffer.from('junk!')), frame(BlockSerializer.serialize(['good']))]));
    await waitFor(() => events.errors.length === 1, 'the bad frame report');
    expect(events.errors[0].lastErrorMessage).toMatch(/^Stream 0 \(socket 127\.0\.0\.1:\d+\): bad frame at offset 0: 5-byte frame dropped: Not a serialized dstreams block: bad magic/);
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(2 * 1024 * 1024, 0);
    server.write(huge);
    await waitFor(() => events.stopped.length === 1, 'the restart');
    expect(events.stopped[0].lastErrorMessage).toBe('Restarting receiver with delay 50ms: Error receiving data');
    expect(events.stopped[0].lastError).toMatch(/frame of 2097152 bytes is larger than the limit of 1048576 bytes/);
    await server.waitForConnections(2);
    server.write(frame(BlockSerializer.serialize(['again'])));
    await receiveRecords(ssc, 2, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([['good', 'again']]);
  });
  test('a frame with a valid header and a bad body is dropped and reported with its offset; the good frames of the batch are counted', async () => {
    const ssc = context();
    const events = errorsOf(ssc);
    const out = collectOutput(ssc.rawSocketStream<unknown>('127.0.0.1', server.port, StorageLevel.MEMORY_ONLY));
    await ssc.start();
    await server.waitForConnections(1);
    // A strings block whose lengths do not add up, a v8 body that does not deserialize, a v8 body that is not an array.
    const badStrings = BlockSerializer.serialize(['abc', 'de']);
    badStrings.writeUInt32BE(7, 8);
    const v8Garbage = Buffer.concat([BlockSerializer.serialize([1, 2]).subarray(0, 4), Buffer.from([0xff, 0x0f, 0x6f, 0x7b])]);
    const v8Object = Buffer.concat([BlockSerializer.serialize([1]).subarray(0, 4), v8.serialize({ not: 'an array' })]);
    const frames = [
      frame(BlockSerializer.serialize(['a', 'b'])),
      frame(badStrings),
      frame(BlockSerializer.serialize([1, { x: 2 }])),
      frame(v8Garbage),
      frame(BlockSerializer.serialize(['c'])),
      frame(v8Object),
      frame(BlockSerializer.serialize([Buffer.from('d')])),
    ];
    const offsets = frames.map((_, i) => frames.slice(0, i).reduce((n, f) => n + f.length, 0));
    server.write(Buffer.concat(frames));
    await waitFor(() => events.errors.length === 3, 'three bad frame reports');
    const tracker = ssc.scheduler.receiverTracker as unknown as { receivedBlockTracker: { getUnallocatedBlocks(id: number): unknown[] } };
    await waitFor(() => tracker.receivedBlockTracker.getUnallocatedBlocks(0).length === 4, 'the four good blocks');
    await ssc.step();
    expect(out.batches).toEqual([['a', 'b', 1, { x: 2 }, 'c', Buffer.from('d')]]);
    const source = `socket 127.0.0.1:${server.port}`;
    expect(events.errors.map((e) => e.lastErrorMessage)).toEqual([
      `Stream 0 (${source}): bad frame at offset ${offsets[1]}: ${badStrings.length}-byte frame dropped: Not a serialized dstreams block: string lengths sum to 9, text has 5 characters`,
      expect.stringMatching(new RegExp(`^Stream 0 \\(${source.replace(/\./g, '\\.')}\\): bad frame at offset ${offsets[3]}: 8-byte frame dropped: Not a serialized dstreams block: v8 body does not deserialize`)),
      `Stream 0 (${source}): bad frame at offset ${offsets[5]}: ${v8Object.length}-byte frame dropped: Not a serialized dstreams block: v8 body is not an array`,
    ]);
    // The receiver went on receiving: no restart.
    expect(events.stopped).toEqual([]);
  });
});

describe('socketStream', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await new TestServer().listen();
  });
  afterEach(() => server.close());

  test('records are what the converter makes of the connection (async iterable)', async () => {
    const ssc = context();
    async function* jsonLines(input: Readable): AsyncGenerator<{ n: number }> {
      for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) yield JSON.parse(line) as { n: number };
    }
    const out = collectOutput(ssc.socketStream('127.0.0.1', server.port, jsonLines, StorageLevel.MEMORY_AND_DISK_SER_2).map((r) => r.n * 10));
    await ssc.start();
    await server.waitForConnections(1);
    server.write('{"n":1}\n{"n":2}\n{"n":3}\n');
    await receiveRecords(ssc, 3, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([[10, 20, 30]]);
  });

  test('a converter error restarts the receiver with "Error receiving data"', async () => {
    const ssc = context();
    const events = errorsOf(ssc);
    async function* strict(input: Readable): AsyncGenerator<number> {
      for await (const line of readline.createInterface({ input })) {
        const n = Number(line);
        if (Number.isNaN(n)) throw new Error(`not a number: ${line}`);
        yield n;
      }
    }
    const out = collectOutput(ssc.socketStream('127.0.0.1', server.port, strict, StorageLevel.MEMORY_ONLY));
    await ssc.start();
    await server.waitForConnections(1);
    server.write('1\n2\nthree\n');
    await waitFor(() => events.stopped.length === 1, 'the restart');
    expect(events.stopped[0].lastErrorMessage).toBe('Restarting receiver with delay 50ms: Error receiving data');
    expect(events.stopped[0].lastError).toMatch(/not a number: three/);
    await server.waitForConnections(2);
    server.write('4\n');
    await receiveRecords(ssc, 3, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([[1, 2, 4]]);
  });
});

describe('webSocketTextStream', () => {
  let wss: WebSocketServer;
  let port: number;
  const clients: WebSocket[] = [];
  let connections = 0;

  async function listen(p = 0): Promise<void> {
    wss = new WebSocketServer({ host: '127.0.0.1', port: p });
    wss.on('connection', (ws) => {
      connections++;
      clients.push(ws);
      ws.on('close', () => clients.splice(clients.indexOf(ws), 1));
    });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    port = (wss.address() as { port: number }).port;
  }
  async function close(): Promise<void> {
    for (const c of clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  beforeEach(async () => {
    connections = 0;
    await listen();
  });
  afterEach(() => close());

  test('one record per text message; binary messages through the converter; reconnects when the server goes away', async () => {
    const ssc = context();
    const events = errorsOf(ssc);
    const stream = ssc.webSocketTextStream(`ws://127.0.0.1:${port}`, { binaryConverter: (b) => b.toString('hex').match(/../g) ?? [] });
    expect(stream.name).toBe('Web socket stream [0]');
    const out = collectOutput(stream);
    await ssc.start();
    await waitFor(() => clients.length === 1, 'a WebSocket connection');
    clients[0].send('hello');
    clients[0].send('multi\nline stays one record');
    clients[0].send(Buffer.from([0xab, 0xcd]), { binary: true });
    await receiveRecords(ssc, 4, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([['hello', 'multi\nline stays one record', 'ab', 'cd']]);

    await close();
    await waitFor(() => events.stopped.length >= 2, 'a close and a failed reconnection');
    expect(events.stopped[0].lastErrorMessage).toBe('Restarting receiver with delay 50ms: WebSocket data stream had no more data (close code 1006)');
    expect(events.stopped[1].lastErrorMessage).toBe(`Restarting receiver with delay 50ms: Error connecting to ws://127.0.0.1:${port}`);
    await listen(port);
    await waitFor(() => clients.length === 1, 'the reconnection');
    clients[0].send('back');
    await receiveRecords(ssc, 1, BLOCK_MS);
    await ssc.step();
    expect(out.batches[1]).toEqual(['back']);
    expect(connections).toBe(2);
  });
});
