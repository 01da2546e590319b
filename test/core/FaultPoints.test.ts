import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { armFault, disarmFaults, faultPoint, InjectedFault } from '../../lib';

describe('fault points', () => {
  afterEach(() => disarmFaults());

  test('an armed throw fires on the chosen hit only', () => {
    armFault('job.after-output', 2, 'throw');
    expect(() => faultPoint('job.after-output')).not.toThrow();
    expect(() => faultPoint('wal.after-append')).not.toThrow();
    expect(() => faultPoint('job.after-output')).toThrow(InjectedFault);
    expect(() => faultPoint('job.after-output')).not.toThrow();
  });

  test('unknown points are rejected', () => {
    expect(() => armFault('nope' as never)).toThrow(/Unknown fault point 'nope'/);
  });

  test('kill sends SIGKILL to the process (a real child)', () => {
    const root = path.resolve(__dirname, '../..');
    const script = "require('./lib/core/FaultPoints').faultPoint('wal.after-append'); console.log('survived');";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: root,
      env: { ...process.env, DSTREAMS_FAULT: 'wal.after-append:1:kill' },
      encoding: 'utf8',
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toContain('survived');
    expect(r.stderr).toContain('fault point wal.after-append (hit 1): SIGKILL');
  });
});
