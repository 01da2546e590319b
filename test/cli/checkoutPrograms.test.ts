/**
 * In a source checkout, `dstreams run` runs a program that imports 'dstreams' as a user's does (package
 * self-reference to the checkout's source): a CommonJS `.ts` and an ES-module `.mts` with named imports and
 * top-level await (which needs checkoutEsmHooks.mjs: Node sees no names through lib/index.ts's `export *`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collect, dstreams, exitCode, ROOT } from './cliHelpers';

const DIR = path.join(ROOT, 'test-artifacts', 'checkout-programs');

function program(name: string, text: string): string {
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(path.join(DIR, name), text);
  return path.join(DIR, name);
}

const BODY = `const ssc = new StreamingContext(new SparkConf().setMaster('local[2]').setAppName('checkout').set('spark.streaming.clock', 'manual'), Seconds(1));
ssc.queueStream([[1, 2], [3]]).map((x: number) => x * 10).print();
`;

test('an ES-module program with named imports from dstreams and top-level await, and a CommonJS one', async () => {
  const esm = program('named.mts', `import { Seconds, SparkConf, StreamingContext } from 'dstreams';\n${BODY}await ssc.start();\nawait ssc.step(2);\nawait ssc.stop();\n`);
  const cjs = program('plain.ts', `import { Seconds, SparkConf, StreamingContext } from 'dstreams';\n${BODY}void (async () => {\n  await ssc.start();\n  await ssc.step(2);\n  await ssc.stop();\n})();\n`);
  const expected = '-------------------------------------------\nTime: 1000 ms\n-------------------------------------------\n10\n20\n\n-------------------------------------------\nTime: 2000 ms\n-------------------------------------------\n30\n\n';
  for (const file of [esm, cjs]) {
    const c = dstreams(['run', file]);
    const out = collect(c.stdout);
    const err = collect(c.stderr);
    expect([path.basename(file), await exitCode(c), err.text()]).toEqual([path.basename(file), 0, '']);
    expect(out.text()).toBe(expected);
  }
});
