/**
 * How keys are compared and hashed.
 *
 * The rule (documented in docs/dstream-api.md, "The RDD engine"): keys group **by value**. Strings, numbers, booleans, bigints, `null` and
 * `undefined` compare as JavaScript's `Map` compares them (SameValueZero: `NaN` equals `NaN`, `1` differs from
 * `"1"`). Arrays (tuples), plain objects, class instances, `Date`s and byte arrays compare **structurally**: two keys
 * are the same key when their canonical encodings are equal (arrays element by element, objects by their own
 * enumerable properties in sorted order plus the constructor name, Dates by their time, bytes by content, Maps and
 * Sets by their entries in any order).
 * Functions and symbols inside object keys are not supported as parts of a key.
 *
 * Hashes follow Java's `hashCode` for strings, ints, longs, doubles and booleans, so `HashPartitioner` sends a
 * string or an int to the same partition Spark does.
 */

/** A key that the fast path handles with a plain `Map`. */
export function isPrimitiveKey(k: unknown): boolean {
  const t = typeof k;
  return k === null || (t !== 'object' && t !== 'function');
}

/** The canonical text of a structural (object) key. Equal keys give equal text. */
export function canonicalKey(k: unknown): string {
  if (k === null) return 'null';
  switch (typeof k) {
    case 'string':
      return JSON.stringify(k);
    case 'number':
      return Number.isNaN(k) ? 'NaN' : Object.is(k, -0) ? '0' : String(k);
    case 'bigint':
      return `${k}n`;
    case 'boolean':
      return k ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'symbol':
    case 'function':
      throw new TypeError(`A ${typeof k} cannot be part of a key`);
  }
  if (Array.isArray(k)) {
    let s = '[';
    for (let i = 0; i < k.length; i++) s += (i ? ',' : '') + canonicalKey(k[i]);
    return s + ']';
  }
  if (k instanceof Date) return `Date(${k.getTime()})`;
  // Maps and Sets have no own enumerable properties: without this every Map (every Set) would be the same key.
  if (k instanceof Map) return `Map{${[...k].map(([a, b]) => canonicalKey(a) + '=>' + canonicalKey(b)).sort().join(',')}}`;
  if (k instanceof Set) return `Set{${[...k].map(canonicalKey).sort().join(',')}}`;
  if (ArrayBuffer.isView(k)) return `Bytes(${Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('hex')})`;
  const obj = k as Record<string, unknown>;
  const proto = Object.getPrototypeOf(obj);
  const ctor = proto === null || proto === Object.prototype ? '' : (proto.constructor?.name ?? '?');
  const keys = Object.keys(obj).sort();
  let s = `${ctor}{`;
  for (let i = 0; i < keys.length; i++) s += (i ? ',' : '') + JSON.stringify(keys[i]) + ':' + canonicalKey(obj[keys[i]]);
  return s + '}';
}

/** Java's `String.hashCode`. */
export function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

/** Java's `Double.hashCode` (bits ^ bits >>> 32), or `Integer.hashCode` for 32-bit ints. */
export function numberHash(n: number): number {
  if ((n | 0) === n && !Object.is(n, -0)) return n;
  if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return longHash(BigInt(n));
  f64[0] = Number.isNaN(n) ? NaN : n;
  return (i32[0] ^ i32[1]) | 0;
}

function longHash(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  return Number(BigInt.asIntN(32, u ^ (u >> 32n)));
}

/** The hash of a key (value-based, Java-compatible where Java has an obvious equivalent). */
export function keyHash(k: unknown): number {
  switch (typeof k) {
    case 'string':
      return stringHash(k);
    case 'number':
      return numberHash(k);
    case 'boolean':
      return k ? 1231 : 1237;
    case 'bigint':
      return BigInt.asIntN(32, k) === k ? Number(k) : longHash(k);
    case 'undefined':
      return 0;
  }
  if (k === null) return 0;
  if (Array.isArray(k)) {
    let h = 1;
    for (let i = 0; i < k.length; i++) h = (Math.imul(h, 31) + keyHash(k[i])) | 0;
    return h;
  }
  if (k instanceof Date) return longHash(BigInt(k.getTime()));
  return stringHash(canonicalKey(k));
}

/** `x mod n` in `[0, n)`, as Spark's `Utils.nonNegativeMod`. */
export function nonNegativeMod(x: number, n: number): number {
  const r = x % n;
  return r < 0 ? r + n : r;
}
