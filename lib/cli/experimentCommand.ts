import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { FaultAction } from '../core/FaultPoints';
import { parseFaults, runExperiment } from '../experiments/Experiment';
import { type ExperimentSourceKind, SOURCE_KINDS } from '../experiments/ExperimentContract';
import { ExperimentContractError, ExperimentRunError, FaultSpecError } from '../experiments/ExperimentErrors';
import { formatReport } from '../experiments/ExperimentReport';
import { parseGroupFaults, runGroupExperiment } from '../experiments/GroupExperiment';
import { formatGroupReport } from '../experiments/GroupExperimentReport';
import { CliError, ExitCode } from './exitCodes';
import { programPath } from './runCommand';

export interface ExperimentCommandOptions {
  fault: string;
  action: FaultAction;
  runs: number;
  seed: number;
  records: number;
  rate: number;
  source: ExperimentSourceKind;
  /** `true` for stdout, a path for a file. */
  json?: string | boolean;
  keep: boolean;
  workDir?: string;
  quiet: boolean;
  /** Seconds. */
  timeout?: number;
  /** A group experiment: the program runs as this many members of one consumer group (group mode). */
  members?: number;
  /** `bootstrap.servers` for a group experiment (default DSTREAMS_KAFKA_BOOTSTRAP). */
  bootstrap?: string;
  partitions?: number;
}

/**
 * `dstreams experiment <program> --fault <point>[:hit]|all [--runs N] [--seed S] [--records N] [--rate R]
 * [--action kill|throw] [--source replayable|lines] [--json [file]]`: the replay-based fault experiment
 * (docs/fault-experiments.md). Prints the report table on stdout (or the JSON report with a bare `--json`); returns the
 * exit code.
 */
export async function experimentCommand(program: string, args: string[], o: ExperimentCommandOptions): Promise<number> {
  const file = programPath(program, 'give the path of an experiment program, e.g. examples/experiments/wal-no-loss.ts');
  if (o.members !== undefined) return groupExperimentCommand(file, args, o);
  const faults = faultsOption(() => parseFaults(o.fault), 'e.g. --fault job.after-output:5, or --fault all');
  const say = progress(o);
  let report;
  try {
    report = await runExperiment({
      program: file,
      programArgs: args,
      faults,
      action: o.action,
      runs: o.runs,
      seed: o.seed,
      records: o.records,
      rate: o.rate,
      source: o.source,
      keep: o.keep,
      workDir: o.workDir === undefined ? undefined : path.resolve(o.workDir),
      timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000,
      onProgress: say,
    });
  } catch (e) {
    if (e instanceof ExperimentRunError) throw runFailed(e, '--keep keeps the run folders (checkpoint, outputs, _journal.jsonl); DSTREAMS_EXPERIMENT_LOG_LEVEL=info logs more; docs/fault-experiments.md has the contract');
    if (e instanceof ExperimentContractError) throw new CliError(e.message, 'see docs/fault-experiments.md for the files an experiment program writes');
    throw e;
  }
  return writeReport(report, formatReport(report), o);
}

/** The parsed `--fault` option; a malformed one is a usage error with `example` as its hint. */
function faultsOption<T>(parse: () => T, example: string): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof FaultSpecError) throw new CliError(e.message, example, ExitCode.USAGE);
    throw e;
  }
}

/** Progress lines on stderr, unless `--quiet`. */
function progress(o: ExperimentCommandOptions): (m: string) => void {
  return (m) => {
    if (!o.quiet) process.stderr.write(`dstreams experiment: ${m}\n`);
  };
}

/** A run that could not finish: its message, the end of the program's stderr, and a hint. */
function runFailed(e: ExperimentRunError, hint: string): CliError {
  const tail = e.stderr.trim().split('\n').slice(-8).join('\n    ');
  return new CliError(e.message + (tail ? `\n  program stderr (last lines):\n    ${tail}` : ''), hint);
}

/** `--members N`: the program as N members of a consumer group against a Kafka cluster (docs/fault-experiments.md). */
async function groupExperimentCommand(file: string, args: string[], o: ExperimentCommandOptions): Promise<number> {
  const bootstrap = o.bootstrap ?? process.env.DSTREAMS_KAFKA_BOOTSTRAP;
  if (bootstrap === undefined || bootstrap === '') {
    throw new CliError('--members needs a Kafka cluster: give --bootstrap host:port (or set DSTREAMS_KAFKA_BOOTSTRAP)', 'scripts/kafka-broker start --detach prints a local broker\'s address', ExitCode.USAGE);
  }
  const faults = faultsOption(() => parseGroupFaults(o.fault), 'e.g. --fault kafka.txn-open:3, or --fault all');
  const say = progress(o);
  let report;
  try {
    report = await runGroupExperiment({
      program: file,
      programArgs: args,
      bootstrap,
      members: o.members!,
      faults,
      action: o.action,
      runs: o.runs,
      seed: o.seed,
      records: o.records,
      rate: o.rate,
      partitions: o.partitions,
      keep: o.keep,
      workDir: o.workDir === undefined ? undefined : path.resolve(o.workDir),
      timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000,
      onProgress: say,
    });
  } catch (e) {
    if (e instanceof ExperimentRunError) throw runFailed(e, '--keep keeps the run folders (members\' event logs, checkpoints); DSTREAMS_EXPERIMENT_LOG_LEVEL=info logs more');
    throw e;
  }
  return writeReport(report, formatGroupReport(report), o);
}

/** The JSON report on stdout with a bare `--json`; otherwise the table, and the JSON into `--json <file>`. */
function writeReport(report: unknown, table: string, o: ExperimentCommandOptions): number {
  const json = JSON.stringify(report, null, 2) + '\n';
  if (o.json === true) process.stdout.write(json);
  else {
    process.stdout.write(table);
    if (typeof o.json === 'string') {
      fs.writeFileSync(o.json, json);
      progress(o)(`report written to ${o.json}`);
    }
  }
  return ExitCode.OK;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
  return n;
}

/** Adds the `experiment` command to the program (main.ts). */
export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .description('fault experiment: run a program without a fault (reference), then with a fault (SIGKILL or throw at a named point), restarting from its checkpoint; report records lost, duplicated, recovered from the WAL, batches re-run and recovery time')
    .argument('<program>', 'the experiment program (.ts or .js; see docs/fault-experiments.md for its contract)')
    .argument('[args...]', 'arguments passed to the program')
    .requiredOption('--fault <point[:hit]>', 'fault point and hit (e.g. job.after-output:5), several separated by commas, or all')
    .option('--action <action>', 'kill (SIGKILL) or throw', (v) => {
      if (v !== 'kill' && v !== 'throw') throw new InvalidArgumentError('kill or throw');
      return v;
    }, 'kill')
    .option('--runs <n>', 'faulty runs per fault point', positiveInt, 1)
    .option('--seed <n>', 'input seed (same seed, same records)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new InvalidArgumentError('a whole number');
      return n;
    }, 42)
    .option('--records <n>', 'input records', positiveInt, 3000)
    .option('--rate <n>', 'input records per second', positiveInt, 1000)
    .option('--source <kind>', 'replayable (ReplayableSocketReceiver) or lines (socketTextStream)', (v) => {
      if (!(SOURCE_KINDS as readonly string[]).includes(v)) throw new InvalidArgumentError(SOURCE_KINDS.join(' or '));
      return v;
    }, 'replayable')
    .option('--json [file]', 'the report as JSON: on stdout, or written to file (the table still on stdout)')
    .option('--work-dir <dir>', 'keep the runs\' checkpoint and output folders here')
    .option('--timeout <s>', 'give up on a run after s seconds (default 4 × the input\'s duration + 30 s, at least 60 s)', (v) => {
      const n = Number(v);
      if (!(n > 0)) throw new InvalidArgumentError('a positive number of seconds');
      return n;
    })
    .option('--keep', 'keep the temporary run folders', false)
    .option('--members <n>', 'run the program as n members of one Kafka consumer group (group mode); the last to join carries the fault', positiveInt)
    .option('--bootstrap <servers>', 'the Kafka cluster of a --members experiment (default DSTREAMS_KAFKA_BOOTSTRAP)')
    .option('--partitions <n>', 'partitions of a --members experiment\'s input topic', positiveInt, 6)
    .option('-q, --quiet', 'no progress lines on stderr', false)
    .allowUnknownOption()
    .action(async (file: string, args: string[], o: ExperimentCommandOptions) => {
      process.exitCode = await experimentCommand(file, args, o);
    });
}
