/**
 * The data view in headless Chromium: a windowed, stateful program on the manual clock is stepped from the page
 * ("next batch", "run N", with the run's token from the URL), and the cells are read back from the DOM: each stream's
 * elements in the right batch, the incremental window's span, what entered and what left (the inverse function's
 * input), and the state's keys before and after (removed keys marked). Screenshots go to test-artifacts/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { streamingUIOf, type StreamingContext } from '../../lib';
import { stopAllContexts } from '../streaming/harness';
import { ARTIFACTS, describeInChromium, openLivePage } from './chromium';
import { uiContext } from './helpers';
import { windowedWordCount, type WindowedWordCountSeqs } from './programs';

function program(): { ssc: StreamingContext; seq: WindowedWordCountSeqs } {
  const ssc = uiContext({ checkpointDir: true, conf: { 'dstreams.ui.control.enabled': true } });
  return { ssc, seq: windowedWordCount(ssc) };
}

describeInChromium(
  'the data view, stepped from the page',
  (browser) => {
    const pageErrors: string[] = [];
    afterAll(stopAllContexts);

    const open = (url: string): Promise<Page> => openLivePage(browser(), url, pageErrors);

    const cell = (seq: number, t: number): string => `#marbles-grid td[data-seq="${seq}"][data-batch="${t}"]`;
    const texts = (page: Page, sel: string): Promise<string[]> => page.locator(sel).allTextContents();

    test('next batch and run N step the job; cells hold the elements, the window and the state', async () => {
      const { ssc, seq } = program();
      await ssc.start();
      const ui = streamingUIOf(ssc)!;
      expect(ui.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
      const page = await open(ui.controlUrl!);
      await page.waitForSelector('#step-one');
      expect(await page.locator('#next-batch').textContent()).toBe('next batch: 1000 ms');

      for (let i = 1; i <= 4; i++) {
        await page.locator('#step-one').click();
        await page.waitForSelector(`#marbles-grid thead th[data-batch="${i * 1000}"]`);
      }
      // One row per stream, inputs first, outputs last; one column per batch.
      const rows = await page.locator('#marbles-grid tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
      expect(rows[0]).toBe(seq.lines);
      expect(rows.indexOf(seq.reduced)).toBeLessThan(rows.indexOf(seq.window));
      expect(rows.slice(-2)).toEqual([seq.windowPrint, seq.statePrint]);
      expect(await page.locator('#marbles-grid tbody tr.output').count()).toBe(2);
      expect(await page.locator('#marbles-grid thead th[data-batch]').count()).toBe(4);

      // The elements of each stream in their batch.
      expect(await texts(page, `${cell(seq.lines, 1000)} .el`)).toEqual(['a b a']);
      expect(await page.locator(`${cell(seq.pairs, 1000)} .count`).textContent()).toBe('3 elements');
      expect(await texts(page, `${cell(seq.pairs, 1000)} .el`)).toEqual(['(a,1)', '(b,1)', '(a,1)']);
      expect((await texts(page, `${cell(seq.reduced, 4000)} .el`)).sort()).toEqual(['(c,2)', '(d,1)']);

      // The window at 4000 ms covers 2000..4000; (c,2) and (d,1) entered, batch 1000's (a,2) and (b,1) left.
      const w = page.locator(`${cell(seq.window, 4000)} .window-span`);
      expect(await w.getAttribute('data-begin')).toBe('2000');
      expect(await w.getAttribute('data-end')).toBe('4000');
      expect(await w.getAttribute('data-size')).toBe('3');
      expect((await texts(page, `${cell(seq.window, 4000)} .entered .el`)).sort()).toEqual(['(c,2)', '(d,1)']);
      expect((await texts(page, `${cell(seq.window, 4000)} .left .el`)).sort()).toEqual(['(a,2)', '(b,1)']);
      expect((await texts(page, `${cell(seq.window, 4000)} .result .el`)).sort()).toEqual(['(a,1)', '(b,1)', '(c,3)', '(d,1)']);
      // Its span is drawn on the reduced stream's row: 2000..4000 inside, 4000 entered, 1000 left.
      for (const t of [2000, 3000, 4000]) expect(await page.locator(cell(seq.reduced, t)).getAttribute('class')).toContain('in-span');
      expect(await page.locator(cell(seq.reduced, 1000)).getAttribute('class')).toContain('left-batch');
      expect(await page.locator(cell(seq.reduced, 4000)).getAttribute('class')).toContain('entered-batch');

      // The state at 4000 ms: a (1 before) removed, c new with two values, d new.
      const st = (key: string, col: string): Promise<string | null> => page.locator(`${cell(seq.state, 4000)} tr[data-key="${key}"] td.${col}`).textContent();
      expect([await st('a', 'before'), await st('a', 'values'), await st('a', 'after')]).toEqual(['1', '', 'removed']);
      expect([await st('c', 'before'), await st('c', 'values'), await st('c', 'after')]).toEqual(['-', '+1 +1', '2']);
      expect([await st('d', 'before'), await st('d', 'after')]).toEqual(['-', '1']);

      // A click shows the whole cell: the window per key (what the inverse function took out).
      await page.locator(cell(seq.window, 4000)).click();
      await page.waitForSelector('#cell-detail:not([hidden]) tr[data-key="a"]');
      const key = (k: string, col: string): Promise<string | null> => page.locator(`#cell-detail tr[data-key="${k}"] td.${col}`).textContent();
      expect([await key('a', 'before'), await key('a', 'left'), await key('a', 'entered'), await key('a', 'after')]).toEqual(['3', '2', '', '1']);
      expect([await key('c', 'before'), await key('c', 'left'), await key('c', 'entered'), await key('c', 'after')]).toEqual(['1', '', '2', '3']);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.locator('#marbles').screenshot({ path: path.join(ARTIFACTS, 'marbles-window.png') });

      // Run N: two more batches in one request.
      await page.locator('#step-n').fill('2');
      await page.locator('#step-run').click();
      await page.waitForSelector(`#marbles-grid thead th[data-batch="6000"]`);
      expect(await page.locator('#control-status').textContent()).toBe('ran 2 batches');
      expect(ssc.scheduler.jobGenerator.nextBatchTime().milliseconds).toBe(7000);
      await page.locator(cell(seq.state, 5000)).click();
      await page.waitForSelector('#cell-detail:not([hidden]) tr[data-key="d"]');
      expect([await key('d', 'before'), await key('d', 'values'), await key('d', 'after')]).toEqual(['1', '1', '2']);
      expect(await page.locator('#cell-detail tr[data-key="c"]').getAttribute('class')).toBe('removed');
      await page.locator('#marbles').screenshot({ path: path.join(ARTIFACTS, 'marbles-state.png') });

      expect(pageErrors).toEqual([]);
      await ssc.stop();
      await page.close();
    }, 60_000);

    test('without the token the page shows no step buttons, and the job does not move', async () => {
      const { ssc } = program();
      await ssc.start();
      const page = await open(streamingUIOf(ssc)!.url!);
      await page.waitForSelector('#controls:not([hidden])');
      expect(await page.locator('#step-one').count()).toBe(0);
      expect(await page.locator('#controls').textContent()).toContain('open the URL printed when the UI started');
      expect(ssc.scheduler.jobGenerator.nextBatchTime().milliseconds).toBe(1000);
      expect(pageErrors).toEqual([]);
      await ssc.stop();
      await page.close();
    }, 60_000);
  },
  { width: 1500, height: 1100 },
);
