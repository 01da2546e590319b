/**
 * The number and string text of print() and pprint() against what the JDK and the Python of the goldens print
 * (test/fidelity/vectors/, recorded by scripts/spark-goldens): Java's Double.toString of JDK 17, Python's
 * repr(float) and repr(str).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { javaDoubleToString, javaDoubleToStringExact } from '../../lib/core/JavaDouble';
import { pythonFloatRepr, pythonRepr, pythonStr } from '../../lib/core/PythonFormat';
import { ScalaArray, ScalaArrayBuffer } from '../../lib/core/ScalaCollection';
import { scalaString } from '../../lib/core/ScalaFormat';
import { CompactBuffer } from '../../lib/rdd/CompactBuffer';

const VECTORS = path.join(__dirname, 'vectors');

function lines(file: string): string[] {
  return fs
    .readFileSync(path.join(VECTORS, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function fromBits(hex: string): number {
  return Buffer.from(hex.padStart(16, '0'), 'hex').readDoubleBE(0);
}

/** Every vector whose text differs, as `input: expected != actual` (an empty list when all match). */
function mismatches(file: string, parse: (line: string) => [unknown, string], format: (x: never) => string): string[] {
  const bad: string[] = [];
  for (const line of lines(file)) {
    const [x, expected] = parse(line);
    const actual = format(x as never);
    if (actual !== expected) bad.push(`${line}: got ${actual}`);
  }
  return bad;
}

const bitsAndText = (line: string): [number, string] => {
  const sp = line.indexOf(' ');
  return [fromBits(line.slice(0, sp)), line.slice(sp + 1)];
};

test("Java's Double.toString of JDK 17, as Scala's print() shows a Double", () => {
  expect(lines('java-double-tostring.txt').length).toBeGreaterThan(2000);
  expect(mismatches('java-double-tostring.txt', bitsAndText, javaDoubleToString)).toEqual([]);
});

test("Double.toString's fast path (JavaScript's shortest digits) agrees with the port of JDK 17's FloatingDecimal", () => {
  // A seeded sample of the doubles the fast path takes: random bits, random decimals of 1 to 17 digits.
  const view = new DataView(new ArrayBuffer(8));
  let seed = 0x9e3779b97f4a7c15n;
  const next = (): bigint => (seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn);
  const bad: string[] = [];
  for (let i = 0; i < 5000; i++) {
    view.setBigUint64(0, next());
    const digits = 1 + Number(next() % 17n);
    for (const d of [view.getFloat64(0), Number(`${next() % 10n ** BigInt(digits)}e${Number(next() % 600n) - 300}`)]) {
      if (!Number.isFinite(d)) continue;
      if (javaDoubleToString(d) !== javaDoubleToStringExact(d)) bad.push(`${d}: ${javaDoubleToString(d)} != ${javaDoubleToStringExact(d)}`);
    }
  }
  expect(bad).toEqual([]);
});

test("Python's repr(float), as pprint() shows a float", () => {
  expect(lines('python-float-repr.txt').length).toBeGreaterThan(2000);
  expect(mismatches('python-float-repr.txt', bitsAndText, pythonFloatRepr)).toEqual([]);
});

test("Python's repr(str): escapes of what str.isprintable() rejects, and the quote choice", () => {
  const parse = (line: string): [string, string] => {
    // Both halves are JSON strings; the first ends at the first `" "` outside an escape.
    const all = JSON.parse(`[${line.replace(/^("(?:[^"\\]|\\.)*") /, '$1,')}]`) as [string, string];
    return all;
  };
  expect(lines('python-str-repr.txt').length).toBeGreaterThan(3000);
  expect(mismatches('python-str-repr.txt', parse, pythonRepr)).toEqual([]);
});

test('numbers: a safe integer is an Int / a Python int, any other number a Double / a float', () => {
  expect([1e-5, 1e22, 5e-324, 12345678.9, 2.5e-7, 9.99e-4, 0.5, -0, 2 ** 53, NaN, Infinity].map(scalaString)).toEqual([
    '1.0E-5',
    '1.0E22',
    '4.9E-324',
    '1.23456789E7',
    '2.5E-7',
    '9.99E-4',
    '0.5',
    '-0.0',
    '9.007199254740992E15',
    'NaN',
    'Infinity',
  ]);
  expect([1e-5, 1e22, 5e-324, 1e16, 0.5, -0, 2 ** 53, NaN, -Infinity, 7, 2 ** 53 - 1].map((x) => pythonRepr(x))).toEqual([
    '1e-05',
    '1e+22',
    '5e-324',
    '1e+16',
    '0.5',
    '-0.0',
    '9007199254740992.0',
    'nan',
    '-inf',
    '7',
    '9007199254740991',
  ]);
});

test('collections: ArrayBuffer and CompactBuffer by name in Scala, lists in Python; glom arrays are Array(...) and lists; plain arrays are tuples', () => {
  const ab = new ScalaArrayBuffer<number>();
  ab.push(19, 17);
  const cb = CompactBuffer.of1('x');
  const glommed = ScalaArray.copyOf([501, 132, 150]);
  expect(scalaString(['k', ab])).toBe('(k,ArrayBuffer(19, 17))');
  expect(scalaString(['k', [cb, cb]])).toBe('(k,(CompactBuffer(x),CompactBuffer(x)))');
  expect(scalaString(glommed)).toBe('Array(501, 132, 150)');
  expect(pythonStr(['k', ab])).toBe("('k', [19, 17])");
  expect(pythonStr(glommed)).toBe('[501, 132, 150]');
  expect(pythonStr([501, 132, 150])).toBe('(501, 132, 150)');
  expect(pythonStr([1])).toBe('(1,)');
  // map() of a Scala collection gives a plain array (a tuple again).
  expect(pythonStr(glommed.map((x) => x + 1))).toBe('(502, 133, 151)');
});
