/**
 * A shuffle read more than once gives the same result every time, even when the combiner functions change their
 * first argument in place (Spark allows it: `aggregateByKey`/`foldByKey` say so, `groupByKey` itself appends to its
 * buffer). The map outputs stay with the ShuffledRDD for every later read (a second action, a second output
 * operation of a batch), so they must never be the objects a reduce-side merge mutates.
 */
import type { DStream } from '../../lib';
import { cloneValue } from '../../lib/rdd/cloneValue';
import { CompactBuffer } from '../../lib/rdd/CompactBuffer';
import { collectOutput, createManualContext, runStreams, stopAllContexts, TestInputStream } from '../streaming/harness';
import { withContext } from './helpers';

const pairs: [string, number][] = [
  ['a', 1],
  ['a', 2],
  ['b', 3],
  ['a', 4],
  ['b', 5],
];

const push = (c: number[], v: number): number[] => {
  c.push(v);
  return c;
};
const concat = (c1: number[], c2: number[]): number[] => {
  c1.push(...c2);
  return c1;
};
const expected = [
  ['a', [1, 2, 4]],
  ['b', [3, 5]],
];

const sorted = (xs: [string, number[]][]): [string, number[]][] =>
  xs.map(([k, v]) => [k, [...v].sort((x, y) => x - y)] as [string, number[]]).sort(([a], [b]) => (a < b ? -1 : 1));

describe('a shuffle read twice', () => {
  const sc = withContext();

  test('combineByKey with in-place merges', async () => {
    const rdd = sc().parallelize(pairs, 2).combineByKey((v: number) => [v], push, concat);
    expect(sorted(await rdd.collect())).toEqual(expected);
    expect(sorted(await rdd.collect())).toEqual(expected);
    expect(await rdd.count()).toBe(2);
    expect(sorted(await rdd.collect())).toEqual(expected);
  });

  test('aggregateByKey and foldByKey with in-place operators', async () => {
    const agg = sc().parallelize(pairs, 3).aggregateByKey([] as number[], push, concat);
    expect(sorted(await agg.collect())).toEqual(expected);
    expect(sorted(await agg.collect())).toEqual(expected);
    const fold = sc()
      .parallelize(pairs.map(([k, v]) => [k, [v]] as [string, number[]]), 3)
      .foldByKey([], concat);
    expect(sorted(await fold.collect())).toEqual(expected);
    expect(sorted(await fold.collect())).toEqual(expected);
  });

  test('reduceByKey whose function appends to its first argument', async () => {
    const rdd = sc()
      .parallelize(pairs.map(([k, v]) => [k, [v]] as [string, number[]]), 2)
      .reduceByKey(concat);
    const first = sorted(await rdd.collect());
    expect(first).toEqual(expected);
    expect(sorted(await rdd.collect())).toEqual(first);
  });

  test('a reader that changes what it was given does not change the next read', async () => {
    const rdd = sc().parallelize(pairs, 2).groupByKey();
    const once = await rdd.collect();
    for (const [, vs] of once) (vs as number[]).push(99);
    expect(sorted((await rdd.collect()) as [string, number[]][])).toEqual(expected);
  });
});

describe('a batch with two output operations on one shuffled stream', () => {
  afterEach(stopAllContexts);

  test('both see the same counts', async () => {
    const ssc = createManualContext();
    const input = new TestInputStream(ssc, [pairs.map(([k, v]) => [k, [v]] as [string, number[]])], 2);
    const reduced: DStream<[string, number[]]> = input.reduceByKey(concat);
    const first = collectOutput(reduced);
    const second = collectOutput(reduced);
    await runStreams(ssc, 1, second);
    expect(sorted(first.batches[0])).toEqual(expected);
    expect(sorted(second.batches[0])).toEqual(expected);
  });
});

describe('cloneValue', () => {
  test('copies deeply and keeps classes, dates, maps, sets, bytes and cycles', () => {
    class Point {
      constructor(
        public x: number,
        public tags: string[],
      ) {}
      norm(): number {
        return Math.abs(this.x);
      }
    }
    const buf = CompactBuffer.of1(new Point(-2, ['p']));
    const cyclic: { self?: unknown; n: number } = { n: 1 };
    cyclic.self = cyclic;
    const v = { buf, when: new Date(5), m: new Map([['k', [1]]]), s: new Set([[2]]), bytes: Buffer.from('ab'), cyclic, f: Math.max };
    const c = cloneValue(v);
    expect(c).not.toBe(v);
    expect(c.buf).toBeInstanceOf(CompactBuffer);
    expect(c.buf).not.toBe(buf);
    expect(c.buf[0]).toBeInstanceOf(Point);
    expect(c.buf[0].norm()).toBe(2);
    c.buf[0].tags.push('q');
    expect(buf[0].tags).toEqual(['p']);
    expect(c.when.getTime()).toBe(5);
    expect(c.m.get('k')).toEqual([1]);
    expect(c.m.get('k')).not.toBe(v.m.get('k'));
    expect([...c.s][0]).toEqual([2]);
    expect(Buffer.isBuffer(c.bytes) && c.bytes.toString()).toBe('ab');
    expect(c.cyclic.self).toBe(c.cyclic);
    expect(c.f).toBe(Math.max);
    expect(cloneValue(7)).toBe(7);
    expect(cloneValue(null)).toBe(null);
  });
});
