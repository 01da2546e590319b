import { CliError, ExitCode } from './exitCodes';
import { programPath, runProgram } from './runCommand';
import { siblingModule } from './tsxLoader';

export interface StepOptions {
  /** Run this many batches, then stop (else one batch per Enter on stdin). */
  readonly batches?: number;
}

/**
 * `dstreams step <file> [args...] [--batches N]`: teaching mode. Runs the program with `spark.streaming.clock=manual`
 * (added to DSTREAMS_CONF, which `new SparkConf()` reads) and a preload that, once the program's context has
 * started, runs one batch per Enter (or N batches) and shows each batch's input, the lineage of its output RDDs, what
 * each stream held and its output. The web UI is on, with its data view and job control ("Next batch" on the page
 * steps too), unless DSTREAMS_CONF says otherwise (`dstreams.ui.enabled=false`).
 */
export async function stepCommand(file: string, args: string[], opts: StepOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const full = programPath(file);
  if (opts.batches !== undefined && !(Number.isInteger(opts.batches) && opts.batches >= 0)) {
    throw new CliError(`--batches must be a whole number, got ${opts.batches}`, 'e.g. --batches 3', ExitCode.USAGE);
  }
  // Defaults first, so that the caller's DSTREAMS_CONF overrides them; the clock is always the manual one.
  const conf = ['dstreams.ui.enabled=true', 'dstreams.ui.control.enabled=true', env.DSTREAMS_CONF, 'spark.streaming.clock=manual']
    .filter((x) => x !== undefined && x !== '')
    .join(';');
  const childEnv: NodeJS.ProcessEnv = { ...env, DSTREAMS_CONF: conf };
  if (opts.batches !== undefined) childEnv.DSTREAMS_STEP_BATCHES = String(opts.batches);
  else delete childEnv.DSTREAMS_STEP_BATCHES;
  return runProgram(full, [siblingModule('stepPreload')], args, childEnv);
}
