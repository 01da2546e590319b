/**
 * Spark's StateMapSuite vectors (reference §7.2) for EmptyStateMap and OpenHashMapBasedStateMap, plus what this
 * implementation adds: versions stay as they were after copy (random operations against a reference), compaction
 * after `deltaChainThreshold` copies, forks, and `changesSince` for incremental checkpoints.
 */
import { EmptyStateMap, OpenHashMapBasedStateMap, SparkConf, type StateMap, UnsupportedOperationException } from '../../lib';

type Triple = [number, number, number];
const setOf = (xs: readonly unknown[]): Set<string> => new Set(xs.map((x) => JSON.stringify(x)));

describe('StateMapSuite', () => {
  test('EmptyStateMap', () => {
    const map = new EmptyStateMap<number, number>();
    expect(() => map.put()).toThrow(UnsupportedOperationException);
    expect(map.get()).toBeUndefined();
    expect(map.getByTime()).toEqual([]);
    expect(map.getAll()).toEqual([]);
    map.remove();
    expect(map.copy()).toBe(map);
  });

  test('OpenHashMapBasedStateMap - put, get, getByTime, getAll, remove', () => {
    const map = new OpenHashMapBasedStateMap<number, number>();
    map.put(1, 100, 10);
    expect(map.get(1)).toBe(100);
    expect(map.get(2)).toBeUndefined();
    expect(setOf(map.getByTime(11))).toEqual(setOf([[1, 100, 10]]));
    expect(map.getByTime(10)).toEqual([]);
    expect(map.getByTime(9)).toEqual([]);
    expect(setOf(map.getAll())).toEqual(setOf([[1, 100, 10]]));

    map.put(2, 200, 20);
    expect(setOf(map.getByTime(21))).toEqual(setOf([[1, 100, 10], [2, 200, 20]]));
    expect(setOf(map.getByTime(11))).toEqual(setOf([[1, 100, 10]]));
    expect(map.getByTime(10)).toEqual([]);
    expect(map.getByTime(9)).toEqual([]);
    expect(setOf(map.getAll())).toEqual(setOf([[1, 100, 10], [2, 200, 20]]));

    map.remove(1);
    expect(map.get(1)).toBeUndefined();
    expect(setOf(map.getAll())).toEqual(setOf([[2, 200, 20]]));
  });

  test('OpenHashMapBasedStateMap - put, get, getByTime, getAll, remove with copy', () => {
    const parentMap = new OpenHashMapBasedStateMap<number, number>();
    parentMap.put(1, 100, 1);
    parentMap.put(2, 200, 2);
    parentMap.remove(1);

    const map = parentMap.copy();
    expect(map.get(1)).toBeUndefined();
    expect(map.get(2)).toBe(200);
    expect(setOf(map.getByTime(10))).toEqual(setOf([[2, 200, 2]]));
    expect(map.getByTime(2)).toEqual([]);
    expect(setOf(map.getAll())).toEqual(setOf([[2, 200, 2]]));

    map.put(3, 300, 3);
    expect(map.get(3)).toBe(300);
    map.put(4, 400, 4);
    expect(map.get(4)).toBe(400);
    expect(setOf(map.getByTime(10))).toEqual(setOf([[2, 200, 2], [3, 300, 3], [4, 400, 4]]));
    expect(setOf(map.getByTime(4))).toEqual(setOf([[2, 200, 2], [3, 300, 3]]));
    expect(setOf(map.getAll())).toEqual(setOf([[2, 200, 2], [3, 300, 3], [4, 400, 4]]));
    expect(setOf(parentMap.getAll())).toEqual(setOf([[2, 200, 2]]));

    map.remove(4);
    expect(map.get(4)).toBeUndefined();
    map.remove(2);
    expect(map.get(2)).toBeUndefined();
    expect(setOf(map.getAll())).toEqual(setOf([[3, 300, 3]]));
    expect(setOf(parentMap.getAll())).toEqual(setOf([[2, 200, 2]]));

    map.put(1, 1000, 100);
    expect(map.get(1)).toBe(1000);
    map.put(2, 2000, 200);
    expect(map.get(2)).toBe(2000);
    map.put(3, 3000, 300);
    expect(map.get(3)).toBe(3000);
    map.put(4, 4000, 400);
    expect(map.get(4)).toBe(4000);
    expect(setOf(map.getAll())).toEqual(setOf([[1, 1000, 100], [2, 2000, 200], [3, 3000, 300], [4, 4000, 400]]));
    expect(setOf(parentMap.getAll())).toEqual(setOf([[2, 200, 2]]));

    map.remove(2);
    const childMap = map.copy();
    expect(setOf(childMap.getAll())).toEqual(setOf(map.getAll()));
    expect(childMap.get(1)).toBe(1000);
    expect(childMap.get(2)).toBeUndefined();
    expect(childMap.get(3)).toBe(3000);
    childMap.put(2, 20000, 200);
    expect(childMap.get(2)).toBe(20000);
    expect(map.get(2)).toBeUndefined();
  });

  test('keys compare by value (tuples, objects)', () => {
    const map = new OpenHashMapBasedStateMap<unknown, string>();
    map.put(['a', 1], 'x', 1);
    map.put({ user: 'u1' }, 'y', 1);
    const child = map.copy();
    expect(child.get(['a', 1])).toBe('x');
    expect(child.get({ user: 'u1' })).toBe('y');
    child.put(['a', 1], 'z', 2);
    expect(child.size).toBe(2);
    expect(child.get(['a', 1])).toBe('z');
    expect(map.get(['a', 1])).toBe('x');
  });

  test('the delta chain threshold comes from spark.streaming.sessionByKey.deltaChainThreshold (default 20)', () => {
    expect(OpenHashMapBasedStateMap.create().deltaChainThreshold).toBe(20);
    const conf = new SparkConf(false).set('spark.streaming.sessionByKey.deltaChainThreshold', '5');
    expect(OpenHashMapBasedStateMap.create(conf).deltaChainThreshold).toBe(5);
  });

  test('compaction: the chain resets after the threshold, contents unchanged, old versions intact', () => {
    let map: StateMap<number, number> = new OpenHashMapBasedStateMap<number, number>({ deltaChainThreshold: 4 });
    const versions: StateMap<number, number>[] = [];
    const lengths: number[] = [];
    for (let i = 1; i <= 10; i++) {
      map.put(i, i * 10, i);
      if (i % 3 === 0) map.remove(i - 1);
      versions.push(map);
      lengths.push((map as OpenHashMapBasedStateMap<number, number>).deltaChainLength);
      map = map.copy();
    }
    expect(lengths).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2]);
    // every version still reads as it was when copied
    const expectedAt = (v: number): Set<string> => {
      const ref = new Map<number, Triple>();
      for (let i = 1; i <= v; i++) {
        ref.set(i, [i, i * 10, i]);
        if (i % 3 === 0) ref.delete(i - 1);
      }
      return setOf([...ref.values()]);
    };
    versions.forEach((m, idx) => expect(setOf(m.getAll())).toEqual(expectedAt(idx + 1)));
    expect(map.size).toBe(versions[9].size);
  });

  test('random operations with and without compaction behave like copied maps', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const threshold of [1, 3, 20]) {
      let map: StateMap<number, number> = new OpenHashMapBasedStateMap<number, number>({ deltaChainThreshold: threshold });
      let ref = new Map<number, [number, number]>();
      const history: [StateMap<number, number>, Map<number, [number, number]>][] = [];
      for (let step = 0; step < 60; step++) {
        for (let op = 0; op < 30; op++) {
          const k = rand(50);
          if (rand(4) === 0) {
            map.remove(k);
            ref.delete(k);
          } else {
            map.put(k, rand(1000), step);
            ref.set(k, [map.get(k) as number, step]);
          }
        }
        expect(map.size).toBe(ref.size);
        history.push([map, ref]);
        // sometimes branch off an older version (a retried task): it must not disturb the newer ones
        if (rand(10) === 0 && history.length > 2) {
          const [old, oldRef] = history[history.length - 2];
          const fork = old.copy();
          fork.put(999, 1, 1);
          expect(fork.size).toBe(oldRef.size + 1);
        }
        map = map.copy();
        ref = new Map(ref);
      }
      for (const [m, r] of history) {
        expect(setOf(m.getAll())).toEqual(setOf([...r].map(([k, [s, t]]) => [k, s, t])));
        for (const [k, [s]] of r) expect(m.get(k)).toBe(s);
      }
    }
  });

  test('changesSince: the puts and removes since an older version, across one compaction', () => {
    const base = new OpenHashMapBasedStateMap<string, number>({ deltaChainThreshold: 3 });
    base.put('a', 1, 1);
    base.put('b', 2, 1);
    base.put('c', 3, 1);
    const checkpointed = base;
    let m = base.copy();
    m.put('a', 10, 2); // v2
    m = m.copy();
    m.remove('b'); // v3 (compacts on the next copy)
    m = m.copy();
    m.put('d', 4, 4); // v4, new generation
    m = m.copy();
    m.put('d', 5, 5); // v5
    const delta = m.changesSince(checkpointed);
    expect(delta).toBeDefined();
    expect(setOf(delta?.updated ?? [])).toEqual(setOf([['a', 10, 2], ['d', 5, 5]]));
    expect(delta?.removed).toEqual(['b']);
    // The newer version since the one just before: only d.
    expect(setOf(m.changesSince(m)?.updated ?? ['x'])).toEqual(setOf([]));
    // Unrelated maps cannot be diffed: a checkpoint then writes everything.
    expect(m.changesSince(new OpenHashMapBasedStateMap())).toBeUndefined();
    expect(setOf(m.changesSince(new EmptyStateMap())?.updated ?? [])).toEqual(setOf(m.getAll()));
  });

  test('changesSince reports object states (which may have been changed in place) unless told they are immutable', () => {
    const m1 = new OpenHashMapBasedStateMap<string, { n: number }>();
    const shared = { n: 1 };
    m1.put('obj', shared, 1);
    m1.put('other', { n: 0 }, 1);
    const m2 = m1.copy();
    shared.n = 2; // changed in place, never put again
    expect(setOf(m2.changesSince(m1)?.updated ?? [])).toEqual(setOf([['obj', { n: 2 }, 1], ['other', { n: 0 }, 1]]));
    expect(m2.changesSince(m1, { immutableStates: true })?.updated).toEqual([]);
  });
});
