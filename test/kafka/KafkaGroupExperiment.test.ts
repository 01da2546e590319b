/**
 * `dstreams experiment <program> --members N` through the front door (the CLI as a child process) against the suite's
 * real broker: examples/KafkaGroupWordCount.ts as two members, the one that joins last SIGKILLed at
 * kafka.txn-open; the JSON report says the fault fired, which partitions moved from the dead member and where,
 * what was restored from the changelog, and that nothing was lost or duplicated against the single-process
 * reference. Plus the usage error when no cluster is named.
 */
import * as path from 'node:path';
import { collect, dstreams, exitCode, ROOT } from '../cli/cliHelpers';
import type { GroupExperimentReport } from '../../lib/experiments/GroupExperimentReport';
import { kafkaBootstrap } from './kafkaTestEnv';

const program = path.join(ROOT, 'examples', 'KafkaGroupWordCount.ts');

test('--members 2 --fault kafka.txn-open: the dead member\'s partitions move, their state is restored, nothing is lost or written twice', async () => {
  const bootstrap = kafkaBootstrap();
  const child = dstreams(['experiment', program, '--members', '2', '--fault', 'kafka.txn-open:2', '--bootstrap', bootstrap, '--records', '600', '--rate', '300', '--partitions', '4', '--json', '--quiet']);
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  const code = await exitCode(child);
  if (code !== 0) throw new Error(`dstreams experiment exited ${code}: ${err.text().slice(-3000)}`);
  const report = JSON.parse(out.text()) as GroupExperimentReport;
  expect(report.reference.records).toBe(600);
  expect(report.runs).toHaveLength(1);
  const run = report.runs[0];
  expect(run.fault).toBe('kafka.txn-open:2');
  expect(run.triggered).toBe(true);
  expect(run.members.map((m) => [m.name, m.faulted ? 'killed' : m.exit])).toEqual([
    ['m1', 'SIGTERM'],
    ['m2', 'killed'],
  ]);
  expect(run.members[1].exit).toBe('SIGKILL');
  expect({ lost: run.output.lost, duplicated: run.output.duplicated, records: run.output.records }).toEqual({ lost: 0, duplicated: 0, records: 600 });
  // m2 joined (partitions handed over by m1), died, and m1 took them back with their state.
  const died = run.moved.filter((m) => m.how === 'died');
  expect(died.length).toBeGreaterThan(0);
  expect(died.every((m) => m.from === 'm2' && m.to === 'm1')).toBe(true);
  expect(run.moved.some((m) => m.how === 'revoked' && m.from === 'm1' && m.to === 'm2')).toBe(true);
  expect(died.every((m) => run.restored.some((r) => r.partition === m.partition && r.member === 'm1' && r.keys > 0))).toBe(true);
}, 300_000);

test('--members without a cluster is a usage error naming --bootstrap', async () => {
  const child = dstreams(['experiment', program, '--members', '2', '--fault', 'kafka.txn-open'], { DSTREAMS_KAFKA_BOOTSTRAP: '' });
  const err = collect(child.stderr);
  expect(await exitCode(child)).toBe(2);
  expect(err.text()).toContain('--members needs a Kafka cluster: give --bootstrap host:port (or set DSTREAMS_KAFKA_BOOTSTRAP)');
});
