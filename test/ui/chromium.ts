/**
 * Headless Chromium for the UI suites: Debian's chromium (or DSTREAMS_CHROMIUM) driven by playwright-core, which
 * downloads no browser. In CI (CI=true) a missing browser fails the suite; elsewhere the suite says how to install it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.DSTREAMS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
export const inCI = process.env.CI === 'true';
export const haveChromium = fs.existsSync(CHROMIUM);
export const MISSING = `headless Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set DSTREAMS_CHROMIUM to a Chromium binary`;

/** A browser with a fresh profile of its own; `close()` also removes the profile. */
export async function launchChromium(viewport = { width: 1400, height: 1000 }): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  if (!haveChromium) throw new Error(MISSING);
  // A persistent context is how playwright takes a fresh --user-data-dir of our own. On a loaded 2-core machine a
  // start now and then hangs before its DevTools pipe answers (seen in a full run); a second start on a fresh
  // profile then succeeds, so one retry, with a generous limit each.
  let browser: BrowserContext | undefined;
  let profile = '';
  for (let attempt = 1; browser === undefined; attempt++) {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-chromium-'));
    try {
      browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport, timeout: 45_000 });
    } catch (e) {
      fs.rmSync(profile, { recursive: true, force: true });
      if (attempt >= 2) throw e;
    }
  }
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the streaming page at `url` once its live feed is connected; script errors and console errors go to `errors`. */
export async function openLivePage(browser: BrowserContext, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector('#conn[data-state="live"]');
  return page;
}

/**
 * `describe(name, body)` with a browser launched once for the block (`browser()` inside tests); outside CI without
 * Chromium, one test says why nothing was driven instead (in CI the block runs and fails on the launch).
 */
export function describeInChromium(name: string, body: (browser: () => BrowserContext) => void, viewport?: { width: number; height: number }): void {
  if (!haveChromium && !inCI) {
    test(`browser tests not run: ${MISSING}`, () => {
      expect(inCI).toBe(false);
    });
    return;
  }
  describe(name, () => {
    let browser: BrowserContext | undefined;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ browser, close } = await launchChromium(viewport));
    }, 120_000);
    afterAll(async () => {
      await close?.();
    });
    body(() => {
      if (!browser) throw new Error('the browser did not start');
      return browser;
    });
  });
}
