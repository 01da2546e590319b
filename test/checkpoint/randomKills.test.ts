/**
 * The random-moment kill loop (lib/experiments/RandomKills.ts), a bounded slice of `npm run bench -- kill-soak`: a
 * WAL-backed stateful word count over a replayable source with idempotent sinks (fixtures/walStateWordCount.ts) is
 * SIGKILLed 30 times at seeded random moments — not at the named fault points: while starting, recovering,
 * receiving, running or checkpointing a batch — and restarted each time. Nothing is lost, nothing is duplicated and
 * the final state equals the word counts of the input.
 */
import * as path from 'node:path';
import { runRandomKills } from '../../lib/experiments/RandomKills';
import { wordCounts } from './fixtures/walStateWordCountReference';

const PROGRAM = path.join(__dirname, 'fixtures', 'walStateWordCount.ts');

test('30 SIGKILLs at random moments: nothing lost, nothing duplicated, the final state equals the reference', async () => {
  const r = await runRandomKills({
    program: PROGRAM,
    seed: 16,
    kills: 30,
    records: 12_000,
    rate: 2000,
    maxKillDelayMs: 900,
    recordsOutput: 'ids',
    finalOutput: { name: 'state', expected: wordCounts },
    timeoutMs: 170_000,
  });
  expect({ kills: r.kills, processes: r.processes, crashes: r.crashes }).toEqual({ kills: 30, processes: 31, crashes: [] });
  expect(['SIGTERM', 'exit 0']).toContain(r.lastExit);
  expect({ lost: r.lost, duplicated: r.duplicated, lostSamples: r.recordsOutput.lostSamples, duplicatedSamples: r.recordsOutput.duplicatedSamples }).toEqual({
    lost: 0,
    duplicated: 0,
    lostSamples: [],
    duplicatedSamples: [],
  });
  expect(r.recordsOutput.records).toBe(12_000);
  expect(r.finalStateMatches).toBe(true);
  // The kills did hit recoveries: batches re-run and blocks read back from the WAL.
  expect(r.batchesRerun).toBeGreaterThan(0);
  expect(r.walBlocksRecovered).toBeGreaterThan(0);
}, 180_000);
