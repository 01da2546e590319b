import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, ExitCode } from './exitCodes';
import { PACKAGE_ROOT, programNodeArgs, siblingModule } from './tsxLoader';

/**
 * `dstreams run <file.ts|file.js> [args...]`: runs a program, TypeScript without a build step (through tsx).
 * Signals are passed on, and the program's exit code is ours. tsx is loaded from this package, so the program may
 * live, and run, in any folder.
 */
export async function runCommand(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runProgram(programPath(file), [], args, env);
}

/**
 * The absolute path of a program given on the command line. A relative `examples/...` path that is not in the
 * working folder is the packaged example of that name (as Spark's `bin/run-example`), so the tutorial's
 * `npx dstreams run examples/NetworkWordCount.ts localhost 9999` works in a folder that only installed dstreams.
 * A missing file is exit code 3 with a hint.
 */
export function programPath(file: string, hint = 'give the path of a .ts or .js program'): string {
  const full = path.resolve(file);
  if (fs.existsSync(full)) return full;
  const packaged = path.resolve(PACKAGE_ROOT, file);
  const examples = path.join(PACKAGE_ROOT, 'examples') + path.sep;
  if (!path.isAbsolute(file) && packaged.startsWith(examples) && fs.existsSync(packaged)) return packaged;
  throw new CliError(`no such file: ${file}`, hint, ExitCode.NOT_FOUND);
}

/**
 * Runs `program` in a child Node.js with tsx, the fatal-error preload (one-line errors) and `preloads` (`--import`
 * URLs), passing SIGINT and SIGTERM on; resolves with its exit code (128 + signal number when a signal ended it).
 */
export async function runProgram(program: string, preloads: readonly string[], args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const nodeArgs = [...programNodeArgs(), ...[siblingModule('fatalErrorPreload'), ...preloads].flatMap((p) => ['--import', p])];
  const child = spawn(process.execPath, [...nodeArgs, program, ...args], { stdio: 'inherit', env });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const code = await new Promise<number>((resolve) => {
    child.on('exit', (c, signal) => resolve(c ?? (signal === 'SIGKILL' ? 137 : signal === 'SIGINT' ? 130 : 143)));
  });
  process.off('SIGINT', onInt);
  process.off('SIGTERM', onTerm);
  return code;
}
