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
 * Hashes follow the JVM's `hashCode` (what Spark's `HashPartitioner` and `AppendOnlyMap` use): Java's for strings,
 * ints (integral numbers in the 32-bit range), longs (other integral numbers and bigints), doubles (non-integral
 * numbers) and booleans; `null`/`undefined` are 0; arrays are Scala tuples, hashed as Scala 2.12's `Tuple2.hashCode`
 * is (`MurmurHash3.productHash` over the elements' `##`). So a key lands in the partition, and in the slot of the
 * shuffle's hash table, that it does in Spark. A JavaScript number cannot say whether it was an `Int` or a `Double`:
 * an integral number hashes as an `Int` (a `Long` beyond 32 bits), so a Scala `Double` key `2.0` is the exception.
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
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

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

/**
 * Scala's `##` of a tuple element (`Statics.anyHash`): as `hashCode`, except that a number hashes by its value
 * across the numeric types (a long in the int range as that int, a non-integral double that a float holds exactly
 * as that `Float`).
 */
export function scalaHash(k: unknown): number {
  if (typeof k === 'bigint') return BigInt.asIntN(32, k) === k ? Number(k) : longHash(k);
  if (typeof k !== 'number' || Number.isInteger(k)) return keyHash(k);
  if (Math.fround(k) === k) {
    f32[0] = k;
    return u32[0] | 0;
  }
  return numberHash(k);
}

// Scala 2.12's MurmurHash3 (scala.util.hashing.MurmurHash3), which Guava's murmur3_32 shares for one int.
function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** MurmurHash3 `mix`: one 32-bit block into the running hash. */
export function murmurMix(h: number, data: number): number {
  return (Math.imul(rotl(murmurMixLast(h, data), 13), 5) + 0xe6546b64) | 0;
}

function murmurMixLast(h: number, data: number): number {
  let k = Math.imul(data, 0xcc9e2d51);
  k = rotl(k, 15);
  k = Math.imul(k, 0x1b873593);
  return h ^ k;
}

/** MurmurHash3 `finalizeHash(h, length)`: the length, then the avalanche. */
export function murmurFinalize(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Guava's `Hashing.murmur3_32().hashInt(h).asInt()`: AppendOnlyMap's `rehash` of a key's hashCode. */
export function murmur3HashInt(h: number): number {
  return murmurFinalize(murmurMix(0, h), 4);
}

/** Scala's `MurmurHash3.productSeed`. */
const PRODUCT_SEED = 0xcafebabe | 0;

/** Scala 2.12's `Tuple2(a, b).hashCode` from the elements' `##`, without building the tuple. */
export function tuple2Hash(ha: number, hb: number): number {
  return murmurFinalize(murmurMix(murmurMix(PRODUCT_SEED, ha), hb), 2);
}

function productHash(t: readonly unknown[]): number {
  let h = PRODUCT_SEED;
  for (let i = 0; i < t.length; i++) h = murmurMix(h, scalaHash(t[i]));
  return murmurFinalize(h, t.length);
}

/** The JVM `hashCode` of a key (see the rule at the top of this file). */
export function keyHash(k: unknown): number {
  switch (typeof k) {
    case 'string':
      return stringHash(k);
    case 'number':
      return numberHash(k);
    case 'boolean':
      return k ? 1231 : 1237;
    case 'bigint':
      return longHash(k);
    case 'undefined':
      return 0;
  }
  if (k === null) return 0;
  if (Array.isArray(k)) return productHash(k);
  if (k instanceof Date) return longHash(BigInt(k.getTime()));
  return stringHash(canonicalKey(k));
}

/** `x mod n` in `[0, n)`, as Spark's `Utils.nonNegativeMod`. */
export function nonNegativeMod(x: number, n: number): number {
  const r = x % n;
  return r < 0 ? r + n : r;
}
