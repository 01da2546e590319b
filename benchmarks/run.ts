/**
 * `npm run bench -- <name> [args...]` runs `benchmarks/<name>.ts` (or `benchmarks/<name>/index.ts`); each benchmark
 * writes `benchmarks/results/<name>.json`. `npm run bench` alone lists them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const here = __dirname;
const skip = new Set(['run.ts', 'machine.ts', 'report.ts', 'wordLines.ts']);
const names = fs
  .readdirSync(here, { withFileTypes: true })
  .filter((e) => (e.isFile() && e.name.endsWith('.ts') && !skip.has(e.name)) || (e.isDirectory() && fs.existsSync(path.join(here, e.name, 'index.ts'))))
  .map((e) => e.name.replace(/\.ts$/, ''))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.log(`benchmarks: ${names.join(', ')}\nrun one with: npm run bench -- <name>`);
  process.exit(0);
}
if (!names.includes(name)) {
  console.error(`unknown benchmark '${name}'; known: ${names.join(', ')}`);
  process.exit(2);
}
const file = fs.existsSync(path.join(here, `${name}.ts`)) ? path.join(here, `${name}.ts`) : path.join(here, name, 'index.ts');
const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
