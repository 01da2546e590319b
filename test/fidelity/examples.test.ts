/**
 * The ported examples print what Spark's own example programs print on the same input (test/fidelity/examples/:
 * the inputs in examples.json, Spark's output in goldens/, recorded by scripts/spark-goldens --examples).
 *
 * The socket examples run through the front door on the manual clock, `dstreams step <example> localhost <port>`,
 * fed by a real TCP server one batch's lines at a time, as the recording fed Spark's; the queue examples, which
 * push their own RDDs on the system clock, run as plain child processes.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineBroadcaster } from '../../lib/cli/LineBroadcaster';
import { BIN, collect, exitCode } from '../cli/cliHelpers';
import { cleanUp, startProgram, track } from '../examples/exampleKit';
import { normaliseTimes } from './twinKit';

const DIR = path.join(__dirname, 'examples');
const ROOT = path.resolve(__dirname, '../..');

interface ExampleSpec {
  readonly name: string;
  readonly scala?: string;
  readonly python?: string;
  readonly port: string;
  readonly input?: string;
  readonly batches?: number;
  readonly extraArgs?: readonly string[];
  readonly clock?: 'system';
  /** `multiset`: each batch's lines in any order, until in-batch order after a shuffle is Spark's (`orderOwner`). */
  readonly order?: 'exact' | 'multiset';
  readonly orderOwner?: string;
}

const specs = JSON.parse(fs.readFileSync(path.join(DIR, 'examples.json'), 'utf8')) as {
  inputs: Record<string, string[][]>;
  examples: ExampleSpec[];
};

const servers: LineBroadcaster[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  await cleanUp();
});

const DASHES = '-'.repeat(43);

/** The print()/pprint() blocks of a text: `[header lines..., elements...]` per batch. */
function blocks(text: string): string[][] {
  const lines = text.split('\n');
  const out: string[][] = [];
  for (let i = 0; i + 2 < lines.length; i++) {
    if (lines[i] !== DASHES || !lines[i + 1].startsWith('Time: ') || lines[i + 2] !== DASHES) continue;
    const block = [lines[i + 1]];
    let j = i + 3;
    while (j < lines.length && lines[j] !== '') block.push(lines[j++]);
    out.push(block);
    i = j;
  }
  return out;
}

/** The batches' blocks, times normalised (as the fidelity programs'), elements sorted for a multiset comparison. */
function comparableText(text: string, utc: boolean, order: ExampleSpec['order']): string {
  return blocks(normaliseTimes(text, utc))
    .map(([time, ...elements]) => [time, ...(order === 'multiset' ? elements.sort() : elements)].join('\n'))
    .join('\n\n');
}

/** Runs a socket example under `dstreams step`, one batch per Enter, and returns what its batches printed. */
async function stepExample(spec: ExampleSpec): Promise<string> {
  const input = specs.inputs[spec.input as string];
  const server = new LineBroadcaster(() => undefined, true);
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  // A folder of its own: the stateful examples checkpoint into the current folder.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-fidelity-example-'));
  dirs.push(cwd);
  const c = spawn(process.execPath, [BIN, 'step', path.join(ROOT, 'examples', spec.port), 'localhost', String(port), ...(spec.extraArgs ?? [])], {
    cwd,
    env: process.env,
  });
  // Tracked, so that a failed test SIGKILLs it.
  track(c);
  const out = collect(c.stdout);
  const err = collect(c.stderr);
  try {
    for (let i = 0; i < (spec.batches as number); i++) {
      await err.waitFor(new RegExp(`Enter runs the batch at ${(i + 1) * 1000} ms`), 30000);
      const lines = input[i] ?? [];
      if (lines.length > 0) server.send(lines.map((l) => l + '\n').join(''));
      c.stdin.write('\n');
      await out.waitFor(new RegExp(`=== batch ${i + 1} at [^]*output:\\n`), 30000);
    }
    await err.waitFor(new RegExp(`Enter runs the batch at ${((spec.batches as number) + 1) * 1000} ms`), 30000);
  } finally {
    c.stdin.end();
  }
  expect(await exitCode(c)).toBe(0);
  const sections = out.text().split(/^(?==== batch )/m).slice(1);
  sections.forEach((s, i) => {
    // Each batch got exactly the lines sent for it (else the comparison below would be about timing).
    expect(`batch ${i + 1}: ${/socketTextStream: (\d+) record/.exec(s)?.[1]} record(s)`).toBe(`batch ${i + 1}: ${(input[i] ?? []).length} record(s)`);
  });
  return sections.map((s) => s.slice(s.indexOf('output:\n') + 'output:\n'.length)).join('');
}

for (const spec of specs.examples) {
  const golden = path.join(DIR, 'goldens', `${spec.name}.txt`);
  const flavor = spec.python !== undefined ? 'PySpark' : 'Scala';
  const origin = spec.python ?? spec.scala;
  if (spec.clock !== 'system') {
    test(`examples/${spec.port} prints what ${flavor}'s ${origin} printed, batch by batch`, async () => {
      const actual = await stepExample(spec);
      const expected = fs.readFileSync(golden, 'utf8');
      expect(blocks(expected)).toHaveLength(blocks(actual).length);
      expect(comparableText(actual, false, spec.order)).toBe(comparableText(expected, true, spec.order));
    }, 120000);
  } else {
    test(`examples/${spec.port} prints each queued RDD's batch as ${flavor}'s ${origin} did`, async () => {
      // Spark's run on the system clock: every batch that took an RDD prints the same counts.
      const expected = blocks(fs.readFileSync(golden, 'utf8')).filter((b) => b.length > 1);
      expect(expected.length).toBeGreaterThan(0);
      const elements = (b: string[]): string[] => (spec.order === 'multiset' ? b.slice(1).sort() : b.slice(1));
      for (const b of expected) expect(elements(b)).toEqual(elements(expected[0]));
      const r = startProgram(spec.port, [], { env: { QUEUE_STREAM_RDDS: '2' } });
      expect(await r.exited()).toBe(0);
      const actual = blocks(r.stdout()).filter((b) => b.length > 1);
      expect(actual).toHaveLength(2);
      for (const b of actual) expect(elements(b)).toEqual(elements(expected[0]));
    }, 120000);
  }
}
