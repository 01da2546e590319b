/**
 * The programs of README.md and docs/*.md, run as a user runs them (issue 14). Every fenced block says what it is
 * (programsMarkdown.ts); this test fails on a block that does not. Each whole program is saved in the folder that
 * installed the packed package (test/package/globalSetup.ts) and run with `npx dstreams run` (an experiment program
 * with `npx dstreams experiment`); one that reads localhost:9999 reads a real line server on a free port instead,
 * which types what the prose before its output says to type. Its printed output is checked against the `text output`
 * block after it, if the page shows one; otherwise it must end by itself with exit code 0. Either way, nothing on
 * stderr. The README's tutorial session is programsTutorial.test.ts's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanUp, lineServer, waitFor, waitForClient } from '../examples/exampleKit';
import { installed, npxDstreams, writeUserFile } from '../package/installedApp';
import { allBlocks, type Block, kindOf, normalize, outputAfter, ROOT, showsOutput, typedLines, usesTopLevelAwait, where } from './programsMarkdown';

afterEach(cleanUp);

const blocks = allBlocks();
// A block that says nothing this test understands fails the first test (and is run by none).
const unmarked: string[] = [];
const kinds = new Map(
  blocks.map((b) => {
    try {
      return [b, kindOf(b)] as [Block, ReturnType<typeof kindOf> | 'unmarked'];
    } catch (e) {
      unmarked.push((e as Error).message);
      return [b, 'unmarked'] as [Block, 'unmarked'];
    }
  }),
);
const DEADLINE_MS = 45_000;

test('every fenced block of README.md and docs/ says what it is, and every output block has a checker', () => {
  expect(blocks.length).toBeGreaterThan(30);
  expect(unmarked).toEqual([]);
  const unchecked: string[] = [];
  blocks.forEach((b, i) => {
    const kind = kinds.get(b)!;
    if (kind === 'tested-elsewhere') {
      const test = b.attrs.get('tested-by')!;
      if (!fs.existsSync(path.join(ROOT, test))) unchecked.push(`${where(b)}: tested-by ${test}, which does not exist`);
    }
    if (kind !== 'output') return;
    // The block it shows the output of: the last one before it that is not an output itself.
    let j = i - 1;
    while (j >= 0 && blocks[j].page === b.page && kinds.get(blocks[j]) === 'output') j--;
    const prev = blocks[j];
    const run = prev !== undefined && prev.page === b.page && ['program', 'session'].includes(kinds.get(prev) ?? '');
    if (!run) unchecked.push(`${where(b)}: an output block after a block that no test runs (mark it text not-run or tested-by=...)`);
  });
  expect(unchecked).toEqual([]);
  // A guard against marking everything a fragment: the whole programs of today (README's tutorial session aside).
  const pagesWithPrograms = new Set(blocks.filter((b) => kinds.get(b) === 'program').map((b) => b.page));
  expect([...pagesWithPrograms].sort()).toEqual(['docs/checkpoints-and-recovery.md', 'docs/dstream-api.md', 'docs/receivers-and-wal.md']);
});

/**
 * Where a block's program goes in the user's folder: a folder of its own (programs write checkpoints and outputs into
 * the working folder), under the name its prose gives (`Saved as \`x.mts\``) or one made of its page and line.
 */
function fileFor(b: Block): string {
  const folder = `docs-programs/${b.page.replace(/[/.]/g, '-')}-${b.line}`;
  const named = /[Ss]aved? (?:this )?as `([^`]+\.m?ts)`/.exec(b.before + '\n' + (outputAfter(b, blocks)?.before ?? ''));
  return `${folder}/${named ? named[1] : `program${usesTopLevelAwait(b.text) ? '.mts' : '.ts'}`}`;
}

const programs = blocks.filter((b) => kinds.get(b) === 'program');

test.each(programs.map((b) => [where(b), b] as [string, Block]))('the program at %s runs as shown', async (_name, b) => {
  const output = outputAfter(b, blocks);
  const socket = b.text.includes('9999');
  const server = socket ? await lineServer() : undefined;
  const text = server ? b.text.replace(/\b9999\b/g, String(server.port)) : b.text;
  const file = writeUserFile(fileFor(b), text);
  const run = npxDstreams(['run', path.basename(file)], { cwd: path.join(installed().app, path.dirname(file)) });
  if (server) {
    await waitForClient(run, server.server);
    const lines = typedLines(output?.before ?? '');
    if (lines.length === 0) throw new Error(`${where(b)} reads a socket: the prose before its output must say what to type (\`Type \\\`...\\\`\`)`);
    server.send(...lines);
  }
  if (output !== undefined) {
    await waitFor(run, `the output shown at ${where(output)}`, () => showsOutput(run.output(), output.text), DEADLINE_MS).catch(async (e: unknown) => {
      // A program that ended by itself: compare what it printed in full.
      if (run.child.exitCode === null) throw e;
      expect(normalize(run.output())).toContain(normalize(output.text));
    });
  } else {
    expect(await run.exited()).toBe(0);
  }
  if (run.child.exitCode !== null) expect(run.child.exitCode).toBe(0);
  expect(run.stderr()).toBe('');
});

const experiments = blocks.filter((b) => kinds.get(b) === 'experiment');

test.each(experiments.map((b) => [where(b), b] as [string, Block]))('the experiment program at %s runs under npx dstreams experiment', async (_name, b) => {
  const file = writeUserFile(fileFor(b), b.text);
  const run = npxDstreams(['experiment', path.basename(file), '--fault', 'job.after-output:3', '--records', '400', '--rate', '400', '-q', '--json'], {
    cwd: path.join(installed().app, path.dirname(file)),
  });
  expect(await run.exited()).toBe(0);
  const report = JSON.parse(run.stdout()) as { runs: Array<{ triggered: boolean; outputs: Array<{ name: string; kind: string; lost: number; duplicated: number }> }> };
  expect(report.runs[0].triggered).toBe(true);
  const outputs = report.runs[0].outputs.map((o) => [o.name, o.kind, o.lost]);
  // The page's lesson: the keyed sink ends with every record once; the append sink loses none (and may duplicate).
  expect(outputs).toEqual([
    ['ids', 'keyed', 0],
    ['ids-appended', 'append', 0],
  ]);
  expect(report.runs[0].outputs[0].duplicated).toBe(0);
});
