/** Line splitting as Java's readLine: \n, \r\n, \r; chunk boundaries anywhere; UTF-8; the line-length limit. */
import { BlockSerializer } from '../../lib';
import { SocketLineSplitter } from '../../receivers';
import { concatStringsRuns, type StringsRun } from '../../receivers/StringsBlock';

function splitAll(chunks: Array<string | Buffer>, max = 1 << 20): { lines: string[]; tooLong: number[] } {
  const tooLong: number[] = [];
  const s = new SocketLineSplitter(max, (n) => tooLong.push(n));
  const lines: string[] = [];
  for (const c of chunks) lines.push(...s.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'utf8')));
  lines.push(...s.end());
  return { lines, tooLong };
}

/** The same, through the serialized form the text receiver stores (decoded back with BlockSerializer). */
function splitSerialized(chunks: Array<string | Buffer>, max = 1 << 20): { lines: string[]; tooLong: number[] } {
  const tooLong: number[] = [];
  const s = new SocketLineSplitter(max, (n) => tooLong.push(n));
  const runs: StringsRun[] = [];
  for (const c of chunks) runs.push(s.pushSerialized(Buffer.isBuffer(c) ? c : Buffer.from(c, 'utf8')));
  runs.push(s.endSerialized());
  return { lines: BlockSerializer.deserialize(concatStringsRuns(runs)) as string[], tooLong };
}

describe('SocketLineSplitter', () => {
  test('every line end of readLine, and the last line without one', () => {
    expect(splitAll(['a\nb\r\nc\rd']).lines).toEqual(['a', 'b', 'c', 'd']);
    expect(splitAll(['\n\n']).lines).toEqual(['', '']);
    expect(splitAll(['x\r\n']).lines).toEqual(['x']);
    expect(splitAll(['x\r\r\n']).lines).toEqual(['x', '']);
    expect(splitAll(['']).lines).toEqual([]);
  });

  test('the same lines whatever the chunk boundaries (every split point of a sample)', () => {
    const text = 'one\r\ntwo\rthree\n\r\nfünf€\r\r\nsix';
    const expected = splitAll([text]).lines;
    expect(expected).toEqual(['one', 'two', 'three', '', 'fünf€', '', 'six']);
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const pieces = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
        expect(splitAll(pieces).lines).toEqual(expected);
        expect(splitSerialized(pieces).lines).toEqual(expected);
      }
    }
  });

  test('the serialized form takes the ASCII fast path and falls back for everything else, with the same lines', () => {
    const ascii = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n') + '\nrest';
    const pieces = [ascii.slice(0, 1000), ascii.slice(1000, 1001), ascii.slice(1001)];
    expect(splitSerialized(pieces).lines).toEqual(splitAll(pieces).lines);
    // A character cut at a chunk end followed by an ASCII chunk: the cut character is invalid.
    const euro = Buffer.from('€', 'utf8');
    const cut = [Buffer.concat([Buffer.from('a\nb'), euro.subarray(0, 2)]), Buffer.from('c\nd\n')];
    expect(splitSerialized(cut).lines).toEqual(splitAll(cut).lines);
    expect(splitSerialized(cut).lines).toEqual(['a', 'b\uFFFDc', 'd']);
    // Over-long lines are dropped on both paths.
    const long = ['ok\n' + 'x'.repeat(20) + '\nfine\n', 'y'.repeat(30), 'z\nlast\n'];
    expect(splitSerialized(long, 10)).toEqual({ lines: ['ok', 'fine', 'last'], tooLong: [20, 30] });
  });

  test('invalid UTF-8 becomes U+FFFD', () => {
    expect(splitAll([Buffer.from([0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a, 0xc3])]).lines).toEqual(['a\uFFFD', '\uFFFD', '\uFFFD']);
  });

  test('a line over the limit is dropped and reported, inside a chunk or across many; the rest goes on', () => {
    const r1 = splitAll(['ok\n' + 'x'.repeat(20) + '\nfine\n'], 10);
    expect(r1.lines).toEqual(['ok', 'fine']);
    expect(r1.tooLong).toEqual([20]);
    const parts = ['a\n', ...Array(50).fill('y'.repeat(7)), '\nb\n'];
    const s = new SocketLineSplitter(10, () => undefined);
    const out: string[] = [];
    for (const p of parts) {
      out.push(...s.push(Buffer.from(p)));
      expect(s.pendingLength).toBeLessThanOrEqual(10);
    }
    expect(out).toEqual(['a', 'b']);
    // Multi-byte characters count as their UTF-8 bytes.
    expect(splitAll(['€€€€\n€€\n'], 10).lines).toEqual(['€€']);
    // The dropped unterminated last line is not emitted at the end.
    expect(splitAll(['z'.repeat(30)], 10).lines).toEqual([]);
  });
});
