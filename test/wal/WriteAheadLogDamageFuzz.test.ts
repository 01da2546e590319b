/**
 * The WAL damage fuzzer's bounded slice (the long run: `npm run bench -- wal-fuzz`): 500 seeded trials of a real
 * log damaged in every way the fuzzer knows, each read strictly and with skipCorruptRecords. See
 * fixtures/walDamageFuzzer.ts for what is checked. DSTREAMS_WAL_FUZZ_SEED picks another seed.
 */
import { setLogLevel } from '../../lib/core/logging';
import { DAMAGE_KINDS, fuzz } from './fixtures/walDamageFuzzer';
import { removeDir, tempDir } from './walTestKit';

const SEED = Number(process.env.DSTREAMS_WAL_FUZZ_SEED ?? 16_000);
const TRIALS = 500;

beforeAll(() => setLogLevel('silent'));
afterAll(() => setLogLevel((process.env.DSTREAMS_LOG_LEVEL as 'warn') ?? 'warn'));

test(`${TRIALS} damaged logs (seed ${SEED}): no wrong record, no unexpected exception, no intact frame cut, every loss reported`, async () => {
  const root = tempDir('wal-fuzz-');
  try {
    const s = await fuzz(SEED, TRIALS, root);
    console.log(`WAL damage fuzzer, seed ${SEED}: ${JSON.stringify({ ...s, findings: s.findings.length })}`);
    expect(s.findings.slice(0, 5)).toEqual([]);
    expect(s.trials).toBe(TRIALS);
    // The slice exercises what it claims: every damage kind, both formats, failed strict reads, reported losses.
    for (const k of DAMAGE_KINDS) expect(s.damageApplied[k]).toBeGreaterThan(20);
    expect(s.formats[1]).toBeGreaterThan(20);
    expect(s.strictErrors).toBeGreaterThan(TRIALS / 4);
    expect(s.lostAndReported.skip).toBeGreaterThan(0);
    expect(s.returned.skip).toBeGreaterThan(s.returned.strict);
  } finally {
    removeDir(root);
  }
}, 300_000);
