/**
 * The `dstreams` command works however it is reached in a checkout: `npx dstreams` (npm runs the project's own bin
 * through a shim), a symlink to bin.js under another name, and `node lib/cli/bin.js`. (The installed package's
 * `node_modules/.bin/dstreams` and a global install are test/package's.)
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, collect, exitCode, ROOT } from './cliHelpers';

async function usage(command: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const c = spawn(command, args, { cwd: ROOT, env: process.env });
  const out = collect(c.stdout);
  const code = await exitCode(c);
  return { code, out: out.text() };
}

const USAGE = /^Usage: dstreams \[options\] \[command\]\n[^]*\n {2}run <file> \[args\.\.\.\] /;

test('npx dstreams --help in the checkout prints the usage', async () => {
  const r = await usage('npx', ['--no-install', 'dstreams', '--help']);
  expect(r.out).toMatch(USAGE);
  expect(r.code).toBe(0);
});

test('a symlink to bin.js under another name, and node lib/cli/bin.js, print the usage', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-bin-'));
  try {
    const link = path.join(dir, 'my-dstreams');
    fs.symlinkSync(BIN, link);
    const viaLink = await usage(link, ['--help']);
    expect(viaLink.out).toMatch(USAGE);
    expect(viaLink.code).toBe(0);
    const direct = await usage(process.execPath, [BIN, '--help']);
    expect(direct.out).toMatch(USAGE);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
