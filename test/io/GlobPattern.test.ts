/** Hadoop-style globs for file stream folders and textFile paths. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { globStatus, globToRegExp, normalizeInputPath } from '../../lib';

test('glob segments: *, ?, classes, negated classes, alternatives, escapes', () => {
  const m = (g: string, s: string): boolean => globToRegExp(g).test(s);
  expect(m('sub*', 'subdir')).toBe(true);
  expect(m('sub*', 'xsub')).toBe(false);
  expect(m('a?c', 'abc')).toBe(true);
  expect(m('a?c', 'ac')).toBe(false);
  expect(m('[a-c]x', 'bx')).toBe(true);
  expect(m('[!a-c]x', 'bx')).toBe(false);
  expect(m('[^a-c]x', 'dx')).toBe(true);
  expect(m('{foo,ba[rz]}.log', 'baz.log')).toBe(true);
  expect(m('{foo,bar}.log', 'qux.log')).toBe(false);
  expect(m('a\\*b', 'a*b')).toBe(true);
  expect(m('a\\*b', 'axb')).toBe(false);
  expect(m('x.y', 'xzy')).toBe(false);
  expect(() => globToRegExp('{a,b')).toThrow('Unclosed group in glob {a,b');
});

test('file: URIs and relative paths become absolute paths', () => {
  expect(normalizeInputPath('file:///tmp/x/')).toBe('/tmp/x');
  expect(normalizeInputPath('file:/tmp/x')).toBe('/tmp/x');
  expect(normalizeInputPath('rel')).toBe(path.resolve('rel'));
});

test('globStatus matches existing paths segment by segment and reports a missing glob-free prefix', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-glob-'));
  try {
    for (const d of ['a1/in', 'a2/in', 'a2/out', 'b1/in']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'a3'), 'not a folder');
    const r = await globStatus(path.join(root, 'a*', 'in'));
    expect(r.statuses.map((s) => path.relative(root, s.path))).toEqual(['a1/in', 'a2/in']);
    expect(r.missingBase).toBeUndefined();
    const all = await globStatus(root + '/*/');
    expect(all.statuses.map((s) => [path.basename(s.path), s.isDirectory])).toEqual([
      ['a1', true],
      ['a2', true],
      ['a3', false],
      ['b1', true],
    ]);
    const missing = await globStatus(path.join(root, 'nope', '*'));
    expect(missing).toEqual({ statuses: [], missingBase: path.join(root, 'nope') });
    expect((await globStatus(path.join(root, 'z*'))).statuses).toEqual([]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
