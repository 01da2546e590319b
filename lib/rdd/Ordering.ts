import { canonicalKey } from './KeyHash';

/**
 * A comparison function (negative, zero, positive), as `Array.prototype.sort` takes it: Scala's `Ordering[T]`.
 * `sortBy`, `sortByKey`, `top`, `takeOrdered`, `max` and `min` use {@link defaultOrdering} unless given one.
 */
export type Ordering<T> = (a: T, b: T) => number;

/** Scala's `ordering.reverse`. */
export function reverseOrdering<T>(ord: Ordering<T>): Ordering<T> {
  return (a, b) => ord(b, a);
}

/** Java's `Double.compare`: numeric, `-0 < 0`, `NaN` above everything and equal to itself. */
function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a !== 0 ? 0 : Object.is(a, -0) === Object.is(b, -0) ? 0 : Object.is(a, -0) ? -1 : 1;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

/** Where values of different kinds sort relative to each other (only reached when a key mixes kinds). */
function rank(x: unknown): number {
  if (x === undefined) return 0;
  if (x === null) return 1;
  switch (typeof x) {
    case 'boolean':
      return 2;
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
  }
  if (x instanceof Date) return 5;
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return 6;
  return 7;
}

/**
 * The ordering Spark's implicit orderings give, for the values JavaScript has:
 * - numbers numerically (Java's `Double.compare`: `-0 < 0`, `NaN` last); bigints numerically, also against numbers;
 * - strings by UTF-16 code units (Java's `String.compareTo`; not locale-aware: `"B" < "a"`);
 * - booleans `false < true`; Dates by their time;
 * - arrays (tuples) and byte arrays lexicographically, element by element with this ordering, a prefix first;
 * - `undefined` (Spark's `None`) before everything, then `null`;
 * - other objects by their canonical key text (KeyHash.ts): a stable total order, not a meaningful one — pass an
 *   ordering (or sort by a derived key) for those.
 * Values of different kinds (which Scala would not compile) sort by kind in the order listed above.
 */
export function defaultOrdering(a: unknown, b: unknown): number {
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'number') return compareNumbers(a as number, b as number);
    if (ta === 'string') return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  }
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
    case 1:
      return 0;
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3:
      if (typeof a === 'number' && Number.isNaN(a)) return typeof b === 'number' && Number.isNaN(b) ? 0 : 1;
      if (typeof b === 'number' && Number.isNaN(b)) return -1;
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 5:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case 6: {
      const xs = a as ArrayLike<unknown>;
      const ys = b as ArrayLike<unknown>;
      const n = Math.min(xs.length, ys.length);
      for (let i = 0; i < n; i++) {
        const c = defaultOrdering(xs[i], ys[i]);
        if (c !== 0) return c;
      }
      return xs.length - ys.length;
    }
    case 7: {
      const ca = canonicalKey(a);
      const cb = canonicalKey(b);
      return ca === cb ? 0 : ca < cb ? -1 : 1;
    }
  }
  return 0;
}
