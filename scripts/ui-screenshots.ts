/**
 * The data view's screenshots in docs/ (ui-data-window.png, ui-data-state.png), taken the way a teacher gets them:
 * `dstreams nc -lk 0`, then `dstreams step <example> localhost <port>`, the URL it prints (with its token) opened in
 * headless Chromium (Debian's chromium, or DSTREAMS_CHROMIUM, through playwright-core), lines typed into nc and
 * "Next batch" pressed on the page. Each example runs in a temporary folder (they checkpoint into the current one).
 *
 *   npx tsx scripts/ui-screenshots.ts [outDir]      (default: docs/)
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'lib', 'cli', 'bin.js');
const CHROMIUM = process.env.DSTREAMS_CHROMIUM ?? '/usr/bin/chromium';
const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs'));

function dstreams(args: string[], cwd: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, DSTREAMS_CONF: 'dstreams.ui.port=0' } });
}

/** Resolves with the first match of `re` in what `stream` prints. */
function waitFor(stream: NodeJS.ReadableStream, re: RegExp, what: string, ms = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got: ${buf.slice(-400)}`)), ms);
    const on = (d: Buffer): void => {
      buf += d.toString();
      const m = buf.match(re);
      if (m) {
        clearTimeout(timer);
        stream.off('data', on);
        resolve(m);
      }
    };
    stream.on('data', on);
  });
}

interface Lesson {
  readonly file: string;
  readonly example: string;
  readonly args: string[];
  /** Lines typed into nc before each batch. */
  readonly batches: string[][];
  /** The cell clicked before the picture: its row's label starts with this. */
  readonly click: string;
}

const LESSONS: Lesson[] = [
  {
    file: 'ui-data-window.png',
    example: 'WindowedNetworkWordCount.ts',
    args: ['3', '1'],
    batches: [['to be or not to be'], ['to see or not'], ['be quick'], ['see the sea'], ['not to be']],
    click: 'ReducedWindowedDStream',
  },
  {
    file: 'ui-data-state.png',
    example: 'StatefulNetworkWordCount.ts',
    args: [],
    batches: [['hello world'], ['hello spark'], ['streams of words'], ['hello again world']],
    click: 'InternalMapWithStateDStream',
  },
];

async function clickCell(page: Page, label: string, time: number): Promise<void> {
  const seq = await page.locator('#marbles-grid tbody tr').evaluateAll(
    (trs, l) => trs.find((tr) => (tr.querySelector('th .label')?.textContent ?? '').startsWith(l))?.getAttribute('data-seq'),
    label,
  );
  if (seq) await page.locator(`#marbles-grid td[data-seq="${seq}"][data-batch="${time}"]`).click();
}

async function lesson(l: Lesson, page: Page): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-shot-'));
  const nc = dstreams(['nc', '-lk', '0'], work);
  let step: ChildProcessWithoutNullStreams | undefined;
  try {
    const port = (await waitFor(nc.stderr, /listening on 127\.0\.0\.1:(\d+)/, 'dstreams nc'))[1];
    step = dstreams(['step', path.join(ROOT, 'examples', l.example), 'localhost', port, ...l.args], work);
    step.stdout.resume();
    const url = (await waitFor(step.stderr, /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/, 'the UI URL'))[1];
    await page.goto(url);
    await page.waitForSelector('#step-one');
    let time = 0;
    for (const lines of l.batches) {
      for (const line of lines) nc.stdin.write(line + '\n');
      // Time for nc to send them and the receiver to store them (a script may wait; tests check instead).
      await new Promise((r) => setTimeout(r, 500));
      const before = await page.locator('#marbles-grid thead th[data-batch]').count();
      await page.locator('#step-one').click();
      await page.waitForFunction((n) => document.querySelectorAll('#marbles-grid thead th[data-batch]').length > n, before);
      time = Number(await page.locator('#marbles-grid thead th[data-batch]').last().getAttribute('data-batch'));
    }
    await clickCell(page, l.click, time);
    await page.waitForTimeout(300);
    await page.locator('#marbles').screenshot({ path: path.join(OUT, l.file) });
    process.stdout.write(`wrote ${path.join(OUT, l.file)}\n`);
  } finally {
    step?.stdin.end();
    nc.stdin.end();
    nc.kill('SIGTERM');
    if (step && step.exitCode === null) await new Promise((r) => step!.once('exit', r));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// The page's `document`, inside functions that playwright runs in the browser.
declare const document: { querySelectorAll(s: string): { length: number } };

async function main(): Promise<void> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1500, height: 1000 },
  });
  try {
    for (const l of LESSONS) await lesson(l, await browser.newPage());
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`ui-screenshots: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
