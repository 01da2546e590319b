/**
 * The folder a user made: `npm install <the packed tarball>` in an empty project (globalSetup.ts), and a global
 * install. Commands run there as a user types them (`npx dstreams ...`), each in its own process group as a terminal
 * runs it, with the user's environment (no npm_* variables of an enclosing `npm test`, the default log level).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Running, track } from '../examples/exampleKit';

/** The environment variables globalSetup.ts publishes to the test workers. */
export const PACKAGE_ENV = {
  WORK: 'DSTREAMS_PACKAGE_WORK',
  TARBALL: 'DSTREAMS_PACKAGE_TARBALL',
  APP: 'DSTREAMS_PACKAGE_APP',
  GLOBAL: 'DSTREAMS_PACKAGE_GLOBAL',
  UNAVAILABLE: 'DSTREAMS_PACKAGE_UNAVAILABLE',
} as const;

export interface Installed {
  /** The user's project folder (package.json, node_modules/dstreams). */
  readonly app: string;
  /** The prefix of `npm install --global --prefix`: bin/dstreams, lib/node_modules/dstreams. */
  readonly global: string;
  readonly tarball: string;
}

/** The folders of globalSetup.ts; fails the calling test with globalSetup's error when packing or installing failed. */
export function installed(): Installed {
  const unavailable = process.env[PACKAGE_ENV.UNAVAILABLE];
  if (unavailable !== undefined) throw new Error(`the packed package could not be installed: ${unavailable}`);
  const app = process.env[PACKAGE_ENV.APP];
  const global = process.env[PACKAGE_ENV.GLOBAL];
  const tarball = process.env[PACKAGE_ENV.TARBALL];
  if (app === undefined || global === undefined || tarball === undefined) {
    throw new Error('the package project has not run its globalSetup (run these tests with jest --selectProjects package or plain jest)');
  }
  return { app, global, tarball };
}

/** The user's shell environment: ours without what `npm test` and setupEnv.ts add. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'DSTREAMS_LOG_LEVEL' && !k.startsWith('DSTREAMS_PACKAGE_')) env[k] = v;
  }
  return { ...env, ...extra };
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** A command running in the user's folder; `output()` is stdout and stderr as a terminal shows them, interleaved. */
export interface UserRun extends Running {
  output(): string;
}

/** Starts `command args` in the user's folder, in its own process group (cleanUp SIGKILLs the group). */
export function userCommand(command: string, args: readonly string[], opts: CommandOptions = {}): UserRun {
  const child = spawn(command, args, { cwd: opts.cwd ?? installed().app, detached: true, env: userEnv(opts.env) });
  let all = '';
  child.stdout.on('data', (d: Buffer) => (all += d.toString()));
  child.stderr.on('data', (d: Buffer) => (all += d.toString()));
  return { ...track(child, true), output: () => all };
}

/** `npx dstreams <args>` in the user's folder (never the registry: --no-install). */
export function npxDstreams(args: readonly string[], opts: CommandOptions = {}): UserRun {
  return userCommand('npx', ['--no-install', 'dstreams', ...args], opts);
}

/** Writes a file into the user's folder; returns its name relative to it. */
export function writeUserFile(name: string, text: string): string {
  const full = path.join(installed().app, name);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return name;
}

/** Sends SIGINT to the command's process group, as Ctrl-C in a terminal does. */
export function ctrlC(r: Running): void {
  try {
    process.kill(-r.child.pid!, 'SIGINT');
  } catch {
    // already gone
  }
}
