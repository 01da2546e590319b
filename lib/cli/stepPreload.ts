/**
 * Preloaded into the program by `dstreams step` (`node --import <tsx> --import <this file>`). It wraps
 * `StreamingContext.prototype.start`: once the program's context has started (on the manual clock, which
 * `dstreams step` selects through DSTREAMS_CONF), batches run one per Enter on stdin, or `DSTREAMS_STEP_BATCHES`
 * of them, each described by a {@link BatchStepper}. At the end of input (Ctrl-D) or after the last batch the
 * context is stopped, so the program's `awaitTermination()` returns and it ends as it would have.
 */
import * as readline from 'node:readline';
import { ManualClock } from '../core/clock/ManualClock';
import { StreamingContext } from '../streaming/StreamingContext';
import { BatchStepper } from './BatchStepper';

const say = (m: string): void => void process.stderr.write(`dstreams step: ${m}\n`);
const batchesEnv = process.env.DSTREAMS_STEP_BATCHES;
const fixedBatches = batchesEnv === undefined || batchesEnv === '' ? undefined : Number(batchesEnv);
let attached = false;

async function drive(ssc: StreamingContext): Promise<void> {
  if (!(ssc.clock instanceof ManualClock)) {
    say('the context is not on the manual clock (the program sets spark.streaming.clock itself?); not stepping');
    return;
  }
  const stepper = new BatchStepper(ssc);
  process.stdout.write(stepper.describeGraph());
  const finish = async (): Promise<void> => {
    stepper.close();
    await ssc.stop(true, false);
    // The program's awaitTermination() now returns; if something else keeps the process alive, end it.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  if (fixedBatches !== undefined) {
    for (let i = 0; i < fixedBatches; i++) await stepper.step();
    await finish();
    return;
  }
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  const prompt = (): void => say(`Enter runs the batch at ${stepper.nextBatchTime()} (Ctrl-D ends)`);
  prompt();
  let queue = Promise.resolve();
  rl.on('line', () => {
    queue = queue.then(async () => {
      await stepper.step();
      prompt();
    });
  });
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
