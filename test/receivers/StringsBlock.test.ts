/** The text receivers' serialized runs are BlockSerializer's strings encoding, read back in windows. */
import { BlockEncoding, BlockSerializer } from '../../lib';
import { concatStringsRuns, forEachString, stringsRun } from '../../receivers/StringsBlock';

function collect(bytes: Buffer): string[] {
  const out: string[] = [];
  expect(forEachString(bytes, (s) => void out.push(s))).toBe(true);
  return out;
}

describe('StringsBlock', () => {
  test('runs concatenate into a block BlockSerializer reads, and that BlockSerializer writes the same bytes', () => {
    const a = ['alpha', '', 'beta'];
    const b = ['γάμμα', '€ and 😀', 'x'];
    const bytes = concatStringsRuns([stringsRun(a), stringsRun(b)]);
    expect(BlockSerializer.encodingOf(bytes)).toBe(BlockEncoding.Strings);
    expect(BlockSerializer.deserialize(bytes)).toEqual([...a, ...b]);
    expect(bytes.equals(BlockSerializer.serialize([...a, ...b]))).toBe(true);
    expect(BlockSerializer.countRecords(bytes)).toBe(6);
  });

  test('forEachString streams ASCII blocks window by window and other text at once, in order', () => {
    const ascii = Array.from({ length: 10_000 }, (_, i) => `record-${i}`);
    expect(collect(BlockSerializer.serialize(ascii))).toEqual(ascii);
    const mixed = [...ascii.slice(0, 3000), 'ünïcödé', ...ascii.slice(3000)];
    expect(collect(BlockSerializer.serialize(mixed))).toEqual(mixed);
    expect(collect(concatStringsRuns([]))).toEqual([]);
  });

  test('forEachString leaves other encodings alone and rejects inconsistent lengths', () => {
    expect(forEachString(BlockSerializer.serialize([1, 2]), () => undefined)).toBe(false);
    expect(forEachString(Buffer.from('nope'), () => undefined)).toBe(false);
    const bytes = BlockSerializer.serialize(['abc', 'def']);
    bytes.writeUInt32BE(4, 8);
    expect(() => forEachString(bytes, () => undefined)).toThrow(/Not a serialized dstreams block/);
  });
});
