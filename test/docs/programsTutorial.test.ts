/**
 * The README's five-minute tutorial, followed as a newcomer follows it, in a folder that only ran
 * `npm install <the packed tarball>` (test/package/globalSetup.ts): its `session=tutorial` blocks run in order, the
 * `npx dstreams nc` command in "terminal 1" and each other command in "terminal 2" (the one before Ctrl-C'ed), a
 * program saved under the name the prose gives; before each output block the test types what the prose says to type
 * (`Type \`hello world hello\` in terminal 1`, `press Enter in terminal 2`), then waits for that output in the
 * terminal of the last command. The commands run as written except port 9999, which is a free port (9999 may be
 * taken on a shared machine). The web UI command's page is fetched.
 */
import * as net from 'node:net';
import { cleanUp, waitFor } from '../examples/exampleKit';
import { ctrlC, npxDstreams, type UserRun, userCommand, writeUserFile } from '../package/installedApp';
import { blocksOf, kindOf, showsOutput, typedLines, where } from './programsMarkdown';

afterEach(cleanUp);

const DEADLINE_MS = 45_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A one-line shell command as words, with its `VAR="value"` prefixes as environment. */
function parseCommand(line: string): { env: Record<string, string>; words: string[] } {
  const env: Record<string, string> = {};
  const words: string[] = [];
  for (const m of line.matchAll(/(\w+)="([^"]*)"|(\S+)/g)) {
    if (m[1] !== undefined && words.length === 0) env[m[1]] = m[2];
    else words.push(m[3] ?? m[0]);
  }
  return { env, words };
}

/** How many receivers the line server has seen connect (its stderr says so for each). */
const connections = (nc: UserRun): number => (nc.stderr().match(/connection from /g) ?? []).length;

test('README: the tutorial session works verbatim in a folder that installed the package', async () => {
  const blocks = blocksOf('README.md');
  const session = blocks.filter((b, i) => b.attrs.get('session') === 'tutorial' || (kindOf(b) === 'output' && blocks[i - 1]?.attrs.get('session') === 'tutorial'));
  expect(session.length).toBeGreaterThanOrEqual(10);
  const port = String(await freePort());
  const withPort = (text: string): string => text.replace(/\b9999\b/g, port);

  let terminal1: UserRun | undefined;
  let terminal2: UserRun | undefined;
  let current: UserRun | undefined;
  let programsStarted = 0;
  for (const b of session) {
    const kind = kindOf(b);
    if (kind === 'session' && b.lang === 'ts') {
      const name = /[Ss]ave this as `([^`]+)`/.exec(b.before)?.[1];
      if (name === undefined) throw new Error(`${where(b)}: the prose must say under which name to save the program`);
      writeUserFile(name, withPort(b.text));
      continue;
    }
    if (kind === 'session') {
      const lines = b.text.trim().split('\n');
      expect([where(b), lines.length]).toEqual([where(b), 1]);
      const { env, words } = parseCommand(withPort(lines[0]));
      // The web UI's address: DSTREAMS_LOG_LEVEL=info logs it, as the README says.
      if (env.DSTREAMS_CONF?.includes('dstreams.ui.enabled=true')) env.DSTREAMS_LOG_LEVEL = 'info';
      expect(words.slice(0, 2)).toEqual(['npx', 'dstreams']);
      if (words[2] === 'nc') {
        terminal1 = userCommand(words[0], words.slice(1), { env });
        current = terminal1;
        await waitFor(terminal1, 'nc to listen', () => terminal1!.stderr().includes(`listening on 127.0.0.1:${port}`));
        continue;
      }
      if (terminal2 !== undefined) {
        ctrlC(terminal2);
        await terminal2.exited();
      }
      terminal2 = npxDstreams(words.slice(2), { env });
      current = terminal2;
      programsStarted++;
      if (env.DSTREAMS_LOG_LEVEL === 'info') {
        const t2 = terminal2;
        await waitFor(t2, 'the web UI to bind', () => /"url":"(http:\/\/[^"]+)"/.test(t2.stderr()));
        const url = /"url":"(http:\/\/[^"]+)"/.exec(t2.stderr())![1];
        const page = await fetch(url);
        expect([url, page.status]).toEqual([url, 200]);
        expect(await page.text()).toMatch(/<title>[^<]*dstreams/i);
      }
      continue;
    }
    // An output block: do what the prose says, then wait for the output in the last command's terminal.
    const shown = current!;
    const typed = typedLines(b.before);
    if (typed.length > 0) {
      const nc = terminal1!;
      await waitFor(nc, 'the program to connect to nc', () => connections(nc) >= programsStarted);
      for (const line of typed) nc.child.stdin.write(line + '\n');
    }
    if (/press Enter in terminal 2/.test(b.before)) terminal2!.child.stdin.write('\n');
    await waitFor(shown, `the output shown at ${where(b)}`, () => showsOutput(withPort(shown.output()), withPort(b.text)), DEADLINE_MS);
  }
  expect(programsStarted).toBeGreaterThanOrEqual(4);
});
