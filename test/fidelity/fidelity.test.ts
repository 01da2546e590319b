/**
 * Output identical to real Spark: every fidelity program's dstreams twin, run on the manual clock, prints what real
 * Spark 3.5 printed (test/fidelity/goldens/, recorded by scripts/spark-goldens), text and order, per flavour:
 * Scala `print()` and PySpark `pprint()`. See test/fidelity/README.md for the format.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { comparable, flavorsOf, goldenPath, loadSpecs, loadTwins, orderOf, PROGRAMS_DIR, runTwin } from './twinKit';

const specs = loadSpecs();
const twins = loadTwins();

test('every program has a twin, a golden per flavour, and every twin a program', () => {
  const problems: string[] = [];
  for (const spec of specs.values()) {
    if (!twins.has(spec.name)) problems.push(`${spec.name}: no twin in test/fidelity/programs/${spec.topic}.ts`);
    for (const flavor of flavorsOf(spec)) {
      if (!fs.existsSync(goldenPath(spec.name, flavor))) problems.push(`${spec.name}: no ${flavor} golden (run scripts/spark-goldens --only ${spec.name})`);
    }
  }
  for (const name of twins.keys()) if (!specs.has(name)) problems.push(`${name}: a twin without a program in a .json file`);
  expect(problems).toEqual([]);
});

test('the programs that test/fidelity/README.md shows are, verbatim, programs that run', () => {
  const readme = fs.readFileSync(path.join(__dirname, 'README.md'), 'utf8');
  const shown = [...readme.matchAll(/```(?:python|scala|ts)\n(?:#|\/\/) programs\/(\S+)\n([^]*?)```/g)];
  expect(shown.map((m) => m[1])).toEqual(['pairs.py', 'Pairs.scala', 'pairs.ts']);
  for (const [, file, body] of shown) expect(fs.readFileSync(path.join(PROGRAMS_DIR, file), 'utf8')).toContain(body);
});

for (const spec of specs.values()) {
  const twin = twins.get(spec.name);
  for (const flavor of flavorsOf(spec)) {
    const file = goldenPath(spec.name, flavor);
    if (twin === undefined || !fs.existsSync(file)) continue;
    const differs = spec.differs?.[flavor];
    const mode = orderOf(spec, flavor);
    const title = `${spec.topic}/${spec.name} [${flavor}${mode === 'multiset' ? ', as multisets' : ''}]`;
    if (differs !== undefined) {
      test(`${title} still differs from Spark: ${differs}`, async () => {
        const { expected, actual } = comparable(spec, flavor, fs.readFileSync(file, 'utf8'), await runTwin(spec, twin, flavor));
        // Once this fails, the difference is gone: remove "differs" from the program's .json entry.
        expect(actual).not.toBe(expected);
      });
      continue;
    }
    test(title, async () => {
      const golden = fs.readFileSync(file, 'utf8');
      // A batch cut at `num` elements shows which elements come first: only an exact comparison can check it.
      if (mode === 'multiset') expect(golden.split('\n')).not.toContain('...');
      const { expected, actual } = comparable(spec, flavor, golden, await runTwin(spec, twin, flavor));
      expect(actual).toBe(expected);
    });
  }
}
