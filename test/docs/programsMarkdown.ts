/**
 * The fenced blocks of README.md and docs/*.md, and what each one is, for the tests that run them
 * (programs.test.ts, programsTutorial.test.ts). Every block says what it is in its info string, after the language:
 *
 * - ```` ```ts ````: a whole program, run as a user runs it (saved in a folder that installed the package, then
 *   `npx dstreams run`); a `.mts` file when it uses top-level `await`. `ts experiment`: a whole program run by
 *   `npx dstreams experiment`. `ts fragment`: a piece of a program, not run.
 * - ```` ```sh session=<name> ```` (or ```` ```ts session=<name> ````, a program the session saves under the name its
 *   prose gives): run in order by the test of that session (the README's tutorial, programsTutorial.test.ts);
 *   ```` ```sh not-run ````: commands shown, not run (`npm test` itself, the Kafka broker's script); ```` ```sh
 *   tested-by=<path> ````: run by that test file.
 * - ```` ```text output ````: what the block before it prints (checked when that block is run: volatile parts such as
 *   wall-clock batch times are compared by shape); ```` ```text not-run ````: a transcript shown, not checked.
 *
 * The prose between a block and the output after it may say what to type (`Type \`hello world\` in terminal 1`,
 * `press Enter in terminal 2`): the tests do that.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface Block {
  /** The page, relative to the repository (`README.md`, `docs/kafka.md`). */
  readonly page: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  readonly lang: string;
  /** Bare words of the info string after the language (`fragment`, `output`, `not-run`, `experiment`). */
  readonly flags: ReadonlySet<string>;
  /** `key=value` words of the info string (`session`, `tested-by`). */
  readonly attrs: ReadonlyMap<string, string>;
  /** The block's text, its fence's indentation removed, ending with a newline. */
  readonly text: string;
  /** The prose between the previous block (or the page's start) and this one. */
  readonly before: string;
}

/** `page:line`, to name a block in a failure. */
export const where = (b: Block): string => `${b.page}:${b.line}`;

/** The pages whose blocks are under test: README.md and every docs/*.md. */
export function pages(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** The fenced blocks of one page, in order. */
export function blocksOf(page: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, page), 'utf8').split('\n');
  const out: Block[] = [];
  let prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(.*)$/.exec(lines[i]);
    if (!open) {
      prose.push(lines[i]);
      continue;
    }
    const indent = open[1].length;
    const [lang = '', ...words] = open[2].trim().split(/\s+/).filter((w) => w !== '');
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^ *```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    if (j >= lines.length) throw new Error(`${page}:${i + 1}: a fence that never closes`);
    const flags = new Set(words.filter((w) => !w.includes('=')));
    const attrs = new Map(words.filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as [string, string]));
    out.push({ page, line: i + 1, lang, flags, attrs, text: body.join('\n') + '\n', before: prose.join('\n') });
    prose = [];
    i = j;
  }
  return out;
}

/** Every block of every page. */
export function allBlocks(): Block[] {
  return pages().flatMap(blocksOf);
}

/** What a block is; a block that says nothing the tests understand is an error naming it. */
export type BlockKind = 'program' | 'experiment' | 'fragment' | 'session' | 'tested-elsewhere' | 'not-run' | 'output';

export function kindOf(b: Block): BlockKind {
  const known = (flags: string[], attrs: string[]): void => {
    const bad = [...b.flags].filter((f) => !flags.includes(f)).concat([...b.attrs.keys()].filter((a) => !attrs.includes(a)));
    if (bad.length > 0) throw new Error(`${where(b)}: unknown info-string word(s) ${bad.join(', ')} for a ${b.lang || 'plain'} block`);
  };
  if (b.lang === 'ts') {
    known(['fragment', 'experiment'], ['session']);
    if (b.attrs.has('session')) return 'session';
    if (b.flags.has('fragment')) return 'fragment';
    return b.flags.has('experiment') ? 'experiment' : 'program';
  }
  if (b.lang === 'sh') {
    known(['not-run'], ['session', 'tested-by']);
    if (b.attrs.has('session')) return 'session';
    if (b.attrs.has('tested-by')) return 'tested-elsewhere';
    if (b.flags.has('not-run')) return 'not-run';
  }
  if (b.lang === 'text') {
    known(['output', 'not-run'], ['tested-by']);
    if (b.flags.has('output')) return 'output';
    if (b.attrs.has('tested-by')) return 'tested-elsewhere';
    if (b.flags.has('not-run')) return 'not-run';
  }
  throw new Error(
    `${where(b)}: a \`\`\`${b.lang} block must say what it is: \`\`\`ts (a whole program, run), ts fragment, ts experiment, ` +
      'sh session=<name>, sh not-run, sh tested-by=<test>, text output (checked), text not-run (see test/docs/programsMarkdown.ts)',
  );
}

/** The `text output` block right after `b` on its page, if any. */
export function outputAfter(b: Block, blocks: readonly Block[]): Block | undefined {
  const next = blocks[blocks.indexOf(b) + 1];
  return next !== undefined && next.page === b.page && kindOf(next) === 'output' ? next : undefined;
}

/** What the prose asks the reader to type (`Type \`x\``), in order. */
export function typedLines(prose: string): string[] {
  return [...prose.matchAll(/[Tt]ype `([^`]+)`/g)].map((m) => m[1]);
}

/**
 * Printed text reduced to what stays the same from run to run: wall-clock batch times, block ids, timings, client
 * ports and the web UI's address with its token (the page shows it shortened: `?token=3q9V...`) become placeholders;
 * trailing blanks go.
 */
export function normalize(text: string): string {
  return text
    .replace(/Time: \d{12,} ms/g, 'Time: <wall-clock> ms')
    .replace(/\binput-(\d+)-\d+/g, 'input-$1-<n>')
    .replace(/processing: \d+ ms, scheduling delay \d+ ms/g, 'processing: <n> ms, scheduling delay <n> ms')
    .replace(/connection from 127\.0\.0\.1:\d+/g, 'connection from 127.0.0.1:<port>')
    .replace(/http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/g, 'http://127.0.0.1:<port>/?token=<token>')
    .replace(/[ \t]+$/gm, '');
}

/** Whether `expected`'s lines appear, one after the other, in `actual` (both normalized). */
export function showsOutput(actual: string, expected: string): boolean {
  const want = normalize(expected).replace(/\n+$/, '');
  return normalize(actual).includes(want);
}

/** Whether a program uses top-level await (a statement at column 0 that awaits): then it is an ES module, `.mts`. */
export function usesTopLevelAwait(program: string): boolean {
  return /^(?![\s/]).*\bawait\b/m.test(program);
}
