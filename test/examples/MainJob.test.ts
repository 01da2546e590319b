/**
 * The main job (`npm start`): `npm start` runs as a real child (in its own process group, as a terminal
 * runs it), prints the web UI's URL first, Spark-format batches and a summary line per batch, stops gracefully on
 * Ctrl-C (SIGINT to the group) with exit code 0 and the URL in its last line, and a second run recovers from the
 * folder and says how many batches it re-runs, truly, also after a downtime of more than 100 batches. A bad
 * setting is one line plus a hint.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { batches, cleanUp, ROOT, type Running, tempDir, track, waitFor } from './exampleKit';

afterEach(cleanUp);

const SUMMARY = /^batch (\d+) ms: (\d+) records, input \d+ records\/s, processed at >?\d+ records\/s, scheduling delay \d+ ms, processing \d+ ms, total delay \d+ ms, (\d+) words in state$/gm;

/** `npm start` itself (npm, its shell, the bin, the job), in a new process group as a terminal runs it. */
function npmStart(dir: string, env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      DSTREAMS_LOG_LEVEL: 'error',
      DSTREAMS_BATCH_MS: '200',
      DSTREAMS_MAIN_JOB_DIR: dir,
      DSTREAMS_MAIN_JOB_RATE: '1000',
      DSTREAMS_CONF: 'dstreams.ui.port=0',
      ...env,
    },
  });
  return track(child, true);
}

const RECOVERED = /^Recovered from (checkpoint-\d+) in (.*) \(batch (\d+) ms\): re-running (\d+) batch(?:es)?(?: \((\d+) ms(?: to (\d+) ms)?\))?$/m;

const summaries = (out: string): Array<{ time: number; records: number; words: number }> =>
  [...out.matchAll(SUMMARY)].map((m) => ({ time: Number(m[1]), records: Number(m[2]), words: Number(m[3]) }));

test('npm start: batches and summaries, the web UI, a graceful Ctrl-C with exit 0, then recovery from the folder', async () => {
  const dir = path.join(tempDir('main-job'), 'dstreams-main-job');

  const first = npmStart(dir);
  await waitFor(first, 'three batches with records', () => summaries(first.stdout()).filter((s) => s.records > 0).length >= 3);
  const out = first.stdout();
  // The web UI's URL is the job's first line (after npm's two-line banner); its page answers.
  const jobLines = out.split('\n').filter((l) => l !== '' && !l.startsWith('> '));
  expect(jobLines[0]).toMatch(/^Web UI: http:\/\/127\.0\.0\.1:\d+$/);
  const url = jobLines[0].slice('Web UI: '.length);
  expect((await fetch(url)).status).toBe(200);
  expect(jobLines[1]).toBe(`Starting a new stateful word count: checkpoints and write-ahead logs in ${dir}`);
  expect(jobLines[2]).toMatch(/^Generator: 1000 lines\/s on 127\.0\.0\.1:\d+; batches of 200 ms\. Ctrl-C stops gracefully\.$/);
  // Spark's print() blocks: the ten most frequent words, counts descending, "..." when there are more.
  const full = batches(out).filter((b) => b.lines.length === 11);
  expect(full.length).toBeGreaterThan(0);
  const counts = full[0].lines.slice(0, 10).map((l) => Number(/^\([^,]+,(\d+)\)$/.exec(l)![1]));
  expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  expect(full[0].lines[10]).toBe('...');
  // Every summary follows its own batch's block.
  const s0 = summaries(out)[0];
  expect(out.indexOf(`Time: ${s0.time} ms`)).toBeLessThan(out.indexOf(`batch ${s0.time} ms:`));

  process.kill(-first.child.pid!, 'SIGINT');
  expect(await first.exited()).toBe(0);
  expect(first.stdout()).toContain('Stopping gracefully (Ctrl-C again to quit at once) ...');
  expect(first.stdout()).toMatch(new RegExp(`\\nStopped\\. \\d+ lines generated\\. The web UI was ${url}\\. Run again to recover from ${dir}\\.\\n$`));
  expect(fs.readdirSync(dir).some((f) => /^checkpoint-\d+$/.test(f))).toBe(true);
  const lastFirst = summaries(first.stdout()).at(-1)!;

  const second = npmStart(dir);
  await waitFor(second, 'the recovery line', () => /^Recovered from /m.test(second.stdout()));
  const rec = RECOVERED.exec(second.stdout());
  expect(rec).not.toBeNull();
  expect(rec![2]).toBe(dir);
  // The URL comes before the recovery line and every recovered batch.
  expect(second.stdout()).toMatch(/^\n?> dstreams@[^\n]*\n> [^\n]*\n\nWeb UI: http:\/\/127\.0\.0\.1:\d+\nRecovered from /);
  expect(Number(rec![3])).toBeLessThanOrEqual(lastFirst.time);
  expect(Number(rec![4])).toBeGreaterThanOrEqual(1);
  expect(second.stdout()).not.toContain('Starting a new stateful word count');
  await waitFor(second, 'new batches with records', () => summaries(second.stdout()).filter((s) => s.records > 0).length >= 2);
  // The recovered batches come first, from the checkpoint's time on, with the state restored: the re-run of the
  // checkpointed batch has exactly the words the first run had after it.
  const recovered = summaries(second.stdout())[0];
  expect(recovered.time).toBe(Number(rec![3]));
  const same = summaries(first.stdout()).find((x) => x.time === recovered.time);
  expect(recovered.words).toBeGreaterThan(0);
  if (same) expect(recovered.words).toBe(same.words);
  process.kill(-second.child.pid!, 'SIGINT');
  expect(await second.exited()).toBe(0);
});

test('npm start after a downtime of more than 100 batches: the recovery line tells the number of batches re-run', async () => {
  const dir = path.join(tempDir('main-job-down'), 'dstreams-main-job');
  const BATCH = 25;
  const env = { DSTREAMS_BATCH_MS: String(BATCH) };
  const first = npmStart(dir, env);
  await waitFor(first, 'two batches with records', () => summaries(first.stdout()).filter((s) => s.records > 0).length >= 2);
  process.kill(-first.child.pid!, 'SIGINT');
  expect(await first.exited()).toBe(0);
  const lastFirst = summaries(first.stdout()).at(-1)!;
  // The down time: more than 120 batch intervals since the last batch of the first run.
  while (Date.now() <= lastFirst.time + 120 * BATCH) await new Promise((resolve) => setTimeout(resolve, 50));

  const spawned = Date.now();
  const second = npmStart(dir, env);
  await waitFor(second, 'the recovery line', () => RECOVERED.test(second.stdout()));
  const seen = Date.now();
  const [, , , from, count, firstRerun, lastRerun] = RECOVERED.exec(second.stdout())!;
  const n = Number(count);
  expect(n).toBeGreaterThan(120);
  expect(Number(firstRerun)).toBe(Number(from));
  expect(Number(lastRerun)).toBe(Number(from) + (n - 1) * BATCH);
  // What is re-run is every batch from the checkpoint to the restart, which fell between spawning and the line.
  expect(Number(from) + n * BATCH).toBeGreaterThanOrEqual(spawned);
  expect(Number(from) + (n - 1) * BATCH).toBeLessThanOrEqual(seen);
  await waitFor(second, 'the re-run batches and two more', () => summaries(second.stdout()).length >= n + 2, 60_000);
  const times = summaries(second.stdout()).map((s) => s.time);
  expect(times.slice(0, n)).toEqual(Array.from({ length: n }, (_, i) => Number(from) + i * BATCH));
  // (cleanUp SIGKILLs it: the graceful stop after a backlog of short batches is the first test's subject, not this.)
});

test('npm start with a bad setting prints one line and a hint, no stack trace, and exits 1', async () => {
  const dir = path.join(tempDir('main-job-bad'), 'dstreams-main-job');
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [
      { DSTREAMS_CONF: 'spark.streaming.blockInterval=abc' },
      "ConfigurationError: Invalid value 'abc' for configuration key 'spark.streaming.blockInterval': expected a time such as 50s, 100ms, 250us, 1min or 2h (units: us, ms, s, m or min, h, d)\n" +
        '  hint: DSTREAMS_CONF sets spark.streaming.blockInterval=abc: fix or remove that entry\n',
    ],
    [
      { DSTREAMS_CONF: 'dstreams.ui.port=0;nonsense' },
      "MalformedConfEntryError: Invalid entry in DSTREAMS_CONF: 'nonsense' is not key=value\n" +
        '  hint: DSTREAMS_CONF holds key=value entries separated by ";" or newlines, e.g. DSTREAMS_CONF="spark.streaming.blockInterval=200ms;dstreams.ui.port=0"\n',
    ],
    [{ DSTREAMS_BATCH_MS: 'fast' }, "DSTREAMS_BATCH_MS must be a positive whole number of milliseconds, got 'fast'\n  hint: e.g. DSTREAMS_BATCH_MS=200, or unset it for the example's own batch\n"],
  ];
  const runs = cases.map(([env]) => npmStart(dir, { DSTREAMS_LOG_LEVEL: undefined, ...env }));
  // DSTREAMS_LOG_LEVEL=debug adds the stack trace.
  const debug = npmStart(dir, { DSTREAMS_LOG_LEVEL: 'debug', DSTREAMS_CONF: 'nonsense' });
  for (const [i, r] of runs.entries()) {
    expect(await r.exited()).toBe(1);
    expect(r.stderr()).toBe(cases[i][1]);
    expect(r.stdout()).not.toMatch(/Web UI|Starting/);
  }
  expect(await debug.exited()).toBe(1);
  expect(debug.stderr()).toMatch(/^MalformedConfEntryError: [^\n]*\n {2}hint: [^\n]*\nMalformedConfEntryError: [^]*\n {4}at new SparkConf /);
});
