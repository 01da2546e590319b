/**
 * What Spark's UI lacks, on a real receiver: a socket text stream with the receiver write-ahead log and a
 * checkpoint directory on the manual clock. The batch's blocks (with their WAL positions), the WAL segments with
 * sizes and record counts, checkpoints and pending batches, the state size of updateStateByKey, and receivers
 * with their status and last error.
 */
import { streamingUIOf, type StreamingContext } from '../../lib';
import { receiveRecords, TestServer } from '../receivers/helpers';
import { stopAllContexts } from '../streaming/harness';
import { eventually, getJson, uiContext } from './helpers';

const BLOCK_MS = 10;
let server: TestServer;

beforeEach(async () => {
  server = await new TestServer().listen();
});
afterEach(async () => {
  await stopAllContexts();
  await server.close();
});

function context(conf: Record<string, string | number | boolean> = {}): StreamingContext {
  return uiContext({
    checkpointDir: true,
    conf: { 'spark.streaming.blockInterval': `${BLOCK_MS}ms`, 'spark.streaming.receiver.writeAheadLog.enable': true, 'spark.streaming.receiverRestartDelay': '50ms', ...conf },
  });
}

test('blocks with WAL positions, WAL segments with records, checkpoints and state size', async () => {
  const ssc = context();
  const lines = ssc.socketTextStream('127.0.0.1', server.port);
  const pairs = lines.map((l: string) => [l.split(' ')[0], 1] as [string, number]);
  pairs.updateStateByKey((vs: number[], s: number | undefined) => (s ?? 0) + vs.length).foreachRDD(async (rdd) => void (await rdd.count()));
  await ssc.start();
  await server.waitForConnections(1);
  const receivers = await eventually(() => getJson(ssc, '/receivers'), (rs) => rs[0].isActive === true, 'the receiver to start');
  expect(receivers).toEqual([
    expect.objectContaining({ streamId: 0, streamName: 'Socket stream [0]', isActive: true, executorId: 'driver', executorHost: 'localhost', eventRates: [] }),
  ]);
  expect(await getJson(ssc, '/statistics')).toMatchObject({ numReceivers: 1, numActiveReceivers: 1, numInactiveReceivers: 0 });

  const words = ['a', 'b', 'c', 'a', 'd', 'b', 'e'];
  server.write(words.map((w, i) => `${w} ${i}\n`).join(''));
  await receiveRecords(ssc, words.length, BLOCK_MS);
  const waiting = await getJson(ssc, '/blocks');
  expect(waiting.unallocated.reduce((n: number, b: any) => n + b.numRecords, 0)).toBe(words.length);
  await ssc.step(1);

  const { blocks } = await getJson(ssc, '/batches/1000/blocks');
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.reduce((n: number, b: any) => n + b.numRecords, 0)).toBe(words.length);
  for (const b of blocks) {
    expect(b.blockId).toMatch(/^input-0-\d+$/);
    expect(b.streamId).toBe(0);
    expect(b.wal.path).toContain(`${ssc.checkpointDir}/receivedData/0/log-`);
    expect(b.wal.length).toBeGreaterThan(0);
  }
  const batch = await getJson(ssc, '/batches/1000');
  expect(batch).toMatchObject({ inputSize: words.length, numBlocks: blocks.length, inputs: [{ streamId: 0, numRecords: words.length }] });
  expect((await getJson(ssc, '/blocks')).current).toMatchObject({ batchId: 1000, status: 'COMPLETED', inputSize: words.length });

  // The checkpoint of batch 1000 is written after the batch; wait for it on disk.
  const storage = await eventually(() => getJson(ssc, '/storage'), (s) => s.checkpoints.length > 0, 'the checkpoint of batch 1000');
  expect(storage.checkpointDir).toBe(ssc.checkpointDir);
  expect(storage.checkpoints[0]).toMatchObject({ name: 'checkpoint-1000', timeMs: 1000, valid: true });
  expect(storage.recoverFrom).toMatchObject({ file: 'checkpoint-1000', checkpointTimeMs: 1000, batchDurationMs: 1000 });
  expect(storage.pendingBatches).toEqual([]);
  const data = storage.wal.find((f: any) => f.kind === 'receiver');
  expect(data).toMatchObject({ folder: 'receivedData/0', streamId: 0 });
  const dataRecords = data.segments.reduce((n: number, s: any) => n + s.records, 0);
  expect(dataRecords).toBe(blocks.length); // one WAL record per block
  expect(data.bytes).toBe(data.segments.reduce((n: number, s: any) => n + s.bytes, 0));
  for (const s of data.segments) expect(s.name).toBe(`log-${s.startTime}-${s.endTime}`);
  const meta = storage.wal.find((f: any) => f.kind === 'metadata');
  expect(meta.folder).toBe('receivedBlockMetadata');
  // Block additions plus the batch allocation.
  expect(meta.segments.reduce((n: number, s: any) => n + s.records, 0)).toBeGreaterThanOrEqual(blocks.length + 1);

  const state = await getJson(ssc, '/state');
  expect(state.streams).toEqual([
    expect.objectContaining({ className: 'StateDStream', batchTime: 1000, keys: new Set(words).size, partitions: expect.any(Number) }),
  ]);
  expect(state.streams[0].keysPerPartition.reduce((a: number, b: number) => a + b, 0)).toBe(5);
  expect(streamingUIOf(ssc)!.listener.numTotalReceivedRecords).toBe(words.length);
});

test("a receiver that cannot connect shows its last error (Spark's receiver table)", async () => {
  const port = server.port;
  await server.close();
  const ssc = context({ 'spark.streaming.receiver.writeAheadLog.enable': false });
  ssc.socketTextStream('127.0.0.1', port).foreachRDD(() => undefined);
  await ssc.start();
  const [r] = await eventually(() => getJson(ssc, '/receivers'), (rs) => rs[0].lastErrorMessage !== undefined, 'the receiver error');
  expect(r.lastErrorMessage).toContain(`Error connecting to 127.0.0.1:${port}`);
  expect(r.isActive).toBe(false);
  expect(r.lastError).toContain('ECONNREFUSED');
  expect(r.lastErrorTime).toMatch(/GMT$/);
  server = await new TestServer().listen();
});
