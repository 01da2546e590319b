import { StorageLevel, type StreamingContext } from '../../lib';
import type { ReceiverInfo } from '../../lib/scheduler/ReceiverInfo';
import { collectOutput, createManualContext, stopAllContexts } from '../streaming/harness';
import { lines, receiveRecords, TestServer, waitFor } from './helpers';

/** Lines in bytes that end with a line end, counted as readLine splits them (LF, CRLF, CR). */
function byteLines(b: Buffer): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) n++;
    else if (b[i] === 0x0d) {
      n++;
      if (b[i + 1] === 0x0a) i++;
    }
  }
  return n;
}

const BLOCK_MS = 10;

function context(conf: Record<string, string | number | boolean> = {}): StreamingContext {
  return createManualContext({ conf: { 'spark.streaming.blockInterval': `${BLOCK_MS}ms`, 'spark.streaming.receiverRestartDelay': '50ms', ...conf } });
}

describe('socketTextStream', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await new TestServer().listen();
  });
  afterEach(async () => {
    await stopAllContexts();
    await server.close();
  });

  test('batch contents equal the lines sent, in order (\\n, \\r\\n and \\r line ends)', async () => {
    const ssc = context();
    const stream = ssc.socketTextStream('127.0.0.1', server.port);
    expect(stream.name).toBe('Socket stream [0]');
    const out = collectOutput(stream);
    await ssc.start();
    await server.waitForConnections(1);

    server.write('1\n2\r\n3\r4');
    server.write('\n5\n');
    await receiveRecords(ssc, 5, BLOCK_MS);
    await ssc.step();
    const batch2 = lines(1000, 'b');
    server.write(batch2.join('\r\n') + '\r\n');
    await receiveRecords(ssc, 1000, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([['1', '2', '3', '4', '5'], batch2]);
    const info = ssc.scheduler.inputInfoTracker.getInfo(out.times[1]).get(stream.id);
    expect(info?.numRecords).toBe(1000);
  });

  test('a \\r\\n split across two writes is one line end', async () => {
    const ssc = context();
    const out = collectOutput(ssc.socketTextStream('127.0.0.1', server.port));
    await ssc.start();
    await server.waitForConnections(1);
    server.write('a\r');
    await waitFor(() => server.sockets[0].bytesWritten === 2, 'the first write to leave');
    await new Promise((r) => setTimeout(r, 20));
    server.write('\nb\r');
    await new Promise((r) => setTimeout(r, 20));
    server.write('\r\nc\n');
    await receiveRecords(ssc, 4, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([['a', 'b', '', 'c']]);
  });

  test('invalid UTF-8 and binary garbage give replacement characters, never a crash', async () => {
    const ssc = context();
    const errors: ReceiverInfo[] = [];
    ssc.addStreamingListener({ onReceiverError: (e) => void errors.push(e.receiverInfo) });
    const out = collectOutput(ssc.socketTextStream('127.0.0.1', server.port));
    await ssc.start();
    await server.waitForConnections(1);
    // 0xff is never valid; 0xc3 0x28 is a broken two-byte sequence; 0xe2 0x82 is cut short by the newline.
    server.write(Buffer.from([0x6f, 0x6b, 0xff, 0x0a, 0xc3, 0x28, 0x0a, 0xe2, 0x82, 0x0a]));
    // A multi-byte character split across two writes stays whole.
    const euro = Buffer.from('€\n');
    server.write(euro.subarray(0, 1));
    await new Promise((r) => setTimeout(r, 20));
    server.write(euro.subarray(1));
    const garbage = Buffer.alloc(64 * 1024);
    let seed = 7;
    for (let i = 0; i < garbage.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      garbage[i] = seed & 0xff;
    }
    server.write(garbage);
    server.write('\nafter\n');
    // Line ends are bytes that never occur inside a UTF-8 sequence: the line count does not depend on decoding.
    const expected = 4 + byteLines(Buffer.concat([garbage, Buffer.from('\nafter\n')]));
    await receiveRecords(ssc, expected, BLOCK_MS);
    await ssc.step();
    const got = out.batches[0];
    expect(got.slice(0, 4)).toEqual(['ok\uFFFD', '\uFFFD(', '\uFFFD', '€']);
    expect(got.length).toBe(expected);
    expect(got[got.length - 1]).toBe('after');
    expect(errors).toEqual([]);
  });

  test('a line over dstreams.receiver.maxLineBytes is dropped and reported naming the stream; the next lines arrive', async () => {
    const ssc = context({ 'dstreams.receiver.maxLineBytes': '1k' });
    const errors: ReceiverInfo[] = [];
    ssc.addStreamingListener({ onReceiverError: (e) => void errors.push(e.receiverInfo) });
    const out = collectOutput(ssc.socketTextStream('127.0.0.1', server.port));
    await ssc.start();
    await server.waitForConnections(1);
    server.write('before\n');
    // 10 MB without a line end, in pieces: never held in memory.
    const piece = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 160; i++) server.write(piece);
    server.write('\nshort\n' + 'y'.repeat(2000) + '\nlast\n');
    await receiveRecords(ssc, 3, BLOCK_MS, 30_000);
    await ssc.step();
    expect(out.batches).toEqual([['before', 'short', 'last']]);
    await waitFor(() => errors.length === 2, 'two receiver errors');
    expect(errors[0].streamId).toBe(0);
    expect(errors[0].lastErrorMessage).toMatch(/^Stream 0 \(socket 127\.0\.0\.1:\d+\): a line of at least \d+ bytes is longer than the limit of 1024 bytes/);
    expect(errors[1].lastErrorMessage).toMatch(/a line of at least 2000 bytes/);
    expect(errors[0].lastError).toMatch(/LineTooLongException/);
  });

  test('server goes away and comes back: the receiver restarts and nothing sent before or after is lost', async () => {
    const ssc = context();
    const stopped: ReceiverInfo[] = [];
    const started: ReceiverInfo[] = [];
    ssc.addStreamingListener({
      onReceiverStopped: (e) => void stopped.push(e.receiverInfo),
      onReceiverStarted: (e) => void started.push(e.receiverInfo),
    });
    const out = collectOutput(ssc.socketTextStream('127.0.0.1', server.port));
    await ssc.start();
    await server.waitForConnections(1);
    const first = lines(100, 'first-');
    server.write(first.join('\n') + '\n');
    await receiveRecords(ssc, 100, BLOCK_MS);
    // The server goes away: the stream ends, the receiver restarts and cannot connect for a while.
    const port = server.port;
    await server.close();
    await waitFor(() => stopped.length >= 1, 'the receiver to stop');
    expect(stopped[0].lastErrorMessage).toBe('Restarting receiver with delay 50ms: Socket data stream had no more data');
    await waitFor(() => stopped.length >= 2, 'a failed reconnection');
    expect(stopped[1].lastErrorMessage).toBe(`Restarting receiver with delay 50ms: Error connecting to 127.0.0.1:${port}`);
    expect(stopped[1].lastError).toMatch(/ECONNREFUSED/);
    await ssc.step();
    server = await new TestServer().listen(port);
    await server.waitForConnections(1);
    const second = lines(100, 'second-');
    server.write(second.join('\n') + '\n');
    await receiveRecords(ssc, 100, BLOCK_MS);
    await ssc.step();
    expect(out.batches).toEqual([first, second]);
    expect(started.length).toBeGreaterThanOrEqual(2);
    expect(started[0].name).toBe('SocketTextReceiver-0');
  });

  test('the storage level defaults to MEMORY_AND_DISK_SER_2', () => {
    const ssc = context();
    const s = ssc.socketTextStream('127.0.0.1', server.port);
    expect(s.getReceiver().storageLevel).toBe(StorageLevel.MEMORY_AND_DISK_SER_2);
  });
});
