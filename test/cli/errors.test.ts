/**
 * What a user sees when something is wrong, through the front door (`dstreams run`, `dstreams step`, `dstreams nc`
 * as child processes): a configuration error, a DSTREAMS_CONF entry without '=', a missing or malformed argument, a
 * port in use are one line plus a hint, with no stack trace unless DSTREAMS_LOG_LEVEL=debug; a bug in the program
 * keeps its stack trace.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { collect, dstreams, exitCode } from './cliHelpers';

const servers: net.Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

/** A port some other program holds. */
function busyPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    servers.push(s);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
  });
}

/** Runs `dstreams <args>` to its end with the user's log level (not the tests' silent one). */
async function dstreamsDone(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = dstreams(args, { DSTREAMS_LOG_LEVEL: undefined, ...env });
  c.stdin.end();
  const out = collect(c.stdout);
  const err = collect(c.stderr);
  const code = await exitCode(c);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** A user's program in a folder of the checkout, so that its `import ... from 'dstreams'` resolves (self-reference). */
function program(name: string, text: string): string {
  const file = path.join(__dirname, '..', '..', 'test-artifacts', 'cli-errors', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const QUEUE_PROGRAM = `import { Seconds, SparkConf, StreamingContext } from 'dstreams';
const ssc = new StreamingContext(new SparkConf().setMaster('local[2]').setAppName('bad-conf'), Seconds(1));
ssc.queueStream([ssc.sparkContext.parallelize([1])]).print();
void ssc.start();
`;

const CONFIG_LINE =
  "ConfigurationError: Invalid value 'abc' for configuration key 'spark.streaming.blockInterval': expected a time such as 50s, 100ms, 250us, 1min or 2h (units: us, ms, s, m or min, h, d)\n" +
  '  hint: DSTREAMS_CONF sets spark.streaming.blockInterval=abc: fix or remove that entry\n';
const ENTRY_LINE =
  "MalformedConfEntryError: Invalid entry in DSTREAMS_CONF: 'nonsense' is not key=value\n" +
  '  hint: DSTREAMS_CONF holds key=value entries separated by ";" or newlines, e.g. DSTREAMS_CONF="spark.streaming.blockInterval=200ms;dstreams.ui.port=0"\n';

test("dstreams run and step: a malformed configuration value and a DSTREAMS_CONF entry without '=' are one line plus a hint", async () => {
  const prog = program('queue.ts', QUEUE_PROGRAM);
  const runs = await Promise.all([
    ...['run', 'step'].flatMap((command) => [
      dstreamsDone([command, prog], { DSTREAMS_CONF: 'spark.streaming.blockInterval=abc' }).then((r) => [command, r.code, r.stderr]),
      dstreamsDone([command, prog], { DSTREAMS_CONF: 'dstreams.ui.enabled=false;nonsense' }).then((r) => [command, r.code, r.stderr]),
    ]),
    dstreamsDone(['run', 'examples/NetworkWordCount.ts', 'localhost', '9'], { DSTREAMS_CONF: 'nonsense' }).then((r) => ['example', r.code, r.stderr]),
  ]);
  expect(runs).toEqual([
    ['run', 1, CONFIG_LINE],
    ['run', 1, ENTRY_LINE],
    ['step', 1, CONFIG_LINE],
    ['step', 1, ENTRY_LINE],
    ['example', 1, ENTRY_LINE],
  ]);
});

test('DSTREAMS_LOG_LEVEL=debug adds the stack trace after the line and the hint', async () => {
  const prog = program('queue.ts', QUEUE_PROGRAM);
  const r = await dstreamsDone(['run', prog], { DSTREAMS_CONF: 'spark.streaming.blockInterval=abc', DSTREAMS_LOG_LEVEL: 'debug' });
  expect(r.code).toBe(1);
  expect(r.stderr.startsWith(CONFIG_LINE)).toBe(true);
  expect(r.stderr).toMatch(/\n {4}at .*StreamingContext/);
});

test('an example without its arguments prints its usage and a hint; a malformed port names it', async () => {
  const [missing, stepMissing, badPort] = await Promise.all([
    dstreamsDone(['run', 'examples/NetworkWordCount.ts']),
    dstreamsDone(['step', 'examples/network_wordcount.ts', 'localhost']),
    dstreamsDone(['run', 'examples/NetworkWordCount.ts', 'localhost', 'abc']),
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe(
    'Usage: NetworkWordCount <hostname> <port>\n' +
      '  hint: start a line server first (npx dstreams nc -lk 9999 in another terminal), then: npx dstreams run examples/NetworkWordCount.ts localhost 9999\n',
  );
  expect(stepMissing.code).toBe(255);
  expect(stepMissing.stderr).toMatch(/^Usage: network_wordcount\.ts <hostname> <port>\n {2}hint: [^\n]+\n$/);
  expect(badPort.code).toBe(1);
  expect(badPort.stderr).toMatch(/^Invalid <port> 'abc': expected a port number 0-65535\n {2}hint: Usage: NetworkWordCount <hostname> <port>; [^\n]+\n$/);
});

const PORT_HINT = (port: number): string =>
  `  hint: another program listens there (a dstreams nc or a job still running in another terminal?): stop it, or choose another port; \`ss -ltnp | grep :${port}\` shows which program\n`;

test('a port in use: dstreams nc, an example that serves, and a program that listens say which port and what to do', async () => {
  const port = await busyPort();
  // The last: a program of the user's that listens without an error handler (the preload of dstreams run shows it).
  const prog = program('listen.mts', `import * as net from 'node:net';\nnet.createServer().listen(${port}, '127.0.0.1');\n`);
  const [nc, sender, own] = await Promise.all([
    dstreamsDone(['nc', '-lk', String(port)]),
    dstreamsDone(['run', 'examples/RawTextSender.ts', String(port), 'README.md', '1000', '100000']),
    dstreamsDone(['run', prog]),
  ]);
  expect(nc.code).toBe(1);
  expect(nc.stderr).toBe(`dstreams: port ${port} on 127.0.0.1 is already in use (listen EADDRINUSE)\n${PORT_HINT(port)}`);
  expect(sender.code).toBe(1);
  expect(sender.stderr).toBe(`Error: port ${port} on 127.0.0.1 is already in use (listen EADDRINUSE)\n${PORT_HINT(port)}`);
  expect(own.code).toBe(1);
  expect(own.stderr).toBe(`Error: port ${port} on 127.0.0.1 is already in use (listen EADDRINUSE)\n${PORT_HINT(port)}`);
});

test("a bug in the program keeps its stack trace; a program's own uncaughtException handler keeps working", async () => {
  const bug = program('bug.ts', "const words: string[] | undefined = undefined as unknown as string[];\nconsole.log(words.length);\n");
  const handled = program('handled.ts', "process.on('uncaughtException', (e) => { console.log(`handled ${e.message}`); process.exit(3); });\nthrow new Error('mine');\n");
  const [r, h] = await Promise.all([dstreamsDone(['run', bug]), dstreamsDone(['run', handled])]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'length'\)\n {4}at .*bug\.ts:2/m);
  expect(h.code).toBe(3);
  expect(h.stdout).toBe('handled mine\n');
  expect(h.stderr).toBe('');
});
