/**
 * Preloaded into every program `dstreams run` and `dstreams step` start (`node --import <this file>`): an error that
 * ends the program (thrown, or a rejected promise nobody handles) is shown as FatalError.ts says, one line plus a
 * hint for the errors a user meets, and the program exits 1 as Node would. A program that handles
 * `uncaughtException` itself keeps its own handling.
 */
import { fatalErrorText } from './FatalError';

function onFatal(e: unknown): void {
  if (process.listenerCount('uncaughtException') > 1) return;
  process.stderr.write(fatalErrorText(e));
  process.exit(1);
}

process.on('uncaughtException', onFatal);
