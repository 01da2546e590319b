/**
 * The installed package, reached the ways a user reaches it: `npx dstreams`, `node_modules/.bin/dstreams`, a global
 * install's bin, `require('dstreams')` from CommonJS, `import` from ESM, and TypeScript's types through `exports`
 * (moduleResolution node16) and `types` (node10). The tarball holds the build, the bin, the UI and the examples.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanUp, type Running } from '../examples/exampleKit';
import { installed, npxDstreams, userCommand, writeUserFile } from './installedApp';

afterEach(cleanUp);

const COMMANDS = ['run', 'nc', 'generate', 'step', 'inspect', 'experiment'];

async function finished(r: Running): Promise<number | string> {
  return r.exited();
}

function expectUsage(r: Running): void {
  expect(r.stdout()).toMatch(/^Usage: dstreams \[options\] \[command\]\n/);
  for (const c of COMMANDS) expect(r.stdout()).toMatch(new RegExp(`^ {2}${c} `, 'm'));
}

test('npx dstreams --help, node_modules/.bin/dstreams --help and a global install print the usage', async () => {
  const { app, global } = installed();
  for (const r of [
    npxDstreams(['--help']),
    userCommand(path.join(app, 'node_modules/.bin/dstreams'), ['--help']),
    userCommand(path.join(global, 'bin/dstreams'), ['--help']),
  ]) {
    expect(await finished(r)).toBe(0);
    expectUsage(r);
  }
  const runHelp = npxDstreams(['run', '--help']);
  expect(await finished(runHelp)).toBe(0);
  expect(runHelp.stdout()).toMatch(/^Usage: dstreams run \[options\] <file> \[args\.\.\.\]/);
});

test('the tarball holds dist/ with types, the bin, the UI and the examples, and no TypeScript sources', () => {
  const pkg = path.join(installed().app, 'node_modules/dstreams');
  for (const f of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/cli/main.js', 'dist/lib/cli/stepPreload.js', 'dist/wal/FileBasedWriteAheadLog.js', 'dist/receivers/index.js', 'lib/cli/bin.js', 'lib/ui/static/index.html', 'examples/NetworkWordCount.ts', 'examples/StreamingExamples.ts', 'examples/main-job.ts', 'examples/experiments/wal-no-loss.ts', 'examples/data/streaming/word-sentiments.txt']) {
    expect([f, fs.existsSync(path.join(pkg, f))]).toEqual([f, true]);
  }
  const list = (d: string): string[] => fs.readdirSync(path.join(pkg, d), { recursive: true, encoding: 'utf8' });
  expect(list('dist').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  expect(list('dist').filter((f) => f.endsWith('.map'))).toEqual([]);
  expect(fs.readdirSync(pkg).filter((f) => !['LICENSE', 'README.md', 'dist', 'examples', 'lib', 'package.json'].includes(f))).toEqual([]);
  expect(list('lib').filter((f) => !/^(cli|ui|ui\/static)$/.test(f) && f !== 'cli/bin.js' && !f.startsWith('ui/static/'))).toEqual([]);
});

test("require('dstreams') from CommonJS and import from ESM give the API", async () => {
  writeUserFile('api.cjs', "const d = require('dstreams'); console.log(typeof d.StreamingContext, typeof d.Seconds, d.Seconds(2).milliseconds);\n");
  writeUserFile('api.mjs', "import { StreamingContext, Seconds, StorageLevel } from 'dstreams'; import d from 'dstreams';\nconsole.log(typeof StreamingContext, Seconds(3).milliseconds, String(StorageLevel.MEMORY_AND_DISK_SER_2), d.StreamingContext === StreamingContext);\n");
  const cjs = userCommand(process.execPath, ['api.cjs']);
  const esm = userCommand(process.execPath, ['api.mjs']);
  expect(await finished(cjs)).toBe(0);
  expect(cjs.stdout()).toBe('function function 2000\n');
  expect(await finished(esm)).toBe(0);
  expect(esm.stdout()).toMatch(/^function 3000 .+ true\n$/);
});

test('TypeScript finds the types through exports (node16) and through types (node10)', async () => {
  const { app } = installed();
  writeUserFile(
    'typed.ts',
    [
      "import { type DStream, Seconds, SparkConf, StreamingContext } from 'dstreams';",
      "const ssc = new StreamingContext(new SparkConf().setMaster('local[2]').setAppName('typed'), Seconds(1));",
      "const words: DStream<string> = ssc.socketTextStream('localhost', 9999).flatMap((l) => l.split(' '));",
      'const counts: DStream<[string, number]> = words.map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b);',
      'counts.print();',
      '// @ts-expect-error: a DStream<[string, number]> is not a DStream<number>',
      'const wrong: DStream<number> = counts;',
      'void wrong;',
      '',
    ].join('\n'),
  );
  const tsc = path.resolve(__dirname, '../../node_modules/typescript/bin/tsc');
  for (const [module, resolution] of [['node16', 'node16'], ['commonjs', 'node10']]) {
    const r = userCommand(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--types', 'node', '--typeRoots', path.resolve(__dirname, '../../node_modules/@types'), '--module', module, '--moduleResolution', resolution, '--target', 'es2022', 'typed.ts'], { cwd: app });
    expect([resolution, await finished(r), r.stdout() + r.stderr()]).toEqual([resolution, 0, '']);
  }
});
