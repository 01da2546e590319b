/**
 * Preloaded into the program by `dstreams step` (`node --import <tsx> --import <this file>`). It wraps
 * `StreamingContext.prototype.start`: once the program's context has started (on the manual clock, which
 * `dstreams step` selects through DSTREAMS_CONF), batches run one per Enter on stdin, or `DSTREAMS_STEP_BATCHES`
 * of them, each described by a {@link BatchStepper}; the web UI's "Next batch" and "Run N" run them through the same
 * stepper, one after another with those of stdin. The UI's URL, with its control token, is printed on stderr. At the
 * end of input (Ctrl-D) or after the last batch the context is stopped, so the program's `awaitTermination()`
 * returns and it ends as it would have.
 */
import * as readline from 'node:readline';
import { ManualClock } from '../core/clock/ManualClock';
import { StreamingContext } from '../streaming/StreamingContext';
import { StreamingUI, streamingUIOf } from '../ui';
import { BatchStepper } from './BatchStepper';

const say = (m: string): void => void process.stderr.write(`dstreams step: ${m}\n`);
const batchesEnv = process.env.DSTREAMS_STEP_BATCHES;
const fixedBatches = batchesEnv === undefined || batchesEnv === '' ? undefined : Number(batchesEnv);
let attached = false;
// The URL with its token is printed below, in words, rather than logged as a warning.
StreamingUI.announceControlUrl = () => undefined;

async function drive(ssc: StreamingContext): Promise<void> {
  if (!(ssc.clock instanceof ManualClock)) {
    say('the context is not on the manual clock (the program sets spark.streaming.clock itself?); not stepping');
    return;
  }
  const stepper = new BatchStepper(ssc);
  process.stdout.write(stepper.describeGraph());
  const ui = streamingUIOf(ssc);
  if (ui?.controlUrl !== undefined) say(`the web UI, where "Next batch" runs batches too: ${ui.controlUrl}`);
  else if (ui?.url !== undefined) say(`the web UI: ${ui.url}`);
  // Batches asked for on stdin and on the page run one after another.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (): Promise<void> => {
    const run = queue.then(() => stepper.step()).then(() => undefined);
    queue = run.catch(() => undefined);
    return run;
  };
  const finish = async (): Promise<void> => {
    stepper.close();
    await ssc.stop(true, false);
    // The program's awaitTermination() now returns; if something else keeps the process alive, end it.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  if (fixedBatches !== undefined) {
    for (let i = 0; i < fixedBatches; i++) await enqueue();
    await finish();
    return;
  }
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  const prompt = (): void => say(`Enter runs the batch at ${stepper.nextBatchTime()} (Ctrl-D ends)`);
  ui?.control.setStepDriver(async (n) => {
    for (let i = 0; i < n; i++) await enqueue();
    prompt();
  });
  prompt();
  rl.on('line', () => void enqueue().then(prompt));
  rl.once('close', () => {
    void queue.then(finish);
  });
}

const originalStart = StreamingContext.prototype.start;
StreamingContext.prototype.start = function (this: StreamingContext): Promise<void> {
  const started = originalStart.call(this);
  if (!attached) {
    attached = true;
    started.then(
      () =>
        drive(this).catch((e: unknown) => {
          say(`stepping failed: ${(e as Error).message}`);
          process.exit(1);
        }),
      () => undefined,
    );
  }
  return started;
};
