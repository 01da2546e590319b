/**
 * The `dstreams` command line: run, nc, generate, step, inspect. Errors are one line plus a hint on stderr, with
 * the exit codes of exitCodes.ts; `--help` works on every command.
 */
import { inspect } from 'node:util';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { errorMessage } from '../core/errors';
import { CliError, ExitCode } from './exitCodes';
import { registerExperimentCommand } from './experimentCommand';
import { DEBUG_HINT, debugging, userFacing } from './FatalError';
import { generateCommand } from './generateCommand';
import { inspectCommand } from './inspectCommand';
import { ncCommand } from './ncCommand';
import type { RecordKind } from './RecordGenerator';
import { runCommand } from './runCommand';
import { stepCommand } from './stepCommand';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number 0-65535');
  return n;
}

function positive(v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('a positive number');
  return n;
}

export function buildProgram(): Command {
  const program = new Command('dstreams')
    .description("Spark Streaming's DStream API for Node.js: run programs, feed them, step them, inspect their checkpoints.")
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('run')
    .description('run a dstreams program (TypeScript without a build step, or JavaScript)')
    .argument('<file>', 'the program (.ts, .mts or .js); examples/<name> not in this folder runs the packaged example')
    .argument('[args...]', 'arguments passed to the program')
    .allowUnknownOption()
    .action(async (file: string, args: string[]) => {
      process.exitCode = await runCommand(file, args);
    });

  program
    .command('nc')
    .description('netcat stand-in for the tutorials (`nc -lk 9999`): serves stdin lines to every client')
    .option('-l, --listen', 'listen for connections (the only mode; accepted for nc compatibility)', true)
    .option('-k, --keep-open', 'keep listening after input ends and clients leave', false)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('-q, --quiet', 'no status lines on stderr', false)
    .argument('<port>', 'TCP port', port)
    .action(async (p: number, o: { listen: boolean; keepOpen: boolean; host: string; quiet: boolean }) => {
      await ncCommand(p, o);
    });

  program
    .command('generate')
    .description('load generator: words, lines or json records at a steady rate, to a TCP port or a Kafka topic')
    .argument('<kind>', 'words | lines | json', (v) => {
      if (!['words', 'lines', 'json'].includes(v)) throw new InvalidArgumentError('one of words, lines, json');
      return v;
    })
    .requiredOption('--rate <n>', 'records per second', positive)
    .option('--port <port>', 'serve on this TCP port', port)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--kafka <topic>', 'produce to this Kafka topic instead')
    .option('--brokers <list>', 'Kafka bootstrap servers', '127.0.0.1:9092')
    .option('--seed <n>', 'random seed (same seed, same records)', (v) => Number(v), 42)
    .option('--count <n>', 'stop after n records', positive)
    .option('--duration <s>', 'stop after s seconds', positive)
    .option('-q, --quiet', 'no rate reports on stderr', false)
    .action(async (kind: RecordKind, o) => {
      await generateCommand(kind, { ...o, durationSec: o.duration });
    });

  program
    .command('step')
    .description('teaching mode on the manual clock: each Enter (or --batches N) runs one batch and shows its input, RDD lineage and output')
    .argument('<file>', 'the program (.ts or .js)')
    .argument('[args...]', 'arguments passed to the program')
    .option('--batches <n>', 'run n batches, then stop (instead of one per Enter)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number');
      return n;
    })
    .allowUnknownOption()
    .action(async (file: string, args: string[], o: { batches?: number }) => {
      process.exitCode = await stepCommand(file, args, { batches: o.batches });
    });

  program
    .command('inspect')
    .description('show checkpoints, pending batches, WAL segments and what a restart would re-run')
    .argument('<checkpointDir>', 'the folder given to ssc.checkpoint()')
    .option('--json', 'print the report as JSON', false)
    .action((dir: string, o: { json: boolean }) => {
      process.stdout.write(inspectCommand(dir, o.json));
    });

  registerExperimentCommand(program);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (e instanceof CliError) {
      process.stderr.write(`dstreams: ${e.message}\n  hint: ${e.hint}\n`);
      return e.exitCode;
    }
    // The CLI's own failures are one line plus a hint too (its stack trace is for us, with DSTREAMS_LOG_LEVEL=debug).
    const known = userFacing(e) ?? { message: errorMessage(e), hint: DEBUG_HINT };
    process.stderr.write(`dstreams: ${known.message}\n  hint: ${known.hint}\n${debugging(process.env) ? `${inspect(e)}\n` : ''}`);
    return ExitCode.FAILURE;
  }
}
