/** LineSplitter: Hadoop LineReader / Java readLine line ends, wherever the chunk boundaries fall. */
import { LineSplitter } from '../../lib';

function split(chunks: Buffer[], skipBom = true): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const s = new LineSplitter((line, offset) => out.push([line, offset]), skipBom);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

const SAMPLE = Buffer.from('ab\r\nc\rd\n\n\r\ré日本\r\nlast');
const EXPECTED: Array<[string, number]> = [
  ['ab', 0],
  ['c', 4],
  ['d', 6],
  ['', 8],
  ['', 9],
  ['', 10],
  ['é日本', 11],
  ['last', 21],
];

test('\\n, \\r\\n and \\r end lines; empty lines are kept; an unterminated last line is kept; offsets are bytes', () => {
  expect(split([SAMPLE])).toEqual(EXPECTED);
});

test('every two- and three-chunk cut gives the same lines and offsets (CRLF and UTF-8 sequences cut in half)', () => {
  for (let i = 0; i <= SAMPLE.length; i++) {
    expect(split([SAMPLE.subarray(0, i), SAMPLE.subarray(i)])).toEqual(EXPECTED);
    for (let j = i; j <= SAMPLE.length; j++) {
      expect(split([SAMPLE.subarray(0, i), SAMPLE.subarray(i, j), SAMPLE.subarray(j)])).toEqual(EXPECTED);
    }
  }
});

test('one byte at a time', () => {
  const bytes = [...SAMPLE].map((b) => Buffer.from([b]));
  expect(split(bytes)).toEqual(EXPECTED);
});

test('a trailing terminator adds no empty line; a lone \\r at the very end ends the line', () => {
  expect(split([Buffer.from('a\n')])).toEqual([['a', 0]]);
  expect(split([Buffer.from('a\r')])).toEqual([['a', 0]]);
  expect(split([Buffer.from('a\r'), Buffer.from('\n'), Buffer.from('b')])).toEqual([
    ['a', 0],
    ['b', 3],
  ]);
  expect(split([])).toEqual([]);
  expect(split([Buffer.from('\n')])).toEqual([['', 0]]);
});

test('invalid UTF-8 becomes U+FFFD; a UTF-8 BOM at offset 0 is dropped as Hadoop does (kept when asked)', () => {
  expect(split([Buffer.from([0xc3, 0x28, 0x0a, 0x41])])).toEqual([
    ['\ufffd(', 0],
    ['A', 3],
  ]);
  const bom = Buffer.from([0xef, 0xbb, 0xbf, 0x78, 0x0a]);
  expect(split([bom])).toEqual([['x', 3]]);
  expect(split([bom], false)).toEqual([['\ufeffx', 0]]);
});
