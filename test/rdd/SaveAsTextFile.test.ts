/** saveAsTextFile writes Spark's layout: part-00000..., _SUCCESS, one Scala-text element per line. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileAlreadyExistsException, JobFailedException } from '../../lib';
import { withContext } from './helpers';

const sc = withContext('local[2]');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-save-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = (out: string, name: string): string => fs.readFileSync(path.join(out, name), 'utf8');

describe('saveAsTextFile', () => {
  test('one part file per partition, _SUCCESS, elements as Scala prints them', async () => {
    const out = path.join(dir, 'counts');
    await sc()
      .parallelize<[string, unknown]>([['a', 1], ['b', [1, 2]], ['c', undefined]], 3)
      .saveAsTextFile(out);
    expect(fs.readdirSync(out).sort()).toEqual(['_SUCCESS', 'part-00000', 'part-00001', 'part-00002']);
    expect(read(out, 'part-00000')).toBe('(a,1)\n');
    expect(read(out, 'part-00001')).toBe('(b,(1,2))\n');
    expect(read(out, 'part-00002')).toBe('(c,None)\n');
    expect(read(out, '_SUCCESS')).toBe('');
  });

  test('empty partitions give empty part files; grouped values print as CompactBuffer', async () => {
    const out = path.join(dir, 'grouped');
    await sc()
      .parallelize<[string, number]>([['a', 1], ['a', 2]], 1)
      .groupByKey(2)
      .saveAsTextFile(out);
    expect(read(out, 'part-00000')).toBe('');
    expect(read(out, 'part-00001')).toBe('(a,CompactBuffer(1, 2))\n');
  });

  test('an existing folder is an error naming it; validateOutputSpecs=false overwrites the whole output', async () => {
    const out = path.join(dir, 'o');
    await sc().parallelize([1, 2, 3], 3).saveAsTextFile(out);
    const err = await sc().parallelize([1]).saveAsTextFile(out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileAlreadyExistsException);
    expect((err as FileAlreadyExistsException).path).toBe(out);
    expect((err as Error).message).toBe(`Output directory file:${out} already exists`);
    await sc().parallelize(['x', 'y'], 2).saveAsTextFile(out, false);
    expect(fs.readdirSync(out).sort()).toEqual(['_SUCCESS', 'part-00000', 'part-00001']);
    expect(read(out, 'part-00000') + read(out, 'part-00001')).toBe('x\ny\n');
  });

  test('a failed job leaves no _SUCCESS and no temporary files', async () => {
    const out = path.join(dir, 'failed');
    const err = await sc()
      .parallelize([1, 2], 2)
      .map((x) => {
        if (x === 2) throw new Error('cannot format 2');
        return x;
      })
      .saveAsTextFile(out)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedException);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
