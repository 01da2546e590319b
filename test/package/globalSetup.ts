import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ENV } from './installedApp';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
/** npm install from the local tarball still fetches the dependencies; the cache (the checkout's own install) has them. */
const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/**
 * jest globalSetup of the "package" project (jest.config.js): what a user gets. Packs the checkout ONCE per run
 * (`npm pack`, whose prepack builds dist/), installs the tarball into a fresh folder with its own package.json, and
 * globally into a fresh prefix (both at once), and publishes the folders to the test workers through the
 * environment. A failure does not abort the other projects: every package test then fails with its message.
 */
export default async function globalSetup(): Promise<void> {
  const say = (m: string): void => void process.stderr.write(`\n[package] ${m}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-package-'));
  process.env[PACKAGE_ENV.WORK] = work;
  try {
    const started = Date.now();
    await run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: ROOT, maxBuffer: 64 << 20 });
    const tarball = fs.readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack wrote no .tgz into ${work}`);
    const packed = Date.now();
    const app = path.join(work, 'app');
    const global = path.join(work, 'global');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'dstreams-user-app', version: '1.0.0', private: true }, null, 2) + '\n');
    await Promise.all([
      run('npm', ['install', ...INSTALL_FLAGS, path.join(work, tarball)], { cwd: app }),
      run('npm', ['install', '--global', '--prefix', global, ...INSTALL_FLAGS, path.join(work, tarball)], { cwd: work }),
    ]);
    process.env[PACKAGE_ENV.TARBALL] = path.join(work, tarball);
    process.env[PACKAGE_ENV.APP] = app;
    process.env[PACKAGE_ENV.GLOBAL] = global;
    say(`packed ${tarball} in ${packed - started} ms, installed into ${app} and ${global} in ${Date.now() - packed} ms`);
  } catch (e) {
    const err = e as Error & { stderr?: string };
    process.env[PACKAGE_ENV.UNAVAILABLE] = `${err.message}${err.stderr ? `\n${err.stderr.slice(-2000)}` : ''}`;
    say(`NOT AVAILABLE, the package suites will fail: ${process.env[PACKAGE_ENV.UNAVAILABLE]}`);
  }
}
