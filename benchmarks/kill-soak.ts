/**
 * The random-moment kill soak: `npm run bench -- kill-soak [--kills 200] [--seed 1] [--records 60000] [--rate 2000]
 * [--max-delay 900]`. A WAL-backed stateful word count over a replayable source with idempotent sinks
 * (test/checkpoint/fixtures/walStateWordCount.ts, the program of the bounded slice in test/checkpoint/randomKills.test.ts)
 * is SIGKILLed `kills` times at seeded random moments and restarted each time (lib/experiments/RandomKills.ts);
 * then the records output is compared with the input (lost, duplicated) and the final state with the input's word
 * counts. Writes benchmarks/results/kill-soak.json; exits 1 if anything was lost, duplicated or wrong, or a process
 * crashed (`lastProcessExit` says whether the last one stopped within 20 s of its SIGTERM; on a loaded machine a
 * graceful stop can take longer, and the runner then SIGKILLs it).
 */
import * as path from 'node:path';
import { runRandomKills } from '../lib/experiments/RandomKills';
import { wordCounts } from '../test/checkpoint/fixtures/walStateWordCountReference';
import { arg, writeResult } from './report';

async function main(): Promise<void> {
  const settings = { kills: arg('kills', 200), seed: arg('seed', 1), records: arg('records', 60_000), rate: arg('rate', 2000), maxKillDelayMs: arg('max-delay', 900) };
  const started = Date.now();
  const r = await runRandomKills({
    program: path.join(__dirname, '..', 'test', 'checkpoint', 'fixtures', 'walStateWordCount.ts'),
    ...settings,
    recordsOutput: 'ids',
    finalOutput: { name: 'state', expected: wordCounts },
    timeoutMs: Math.max(600_000, settings.kills * 10_000),
    onProgress: (m) => process.stderr.write(`${m}\n`),
  });
  const ok = r.lost === 0 && r.duplicated === 0 && r.finalStateMatches === true && r.crashes.length === 0;
  writeResult('kill-soak', {
    settings,
    ok,
    kills: r.kills,
    processes: r.processes,
    records: r.records,
    recordsOutput: r.recordsOutput.records,
    lost: r.lost,
    duplicated: r.duplicated,
    finalStateMatches: r.finalStateMatches,
    crashes: r.crashes,
    lastProcessExit: r.lastExit,
    batchesRerun: r.batchesRerun,
    walBlocksRecovered: r.walBlocksRecovered,
    blocksMissing: r.blocksMissing,
    killDelayMsMedian: [...r.killDelaysMs].sort((a, b) => a - b)[Math.floor(r.killDelaysMs.length / 2)],
    durationMs: Date.now() - started,
  });
  process.exitCode = ok ? 0 : 1;
}

void main();
