/**
 * The main job (`npm start`): `npm start` runs as a real child (in its own process group, as a terminal
 * runs it), prints Spark-format batches and a summary line per batch, serves the web UI, stops gracefully on
 * Ctrl-C (SIGINT to the group) with exit code 0, and a second run recovers from the folder and says so.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { batches, cleanUp, ROOT, type Running, tempDir, track, waitFor } from './exampleKit';

afterEach(cleanUp);

const SUMMARY = /^batch (\d+) ms: (\d+) records, input \d+ records\/s, processed at >?\d+ records\/s, scheduling delay \d+ ms, processing \d+ ms, total delay \d+ ms, (\d+) words in state$/gm;

/** `npm start` itself (npm, its shell, the bin, the job), in a new process group as a terminal runs it. */
function npmStart(dir: string): Running {
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
    },
  });
  return track(child, true);
}

const summaries = (out: string): Array<{ time: number; records: number; words: number }> =>
  [...out.matchAll(SUMMARY)].map((m) => ({ time: Number(m[1]), records: Number(m[2]), words: Number(m[3]) }));

test('npm start: batches and summaries, the web UI, a graceful Ctrl-C with exit 0, then recovery from the folder', async () => {
  const dir = path.join(tempDir('main-job'), 'dstreams-main-job');

  const first = npmStart(dir);
  await waitFor(first, 'three batches with records', () => summaries(first.stdout()).filter((s) => s.records > 0).length >= 3);
  const out = first.stdout();
  expect(out).toContain(`Starting a new stateful word count: checkpoints and write-ahead logs in ${dir}`);
  expect(out).toMatch(/Generator: 1000 lines\/s on 127\.0\.0\.1:\d+; batches of 200 ms\. Ctrl-C stops gracefully\./);
  // The web UI is on; its page answers.
  const url = /^Web UI: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)![1];
  expect((await fetch(url)).status).toBe(200);
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
  expect(first.stdout()).toMatch(/Stopped\. \d+ lines generated\. Run again to recover from /);
  expect(fs.readdirSync(dir).some((f) => /^checkpoint-\d+$/.test(f))).toBe(true);
  const lastFirst = summaries(first.stdout()).at(-1)!;

  const second = npmStart(dir);
  await waitFor(second, 'the recovery line', () => /^Recovered from checkpoint/m.test(second.stdout()));
  const rec = /^Recovered from checkpoint (checkpoint-\d+) in (.*) \(batch (\d+) ms\): re-running (\d+) batch(es)?$/m.exec(second.stdout());
  expect(rec).not.toBeNull();
  expect(rec![2]).toBe(dir);
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
