/**
 * PySpark's `portable_hash` (pyspark/rdd.py), which PySpark's `partitionBy` (so `reduceByKey`, `groupByKey`, joins,
 * `distinct`, the windows and `updateStateByKey`) uses to choose a key's partition: `portable_hash(k) % n`.
 *
 * It is CPython 3.11's `hash()` for every type but `None` (0) and tuples (PySpark's own loop), and Spark runs its
 * Python workers with `PYTHONHASHSEED=0` (pyspark/context.py), so a string's hash is fixed: SipHash-1-3 with a zero
 * key over the string's PEP 393 storage (1, 2 or 4 bytes per code point, little-endian), as Python/pyhash.c does.
 * JavaScript values map to Python ones as a PySpark port's would: strings to `str`, numbers to `int` (integral) or
 * `float`, bigints to `int`, booleans to `bool`, `null`/`undefined` to `None`, arrays to tuples. Other objects have no
 * Python equivalent and hash by their canonical text (KeyHash.ts).
 */
import { canonicalKey } from './KeyHash';

/** CPython's `_PyHASH_MODULUS`, 2**61 - 1: ints hash to themselves modulo it. */
const MODULUS = (1n << 61n) - 1n;
const MASK63 = (1n << 63n) - 1n;
/** CPython's `_PyHASH_INF`. */
const HASH_INF = 314159n;

// SipHash-1-3 state: v0..v3 as (lo, hi) 32-bit halves, and the message bytes.
const v = new Uint32Array(8);
let bytes = new Uint8Array(256);
/** The halves of the last siphash13 result. */
let outLo = 0;
let outHi = 0;

function add(a: number, b: number): void {
  const lo = (v[a] + v[b]) >>> 0;
  v[a + 1] = (v[a + 1] + v[b + 1] + (lo < v[a] ? 1 : 0)) >>> 0;
  v[a] = lo;
}

/** v[x] = rotl(v[x], s) ^ v[y], for 0 < s < 32. */
function rotXor(x: number, s: number, y: number): void {
  const lo = v[x];
  const hi = v[x + 1];
  v[x] = (((lo << s) | (hi >>> (32 - s))) ^ v[y]) >>> 0;
  v[x + 1] = (((hi << s) | (lo >>> (32 - s))) ^ v[y + 1]) >>> 0;
}

function swapHalves(x: number): void {
  const lo = v[x];
  v[x] = v[x + 1];
  v[x + 1] = lo;
}

/** pyhash.c's HALF_ROUND(a, b, c, d, s, t) on state offsets (each value takes two slots). */
function halfRound(a: number, b: number, c: number, d: number, s: number, t: number): void {
  add(a, b);
  add(c, d);
  rotXor(b, s, a);
  rotXor(d, t, c);
  swapHalves(a); // rotl 32
}

function singleRound(): void {
  halfRound(0, 2, 4, 6, 13, 16);
  halfRound(4, 2, 0, 6, 17, 21);
}

/** CPython's siphash13 with k0 = k1 = 0 over `bytes[0, n)`; the result in outLo/outHi. */
function siphash13(n: number): void {
  v[0] = 0x70736575;
  v[1] = 0x736f6d65;
  v[2] = 0x6e646f6d;
  v[3] = 0x646f7261;
  v[4] = 0x6e657261;
  v[5] = 0x6c796765;
  v[6] = 0x79746573;
  v[7] = 0x74656462;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const lo = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    const hi = (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24)) >>> 0;
    v[6] ^= lo;
    v[7] ^= hi;
    singleRound();
    v[0] ^= lo;
    v[1] ^= hi;
  }
  let tlo = 0;
  let thi = (n & 0xff) << 24;
  for (let j = 0; i + j < n; j++) {
    if (j < 4) tlo |= bytes[i + j] << (8 * j);
    else thi |= bytes[i + j] << (8 * (j - 4));
  }
  tlo >>>= 0;
  thi >>>= 0;
  v[6] ^= tlo;
  v[7] ^= thi;
  singleRound();
  v[0] ^= tlo;
  v[1] ^= thi;
  v[4] ^= 0xff;
  singleRound();
  singleRound();
  singleRound();
  outLo = (v[0] ^ v[2] ^ v[4] ^ v[6]) >>> 0;
  outHi = (v[1] ^ v[3] ^ v[5] ^ v[7]) >>> 0;
}

/** `hash(s)` into outLo/outHi: the string's PEP 393 bytes through siphash13 (`_Py_HashBytes`). */
function stringHashHalves(s: string): void {
  if (s.length === 0) {
    outLo = outHi = 0;
    return;
  }
  let kind = 1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) {
      kind = 2;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          kind = 4;
          break;
        }
      }
    }
  }
  if (bytes.length < s.length * kind) bytes = new Uint8Array(s.length * kind * 2);
  let n = 0;
  if (kind === 1) {
    for (let i = 0; i < s.length; i++) bytes[n++] = s.charCodeAt(i);
  } else if (kind === 2) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      bytes[n++] = c & 0xff;
      bytes[n++] = c >>> 8;
    }
  } else {
    for (const ch of s) {
      const c = ch.codePointAt(0) as number;
      bytes[n++] = c & 0xff;
      bytes[n++] = (c >>> 8) & 0xff;
      bytes[n++] = (c >>> 16) & 0xff;
      bytes[n++] = 0;
    }
  }
  siphash13(n);
  if (outLo === 0xffffffff && outHi === 0xffffffff) outLo = 0xfffffffe; // -1 is reserved: -2
}

function halvesToBigInt(): bigint {
  return BigInt.asIntN(64, (BigInt(outHi) << 32n) | BigInt(outLo));
}

/** CPython's hash of an int: the value modulo 2**61 - 1, keeping the sign; -1 becomes -2. */
function intHash(x: bigint): bigint {
  const h = x < 0n ? -(-x % MODULUS) : x % MODULUS;
  return h === -1n ? -2n : h;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** C's frexp: `[m, e]` with `v = m * 2**e` and `0.5 <= |m| < 1` (v finite, non-zero). */
function frexp(x: number): [number, number] {
  let scale = 0;
  f64[0] = x;
  if (((u32[1] >>> 20) & 0x7ff) === 0) {
    x *= 2 ** 54; // subnormal: normalise first
    scale = -54;
    f64[0] = x;
  }
  const e = ((u32[1] >>> 20) & 0x7ff) - 1022;
  u32[1] = (u32[1] & 0x800fffff) | (1022 << 20);
  return [f64[0], e + scale];
}

/** CPython's `_Py_HashDouble` for a finite non-integral (or huge) float. */
function floatHash(x: number): bigint {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 0n : x > 0 ? HASH_INF : -HASH_INF;
  if (Number.isInteger(x)) return intHash(BigInt(x));
  let [m, e] = frexp(x);
  let sign = 1n;
  if (m < 0) {
    sign = -1n;
    m = -m;
  }
  let h = 0n;
  while (m) {
    h = ((h << 28n) & MODULUS) | (h >> 33n);
    m *= 268435456; // 2**28
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    h += BigInt(y);
    if (h >= MODULUS) h -= MODULUS;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  h = ((h << BigInt(e)) & MODULUS) | (h >> BigInt(61 - e));
  h *= sign;
  return h === -1n ? -2n : h;
}

/** PySpark's `portable_hash(x)` as an exact integer. */
export function portableHash(x: unknown): bigint {
  switch (typeof x) {
    case 'string':
      stringHashHalves(x);
      return halvesToBigInt();
    case 'number':
      return Number.isSafeInteger(x) ? (x === -1 ? -2n : BigInt(x)) : floatHash(x);
    case 'bigint':
      return intHash(x);
    case 'boolean':
      return x ? 1n : 0n;
    case 'undefined':
      return 0n;
  }
  if (x === null) return 0n;
  if (Array.isArray(x)) {
    // PySpark's tuple loop (Python ints: ^ and * are exact, & sys.maxsize keeps 63 bits).
    let h = 0x345678n;
    for (let i = 0; i < x.length; i++) h = ((h ^ portableHash(x[i])) * 1000003n) & MASK63;
    return h ^ BigInt(x.length);
  }
  stringHashHalves(canonicalKey(x));
  return halvesToBigInt();
}

/** Python's `h % n` for a signed 64-bit value given as halves (`n` up to 2**26). */
function halvesMod(n: number): number {
  const hi = outHi | 0;
  const r = ((hi % n) * (4294967296 % n) + (outLo % n)) % n;
  return r < 0 ? r + n : r;
}

/** `portable_hash(x) % n` (Python's `%`, never negative): PySpark's partition of key `x` among `n`. */
export function portableHashMod(x: unknown, n: number): number {
  if (typeof x === 'string' && n <= 1 << 26) {
    stringHashHalves(x);
    return halvesMod(n);
  }
  if (typeof x === 'number' && Number.isSafeInteger(x)) {
    const r = (x === -1 ? -2 : x) % n;
    return r < 0 ? r + n : r;
  }
  const r = portableHash(x) % BigInt(n);
  return Number(r < 0n ? r + BigInt(n) : r);
}
