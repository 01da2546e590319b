/**
 * The job controls of the UI, over real HTTP: off by default (no endpoint can change the job); when on, refused
 * without the run's token, with a wrong one, cross-origin, with a foreign Host, by GET, and when the UI is not bound
 * to loopback; with the token "step" runs batches on the manual clock and "pause"/"resume" hold and release job
 * generation on the system clock (the held batch times are generated on resume, none skipped).
 */
import { Milliseconds, SparkConf, StreamingContext, streamingUIOf } from '../../lib';
import { isLoopback } from '../../lib/ui/Loopback';
import { stopAllContexts, TestInputStream } from '../streaming/harness';
import { FeedClient, rawRequest, uiContext, waitFor } from './helpers';

afterEach(stopAllContexts);

interface Answer {
  status: number;
  text: string;
}

async function post(ssc: StreamingContext, action: string, headers: Record<string, string> = {}): Promise<Answer> {
  const r = await fetch(`${ssc.uiWebUrl}/api/v1/streaming/control/${action}`, { method: 'POST', headers });
  return { status: r.status, text: await r.text() };
}

function controlled(conf: Record<string, string | number | boolean> = {}): StreamingContext {
  const ssc = uiContext({ conf: { 'dstreams.ui.control.enabled': true, ...conf } });
  new TestInputStream(ssc, [[1], [2], [3]], 1).foreachRDD(async (rdd) => void (await rdd.count()));
  return ssc;
}

const tokenOf = (ssc: StreamingContext): string => streamingUIOf(ssc)!.control.token;
const next = (ssc: StreamingContext): number => ssc.scheduler.jobGenerator.nextBatchTime().milliseconds;

test('off by default: every control request is refused and the job does not move', async () => {
  const ssc = uiContext();
  new TestInputStream(ssc, [[1]], 1).foreachRDD(() => undefined);
  await ssc.start();
  const ui = streamingUIOf(ssc)!;
  expect(ui.controlUrl).toBeUndefined();
  expect(await post(ssc, 'step', { 'X-DStreams-Token': ui.control.token })).toEqual({
    status: 403,
    text: 'job control is off: set dstreams.ui.control.enabled=true (dstreams step turns it on)\n',
  });
  expect((await post(ssc, 'pause')).status).toBe(403);
  expect(next(ssc)).toBe(1000);
  // Any other POST is what it was: not allowed.
  expect((await fetch(`${ssc.uiWebUrl}/api/v1/streaming/batches`, { method: 'POST' })).status).toBe(405);
  expect(((await fetch(`${ssc.uiWebUrl}/api/v1/streaming/context`).then((r) => r.json())) as { control: unknown }).control).toMatchObject({ enabled: false, clock: 'manual' });
});

test('on: refused without the token, with a wrong one, cross-origin, from a foreign Host and by GET; the job does not move', async () => {
  const ssc = controlled();
  await ssc.start();
  const token = tokenOf(ssc);
  const port = streamingUIOf(ssc)!.port;
  expect(token).toMatch(/^[\w-]{24}$/);
  expect(await post(ssc, 'step')).toEqual({ status: 401, text: 'missing token: send the X-DStreams-Token header (the token printed with the UI URL)\n' });
  expect(await post(ssc, 'step', { 'X-DStreams-Token': token.slice(1) + 'x' })).toEqual({ status: 401, text: 'wrong token\n' });
  expect(await post(ssc, 'step', { 'X-DStreams-Token': 'short' })).toEqual({ status: 401, text: 'wrong token\n' });
  // A page of another site (a browser sends its Origin) is refused even with the token.
  const cross = await rawRequest(port, '/api/v1/streaming/control/step', { Origin: 'http://evil.example', 'X-DStreams-Token': token }, 'POST');
  expect([cross.status, cross.body]).toEqual([403, 'job control refuses cross-origin requests (Origin http://evil.example)\n']);
  // DNS rebinding: a foreign Host is refused before anything else.
  const rebound = await rawRequest(port, '/api/v1/streaming/control/step', { Host: `evil.example:${port}`, 'X-DStreams-Token': token }, 'POST');
  expect([rebound.status, rebound.body]).toEqual([403, 'forbidden host\n']);
  // The token in the query string is not a token.
  expect((await post(ssc, `step?token=${token}`)).status).toBe(401);
  const get = await rawRequest(port, '/api/v1/streaming/control/step', { 'X-DStreams-Token': token });
  expect(get.status).toBe(405);
  expect(get.headers).toMatch(/\r\nAllow: POST\r\n/);
  expect(next(ssc)).toBe(1000);
});

test('on, with the token: step runs 1 or n batches on the manual clock; bad n, unknown actions and pause are refused', async () => {
  const ssc = controlled();
  await ssc.start();
  const ui = streamingUIOf(ssc)!;
  expect(ui.controlUrl).toBe(`${ui.url}/?token=${ui.control.token}`);
  const feed = await FeedClient.connect(ssc);
  const h = { 'X-DStreams-Token': tokenOf(ssc) };
  const one = await post(ssc, 'step', h);
  expect(one.status).toBe(200);
  expect(JSON.parse(one.text)).toMatchObject({ enabled: true, clock: 'manual', paused: false, stepsQueued: 0, nextBatchTime: 2000 });
  expect(ssc.scheduler.jobGenerator.lastProcessedBatchMs).toBe(1000);
  expect(JSON.parse((await post(ssc, 'step?n=2', h)).text)).toMatchObject({ nextBatchTime: 4000 });
  expect(ssc.scheduler.jobGenerator.lastProcessedBatchMs).toBe(3000);
  // The page hears of every batch run: a control message per step.
  await feed.until((m) => m.type === 'control' && m.control.nextBatchTime === 4000, 'the control message after the third batch');
  for (const bad of ['0', '-1', '1.5', 'x', '1001']) {
    expect(await post(ssc, `step?n=${bad}`, h)).toEqual({ status: 400, text: `n must be a whole number from 1 to 1000, got ${bad}\n` });
  }
  expect(await post(ssc, 'rewind', h)).toEqual({ status: 404, text: 'no such control: rewind (one of step, pause, resume)\n' });
  expect((await post(ssc, 'pause', h)).status).toBe(409);
  expect(next(ssc)).toBe(4000);
  feed.close();
  await ssc.stop();
});

test('a UI bound to a non-loopback address has no job control, even when enabled', async () => {
  const ssc = controlled({ 'dstreams.ui.host': '0.0.0.0' });
  await ssc.start();
  const ui = streamingUIOf(ssc)!;
  expect(ui.controlUrl).toBeUndefined();
  const r = await rawRequest(ui.port, '/api/v1/streaming/control/step', { 'X-DStreams-Token': tokenOf(ssc) }, 'POST');
  expect([r.status, r.body]).toEqual([403, 'job control needs the UI bound to a loopback address, and dstreams.ui.host is 0.0.0.0\n']);
  expect(next(ssc)).toBe(1000);
});

test('loopback addresses', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost']) expect(isLoopback(h)).toBe(true);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'example.com', '127.0.0.1.example.com', undefined]) expect(isLoopback(h)).toBe(false);
});

test('pause holds job generation on the system clock and resume generates the held batches, in order', async () => {
  const conf = new SparkConf(false)
    .setMaster('local[2]')
    .setAppName('pause')
    .set('dstreams.ui.enabled', 'true')
    .set('dstreams.ui.port', '0')
    .set('dstreams.ui.control.enabled', 'true');
  const ssc = new StreamingContext(conf, Milliseconds(50));
  const done: number[] = [];
  new TestInputStream(ssc, [], 1).foreachRDD((_rdd, time) => void done.push(time.milliseconds));
  await ssc.start();
  const h = { 'X-DStreams-Token': tokenOf(ssc) };
  await waitFor(() => done.length >= 1, 'a first batch');
  expect(await post(ssc, 'step', h)).toMatchObject({ status: 409 });
  const paused = await post(ssc, 'pause', h);
  expect(JSON.parse(paused.text)).toMatchObject({ clock: 'system', paused: true });
  const gen = ssc.scheduler.jobGenerator;
  // The timer goes on: its ticks are held, and no batch of theirs is generated meanwhile.
  await waitFor(() => gen.heldBatchTimes.length >= 3, 'three held batch times');
  const held = gen.heldBatchTimes.map((t) => t.milliseconds);
  expect(done.filter((t) => t >= held[0])).toEqual([]);
  const resumed = JSON.parse((await post(ssc, 'resume', h)).text);
  expect(resumed).toMatchObject({ paused: false, heldBatches: 0 });
  await waitFor(() => held.every((t) => done.includes(t)), 'the held batches');
  // In order, each once, none skipped.
  const after = done.filter((t) => t >= held[0]);
  expect(after.slice(0, held.length)).toEqual(held);
  const sorted = [...done].sort((a, b) => a - b);
  expect(done).toEqual(sorted);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBe(50);
  await ssc.stop();
});

test('a stop while paused generates the held batches (a graceful stop runs them)', async () => {
  const conf = new SparkConf(false).setMaster('local[2]').setAppName('pause-stop').set('spark.streaming.clock', 'system');
  const ssc = new StreamingContext(conf, Milliseconds(50));
  const done: number[] = [];
  new TestInputStream(ssc, [], 1).foreachRDD((_rdd, time) => void done.push(time.milliseconds));
  await ssc.start();
  const gen = ssc.scheduler.jobGenerator;
  gen.pause();
  await waitFor(() => gen.heldBatchTimes.length >= 2, 'two held batch times');
  const held = gen.heldBatchTimes.map((t) => t.milliseconds);
  await ssc.stop(true, true);
  expect(gen.isPaused).toBe(false);
  for (const t of held) expect(done).toContain(t);
});
