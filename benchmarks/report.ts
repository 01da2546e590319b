import * as fs from 'node:fs';
import * as path from 'node:path';
import { machineInfo } from './machine';

/** Writes `benchmarks/results/<name>.json` (with the machine noted) and prints it. */
export function writeResult(name: string, result: Record<string, unknown>): string {
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const body = { benchmark: name, machine: machineInfo(), ...result };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  console.log(JSON.stringify(body, null, 2));
  console.log(`result written to ${path.relative(process.cwd(), file)}`);
  return file;
}

/** The number after `--<name>` on the command line, or `dflt`. */
export function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** The word after `--<name>` on the command line, or undefined. */
export function strArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
