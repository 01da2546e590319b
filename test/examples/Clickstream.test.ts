/**
 * The clickstream pair: PageViewGenerator serves random page views on a real socket; PageViewStream computes each
 * of its five metrics (one child process per metric, all at once) and prints them in Spark's formats.
 */
import { PageView, getNextClickEvent } from '../../examples/clickstream/PageViewGenerator';
import { batches, cleanUp, startProgram, tempDir, waitFor } from './exampleKit';

afterEach(cleanUp);

test('page view events are tab-separated url, status, zip code and user id lines', () => {
  for (let i = 0; i < 200; i++) {
    const line = getNextClickEvent();
    expect(line).toMatch(/^http:\/\/foo\.com\/(news|contact)?\t(200|404)\t(94709|94117)\t([1-9]\d?|100)\n$/);
    const v = PageView.fromString(line.slice(0, -1));
    expect(v.toString()).toBe(line);
  }
});

test('PageViewStream prints every metric from PageViewGenerator\'s stream', async () => {
  const gen = startProgram('clickstream/PageViewGenerator.ts', ['0', '2000']);
  await waitFor(gen, 'the generator', () => /Listening on port: \d+/.test(gen.stdout()));
  const port = /Listening on port: (\d+)/.exec(gen.stdout())![1];
  const metrics = ['pageCounts', 'slidingPageCounts', 'errorRatePerZipCode', 'activeUserCount', 'popularUsersSeen'];
  const runs = metrics.map((m) => startProgram('clickstream/PageViewStream.ts', [m, 'localhost', port], { cwd: tempDir(`clickstream-${m}`) }));
  const [pageCounts, sliding, errorRate, activeUsers, popular] = runs;
  const full = (r: (typeof runs)[number], n: number) => () => batches(r.stdout()).filter((b) => b.lines.length >= n).length >= 2;

  await waitFor(pageCounts, 'page counts', full(pageCounts, 3));
  for (const b of batches(pageCounts.stdout())) for (const l of b.lines) expect(l).toMatch(/^\(http:\/\/foo\.com\/(news|contact)?,\d+\)$/);

  // The 10-second window (50 batches of 200 ms) sliding every 2 seconds: counts only grow while it fills.
  await waitFor(sliding, 'sliding counts', full(sliding, 3));
  const slidingTimes = batches(sliding.stdout()).map((b) => Number(/^(\d+) ms$/.exec(b.time)![1]));
  for (let i = 1; i < slidingTimes.length; i++) expect(slidingTimes[i] - slidingTimes[i - 1]).toBe(400);

  await waitFor(errorRate, 'error rates', full(errorRate, 2));
  for (const b of batches(errorRate.stdout())) {
    for (const l of b.lines) {
      const m = /^(94709|94117): (\*\*)?(\d\.\d+(?:E-\d+)?)(\*\*)?$/.exec(l);
      expect(m).not.toBeNull();
      // Starred exactly when the ratio is over 5%.
      expect(m![2] === '**').toBe(Number(m![3]) > 0.05);
    }
  }

  // count() prints 0 for a window without views (before the receiver's first block), then the distinct users.
  await waitFor(activeUsers, 'active users', () => /^Unique active users: [1-9]\d*$/m.test(activeUsers.stdout()));
  for (const b of batches(activeUsers.stdout())) {
    expect(b.lines).toHaveLength(1);
    const n = Number(/^Unique active users: (\d+)$/.exec(b.lines[0])![1]);
    expect(n).toBeLessThanOrEqual(100);
  }

  await waitFor(popular, 'popular users', () => /^Saw user (Patrick Wendell|Reynold Xin|Matei Zaharia) at time \d+ ms$/m.test(popular.stdout()));
  for (const l of popular.stdout().trim().split('\n')) expect(l).toMatch(/^Saw user (Patrick Wendell|Reynold Xin|Matei Zaharia) at time \d+ ms$/);
});
