/**
 * The teacher's path, through the front door: `dstreams step examples/WindowedNetworkWordCount.ts localhost <port>`
 * runs as a child process fed by a real TCP line server; it prints the web UI's URL with its token; the page opened
 * there in headless Chromium presses "Next batch", and both the page and the terminal show each stream's elements,
 * the window's span and what the inverse function took out.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineBroadcaster } from '../../lib/cli/LineBroadcaster';
import { BIN, collect, exitCode, ROOT } from '../cli/cliHelpers';
import { describeInChromium } from './chromium';

// The page's `document`, inside functions that playwright runs in the browser.
declare const document: { querySelectorAll(s: string): { length: number } };

test('dstreams step --batches prints what each stream held, for a terminal over ssh, and the URL with its token', async () => {
  const server = new LineBroadcaster(() => undefined, true);
  const port = await server.listen(0, '127.0.0.1');
  server.send('hello world hello\n');
  try {
    const c = spawn(process.execPath, [BIN, 'step', 'examples/NetworkWordCount.ts', 'localhost', String(port), '--batches', '1'], {
      cwd: ROOT,
      env: { ...process.env, DSTREAMS_CONF: 'dstreams.ui.port=0' },
    });
    const out = collect(c.stdout);
    const err = collect(c.stderr);
    expect(await exitCode(c)).toBe(0);
    expect(err.text()).toMatch(/^dstreams step: the web UI, where "Next batch" runs batches too: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{24}$/m);
    expect(out.text()).toMatch(
      /\nstreams:\n {2}\[0\] +SocketInputDStream socketTextStream +1 +hello world hello\n {6}blocks input-0-\d+ \(1\)\n {2}\[1\] +FlatMappedDStream flatMap +3 +hello, world, hello\n {2}\[2\] +MappedDStream map +3 +\(hello,1\), \(world,1\), \(hello,1\)\n {2}\[3\] +ShuffledDStream reduceByKey +2 +.*\n {2}\[4\] +ForEachDStream print +print, \d+ ms\noutput:\n/,
    );
  } finally {
    await server.close();
  }
}, 60_000);

describeInChromium(
  'the teacher at the page',
  (browser) => {
    let server: LineBroadcaster | undefined;
    afterAll(async () => {
      await server?.close();
    });

    test('dstreams step on WindowedNetworkWordCount: the printed URL steps the job from the page, which shows the window', async () => {
      server = new LineBroadcaster(() => undefined, true);
      const port = await server.listen(0, '127.0.0.1');
      // A window of 2 batches sliding by 1; any free port for the UI (4040 may be taken by another run). The example
      // checkpoints into ./checkpoint: it runs in a folder of its own.
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-step-ui-'));
      const example = path.join(ROOT, 'examples', 'WindowedNetworkWordCount.ts');
      const c = spawn(process.execPath, [BIN, 'step', example, 'localhost', String(port), '2', '1'], { cwd: work, env: { ...process.env, DSTREAMS_CONF: 'dstreams.ui.port=0' } });
      const out = collect(c.stdout);
      const err = collect(c.stderr);
      try {
        const url = (await err.waitFor(/the web UI, where "Next batch" runs batches too: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n/))[1];
        await err.waitFor(/Enter runs the batch at 1000 ms/);
        const page = await browser().newPage();
        await page.goto(url);
        await page.waitForSelector('#step-one');
        // Rows by label.
        const seqOf = (label: string): Promise<string | null | undefined> =>
          page.locator('#marbles-grid tbody tr').evaluateAll((trs, l) => trs.find((tr) => tr.querySelector('th .label')?.textContent === l)?.getAttribute('data-seq'), label);

        const input = await seqOf('SocketInputDStream[0] socketTextStream');
        const win = await seqOf('ReducedWindowedDStream[7] reduceByKeyAndWindow');
        const reduced = await seqOf('ShuffledDStream[8] reduceByKey');
        const columns = (): Promise<number> => page.locator('#marbles-grid thead th[data-batch]').count();
        /** Sends a line, then presses "Next batch" until a batch has it (a line sent just before may land one batch later). */
        const batchOf = async (line: string): Promise<number> => {
          server!.send(`${line}\n`);
          for (let attempt = 0; attempt < 5; attempt++) {
            const n = await columns();
            await page.locator('#step-one').click();
            await page.waitForFunction((k) => document.querySelectorAll('#marbles-grid thead th[data-batch]').length > k, n, { timeout: 20_000 });
            const t = Number(await page.locator('#marbles-grid thead th[data-batch]').last().getAttribute('data-batch'));
            // The terminal shows the batch the page ran, with its streams.
            await out.waitFor(new RegExp(`=== batch \\d+ at ${t} ms ===[^]*?streams:[^]*?output:`));
            if ((await page.locator(`td[data-seq="${input}"][data-batch="${t}"] .el`).allTextContents()).includes(line)) return t;
          }
          throw new Error(`no batch got the line ${line}`);
        };
        await batchOf('a b a');
        await batchOf('b c');
        const t = await batchOf('c');
        const cell = `td[data-seq="${win}"][data-batch="${t}"]`;
        // The window at t covers the batches at t - 1000 and t; this slide, t entered and t - 2000 left.
        expect(await page.locator(`${cell} .window-span`).getAttribute('data-begin')).toBe(String(t - 1000));
        expect(await page.locator(`${cell} .window-span`).getAttribute('data-end')).toBe(String(t));
        expect(await page.locator(`${cell} .entered .el`).allTextContents()).toEqual(['(c,1)']);
        // What the inverse function took out: the reduced counts of the batch at t - 2000, as its own cell shows them.
        const left = (await page.locator(`${cell} .left .el`).allTextContents()).sort();
        expect(left).toEqual((await page.locator(`td[data-seq="${reduced}"][data-batch="${t - 2000}"] .el`).allTextContents()).sort());
        if (t === 3000) expect(left).toEqual(['(a,2)', '(b,1)']);
        const leftText = left.length ? `[^;\n]*` : '-';
        expect(out.text()).toMatch(new RegExp(`\\[7\\] +ReducedWindowedDStream reduceByKeyAndWindow +\\d+ .*\\n {6}window ${t - 1000} ms \\.\\. ${t} ms \\(2 batches\\); entered ${t} ms: \\(c,1\\); left ${t - 2000} ms: ${leftText}\\n`));
        await page.close();
      } finally {
        c.stdin.end();
      }
      expect(await exitCode(c)).toBe(0);
      fs.rmSync(work, { recursive: true, force: true });
    }, 90_000);
  },
  { width: 1500, height: 1000 },
);
