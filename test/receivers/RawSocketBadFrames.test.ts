/**
 * A rawSocketStream fed bad frames among good ones, in a real child process with the receiver WAL and a checkpoint:
 * the bad frames (valid header, bad body) are dropped and reported with their offsets, every good record is
 * counted, and after a SIGKILL the restarted process recovers and keeps running: no batch is poisoned, so there is
 * no crash loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { BlockSerializer } from '../../lib';
import { TestServer, waitFor } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'fixtures', 'rawSocketCountChild.ts');

function frame(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Good blocks `r<from>..r<from + n - 1>`. */
const good = (from: number, n: number): Buffer => frame(BlockSerializer.serialize(Array.from({ length: n }, (_, i) => `r${from + i}`)));

function badFrames(): Buffer[] {
  const badStrings = BlockSerializer.serialize(['abc', 'de']);
  badStrings.writeUInt32BE(7, 8);
  const header = BlockSerializer.serialize([1]).subarray(0, 4);
  return [frame(badStrings), frame(Buffer.concat([header, Buffer.from([0xff, 0x0f, 0x6f, 0x7b])])), frame(Buffer.concat([header, v8.serialize({ not: 'an array' })]))];
}

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(port: number, cp: string, out: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, String(port), cp, out], {
    cwd: ROOT,
    env: { ...process.env, DSTREAMS_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Every record the sink holds (the newest file per batch time), in batch order. */
function sinkRecords(out: string): string[] {
  return fs
    .readdirSync(out)
    .filter((f) => /^records-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.slice(8, -5)) - Number(b.slice(8, -5)))
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')) as string[]);
}

test('bad frames are dropped and reported, good records counted; a SIGKILLed run recovers without a crash loop', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-raw-bad-'));
  const cp = path.join(dir, 'checkpoint');
  const out = path.join(dir, 'out');
  const server = await new TestServer().listen();
  const children: Child[] = [];
  try {
    let child = start(server.port, cp, out);
    children.push(child);
    await server.waitForConnections(1);
    const [b1, b2, b3] = badFrames();
    const first = [good(0, 3), b1, good(3, 2), b2, good(5, 4), b3, good(9, 1)];
    server.write(Buffer.concat(first));
    const expected1 = Array.from({ length: 10 }, (_, i) => `r${i}`);
    await waitFor(() => sinkRecords(out).length >= 10 || child.proc.exitCode !== null, 'the good records in the sink', 20_000);
    expect({ exit: child.proc.exitCode, stderr: child.stderr() }).toEqual({ exit: null, stderr: '' });
    expect(sinkRecords(out)).toEqual(expected1);
    const offset = (i: number): number => first.slice(0, i).reduce((n, f) => n + f.length, 0);
    const reports = child.stdout().split('\n').filter((l) => l.startsWith('RECEIVER-ERROR '));
    expect(reports).toEqual([
      expect.stringContaining(`bad frame at offset ${offset(1)}: 21-byte frame dropped: Not a serialized dstreams block: string lengths sum to 9, text has 5 characters`),
      expect.stringContaining(`bad frame at offset ${offset(3)}: 8-byte frame dropped: Not a serialized dstreams block: v8 body does not deserialize`),
      expect.stringContaining(`bad frame at offset ${offset(5)}: 24-byte frame dropped: Not a serialized dstreams block: v8 body is not an array`),
    ]);
    for (const r of reports) expect(r).toMatch(new RegExp(`^RECEIVER-ERROR Stream 0 \\(socket 127\\.0\\.0\\.1:${server.port}\\): `));

    // More good and bad frames are stored (WAL), then the process is SIGKILLed before their batch necessarily ran.
    server.write(Buffer.concat([good(10, 2), b1, good(12, 3)]));
    await waitFor(() => fs.existsSync(path.join(cp, 'receivedData')), 'the receiver WAL');
    await new Promise((r) => setTimeout(r, 100));
    child.proc.kill('SIGKILL');
    expect((await child.exit).signal).toBe('SIGKILL');

    child = start(server.port, cp, out);
    children.push(child);
    await server.waitForConnections(2);
    await waitFor(() => child.stdout().includes('recovered'), 'the recovery');
    server.write(Buffer.concat([b2, good(15, 2)]));
    // Records the killed process received but had not stored are gone (a raw socket does not replay): the sink has
    // every record once, in order, ending with the last frame's.
    await waitFor(() => sinkRecords(out).includes('r16') || child.proc.exitCode !== null, 'the records sent after the restart', 20_000);
    // Several batches later the process still runs: nothing poisoned is re-run.
    await new Promise((r) => setTimeout(r, 1000));
    expect({ exit: child.proc.exitCode, stderr: child.stderr() }).toEqual({ exit: null, stderr: '' });
    const all = sinkRecords(out);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, 10)).toEqual(expected1);
    expect(all.slice(-2)).toEqual(['r15', 'r16']);
    expect(child.stdout()).toContain('bad frame at offset 0: 8-byte frame dropped');
  } finally {
    for (const c of children) c.proc.kill('SIGKILL');
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
