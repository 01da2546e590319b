/**
 * End to end in headless Chromium (Debian's chromium driven by playwright-core): the page is opened during a run
 * on the manual clock, batches are stepped, and each one appears on the page through the live feed (no reload);
 * the graph, receivers, blocks, WAL segments, checkpoints and state are drawn; a screenshot goes to
 * test-artifacts/ui.png. The browser is DSTREAMS_CHROMIUM (default /usr/bin/chromium). In CI (CI=true) a missing
 * browser fails the suite; elsewhere the suite says how to install it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { streamingUIOf, type StreamingContext } from '../../lib';
import { receiveRecords, TestServer } from '../receivers/helpers';
import { manualClock, stopAllContexts } from '../streaming/harness';
import { ARTIFACTS, describeInChromium, openLivePage } from './chromium';
import { eventually, getJson, uiContext, urlOf } from './helpers';

// The page's `document`, inside functions that playwright runs in the browser (the project has no DOM types).
declare const document: { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): { length: number } };

const BLOCK_MS = 20;

describeInChromium('the streaming page in headless Chromium', (browser) => {
  let server: TestServer;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await new TestServer().listen();
  });

  afterAll(async () => {
    await stopAllContexts();
    await server?.close();
  });

  const openPage = (ssc: StreamingContext): Promise<Page> => openLivePage(browser(), urlOf(ssc), pageErrors);

  test('batches appear live; graph, receivers, blocks, WAL, checkpoints and state render; screenshot', async () => {
    const ssc = uiContext({
      checkpointDir: true,
      conf: {
        'spark.streaming.blockInterval': `${BLOCK_MS}ms`,
        'spark.streaming.receiver.writeAheadLog.enable': true,
        'dstreams.ui.port': 0,
      },
    });
    // Real-looking batch times in the screenshot: the manual clock starts at a wall-clock second.
    manualClock(ssc).setTime(Math.floor(Date.now() / 1000) * 1000);
    const lines = ssc.socketTextStream('127.0.0.1', server.port);
    const words = lines.flatMap((l: string) => l.split(' ')).map((w: string) => [w, 1] as [string, number]);
    words.reduceByKey((a: number, b: number) => a + b).foreachRDD(async (rdd) => void (await rdd.collect()));
    words.updateStateByKey((vs: number[], s: number | undefined) => (s ?? 0) + vs.length).foreachRDD(async (rdd) => void (await rdd.count()));
    await ssc.start();
    await server.waitForConnections(1);
    const page = await openPage(ssc);

    // The graph is drawn from /graph: every stream is a node.
    const graph = await getJson(ssc, '/graph');
    await page.waitForSelector('#dstream-graph g.node');
    expect(await page.locator('#dstream-graph g.node').count()).toBe(graph.nodes.length);
    expect(await page.locator('#dstream-graph g.node.input').count()).toBe(1);
    expect(await page.locator('#dstream-graph g.node.output').count()).toBe(2);
    expect(await page.locator('#dstream-graph g.node.stateful').count()).toBe(1);

    const batchMs = 1000;
    const first = ssc.scheduler.jobGenerator.nextBatchTime().milliseconds;
    const sizes = [40, 120, 75, 200, 160, 90, 230, 60];
    let sent = 0;
    for (let i = 0; i < sizes.length; i++) {
      const n = sizes[i];
      server.write(Array.from({ length: n }, (_, k) => `w${k % 23} v${(k * 7 + i) % 11}`).join('\n') + '\n');
      sent += n;
      await receiveRecords(ssc, n, BLOCK_MS);
      await ssc.step(1);
      const t = first + i * batchMs;
      // Each batch shows up without a reload, through the WebSocket feed.
      await page.waitForSelector(`#completed-batches tbody tr[data-batch-id="${t}"]`);
    }
    expect(await page.locator('#completed-batches tbody tr').count()).toBe(sizes.length);
    await page.waitForFunction((n) => document.querySelector('#summary')?.textContent?.includes(`${n} completed batches`), sizes.length);
    expect(await page.locator('#summary').textContent()).toContain(`${sent.toLocaleString('en-US')} records`);

    // The statistics charts have a point per completed batch.
    expect(await page.locator('#timeline-inputRate circle').count()).toBe(sizes.length);
    expect(await page.locator('#histogram-processingTime rect.bar').count()).toBeGreaterThan(0);

    // Receivers: the socket receiver is active with its event rates.
    const receiverRow = page.locator('#receivers tbody tr[data-stream-id="0"]');
    await expect(receiverRow.textContent()).resolves.toContain('ACTIVE');
    expect(await receiverRow.textContent()).toContain('Socket stream [0]');

    // Blocks of the newest batch, WAL segments, checkpoints and state (read from the JSON endpoints).
    await page.waitForFunction(() => document.querySelectorAll('#blocks-table tbody tr').length > 0);
    const blocksText = await page.locator('#blocks-table tbody').textContent();
    expect(blocksText).toMatch(/input-0-\d+/);
    expect(blocksText).toContain('receivedData/0/log-');
    await page.waitForSelector('#wal-body tr[data-segment]');
    const storage = await eventually(() => getJson(ssc, '/storage'), (s) => s.checkpoints.length > 0, 'a checkpoint');
    const segments = storage.wal.flatMap((f: any) => f.segments.map((s: any) => s.name));
    for (const s of segments.slice(0, 3)) expect(await page.locator(`#wal-body tr[data-segment="${s}"]`).count()).toBeGreaterThan(0);
    await page.waitForSelector('#checkpoint-table tbody tr');
    await page.waitForFunction(() => /\d/.test(document.querySelector('#state-body tr[data-seq] td.num')?.textContent ?? ''));
    const stateKeys = await page.locator('#state-body tr[data-seq] td.num').first().textContent();
    const state = await getJson(ssc, '/state');
    expect(Number(stateKeys?.replace(/,/g, ''))).toBe(state.streams[0].keys);

    // A batch's details: its output operations and blocks.
    const newest = first + (sizes.length - 1) * batchMs;
    await page.locator(`#completed-batches tbody tr[data-batch-id="${newest}"]`).click();
    await page.waitForSelector('#batch-detail:not([hidden]) #detail-ops tbody tr');
    expect(await page.locator('#detail-ops tbody tr').count()).toBe(2);
    await page.waitForSelector('#detail-blocks tbody tr');
    // Let the last refresh land, then keep the picture.
    await page.waitForTimeout(700);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui.png'), fullPage: true });
    expect(fs.statSync(path.join(ARTIFACTS, 'ui.png')).size).toBeGreaterThan(10_000);

    // No script error and no failed request while the context ran.
    expect(pageErrors).toEqual([]);
    // Stopping the context tells the page (requests in flight at that moment may fail, which is fine).
    expect(streamingUIOf(ssc)!.numFeedClients).toBe(1);
    await ssc.stop();
    await page.waitForSelector('#conn[data-state="stopped"]');
    await page.close();
  }, 60_000);
});
