/**
 * Spark's shutdown hook, as signals: a started StreamingContext stops on SIGTERM (gracefully when
 * spark.streaming.stopGracefullyOnShutdown is true), then the process ends by the signal, unless the program
 * handles the signal itself. Real child processes.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '../..');

function runChild(env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'shutdownChild.ts')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!signalled && stdout.includes('ready\n')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout });
    });
  });
}

test('SIGTERM stops the context, then the process ends by the signal', async () => {
  const [plain, graceful] = await Promise.all([runChild({ GRACEFUL: 'false' }), runChild({ GRACEFUL: 'true' })]);
  for (const r of [plain, graceful]) {
    expect(r.stdout).toContain('batch 1\nready\n');
    expect(r.stdout).toContain('context stopped STOPPED\n');
    expect(r.signal).toBe('SIGTERM');
  }
});

test('a program with its own SIGTERM handler decides how to exit', async () => {
  const r = await runChild({ OWN_HANDLER: '1' });
  expect(r.stdout).toContain('context stopped STOPPED\n');
  expect(r.stdout).toContain('own handler exits\n');
  expect(r.code).toBe(0);
  expect(r.signal).toBeNull();
});
