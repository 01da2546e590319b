import { BLOCK_FORMAT_VERSION, BlockEncoding, BlockFormatError, BlockSerializer } from '../../lib/storage/BlockSerializer';

describe('BlockSerializer', () => {
  test('arrays of strings take the fast path and round-trip, including non-ASCII and empty strings', () => {
    const values = ['hello', '', 'wörld', '日本語', '🙂 emoji', 'a'.repeat(10000)];
    const bytes = BlockSerializer.serialize(values);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x44, 0x42, BLOCK_FORMAT_VERSION, BlockEncoding.Strings]));
    expect(BlockSerializer.deserialize(bytes)).toEqual(values);
    expect(BlockSerializer.countRecords(bytes)).toBe(values.length);
  });

  test('a lone surrogate (not valid UTF-8) goes through v8 and round-trips exactly', () => {
    const values = ['ok', 'broken \ud800 pair'];
    const bytes = BlockSerializer.serialize(values);
    expect(BlockSerializer.encodingOf(bytes)).toBe(BlockEncoding.V8);
    expect(BlockSerializer.deserialize(bytes)).toEqual(values);
  });

  test('arrays of Buffers take the fast path and round-trip', () => {
    const values = [Buffer.from([1, 2, 3]), Buffer.alloc(0), Buffer.alloc(5000, 7)];
    const bytes = BlockSerializer.serialize(values);
    expect(BlockSerializer.encodingOf(bytes)).toBe(BlockEncoding.Buffers);
    expect(BlockSerializer.deserialize(bytes)).toEqual(values);
    expect(BlockSerializer.countRecords(bytes)).toBe(3);
  });

  test('other values go through v8.serialize and keep their JavaScript types', () => {
    const values: unknown[] = [1, 'two', { three: [3] }, new Map([['k', 1]]), new Date(5), null, [1, 'mixed']];
    const bytes = BlockSerializer.serialize(values);
    expect(BlockSerializer.encodingOf(bytes)).toBe(BlockEncoding.V8);
    expect(BlockSerializer.deserialize(bytes)).toEqual(values);
    expect(BlockSerializer.countRecords(bytes)).toBe(values.length);
  });

  test('an empty block round-trips', () => {
    expect(BlockSerializer.deserialize(BlockSerializer.serialize([]))).toEqual([]);
  });

  test('bytes that are not a block are a clear error', () => {
    expect(() => BlockSerializer.deserialize(Buffer.from('plain text'))).toThrow(BlockFormatError);
    expect(() => BlockSerializer.deserialize(Buffer.from('plain text'))).toThrow('Not a serialized dstreams block: bad magic');
    expect(() => BlockSerializer.deserialize(Buffer.from([0x44, 0x42, 9, 1]))).toThrow('unknown format version 9');
    expect(() => BlockSerializer.deserialize(Buffer.from([0x44, 0x42, 1, 7]))).toThrow('unknown encoding 7');
    const truncated = BlockSerializer.serialize(['abc', 'def']).subarray(0, 10);
    expect(() => BlockSerializer.deserialize(truncated)).toThrow(BlockFormatError);
    expect(() => BlockSerializer.serialize('not an array' as never)).toThrow(/expects an array/);
  });
});
