/**
 * Element and time text as PySpark prints them, for `pprint()` (people porting PySpark programs compare output):
 * `str(x)` of a record and `str(datetime.fromtimestamp(ms / 1000.0))` of a batch time. Checked against what
 * CPython 3.11 prints by test/fidelity (goldens recorded by scripts/spark-goldens).
 *
 * JavaScript has no tuples: a plain array prints as a Python tuple (`('word', 3)`, `(1,)`), since pairs are tuples
 * in PySpark; an array subclass (`CompactBuffer`, `ScalaArrayBuffer`, the arrays of `glom()`) prints as a list
 * (`[1, 2]`). `null`/`undefined` print as `None`, booleans as `True`/`False`, a `Map` or plain object as a dict, a
 * `Set` as a set. A number that is a safe integer prints as a Python int, any other as a Python float
 * (JavaScript has one number type: a float that happens to be integral, Python's `2.0`, prints as `2`).
 */
import { NON_PRINTABLE_RANGES } from './PythonPrintable';

/** Python's `str(x)`: strings bare, everything else as `repr`. */
export function pythonStr(x: unknown): string {
  return typeof x === 'string' ? x : pythonRepr(x);
}

/** Python's `repr(x)` of the value a JavaScript value stands for. */
export function pythonRepr(x: unknown): string {
  switch (typeof x) {
    case 'string':
      return reprString(x);
    case 'number':
      return reprNumber(x);
    case 'bigint':
      return x.toString();
    case 'boolean':
      return x ? 'True' : 'False';
    case 'undefined':
      return 'None';
    case 'function':
      return `<function ${x.name || '<lambda>'}>`;
    case 'symbol':
      return x.toString();
  }
  if (x === null) return 'None';
  if (Array.isArray(x)) {
    const items = x.map(pythonRepr);
    if (Object.getPrototypeOf(x) !== Array.prototype) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (x instanceof Map) return `{${[...x].map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  if (x instanceof Set) return x.size === 0 ? 'set()' : `{${[...x].map(pythonRepr).join(', ')}}`;
  if (x instanceof Date) return pythonDatetimeString(x.getTime());
  if (Buffer.isBuffer(x)) return reprBytes(x);
  const own = (x as { toString?: () => string }).toString;
  if (typeof own === 'function' && own !== Object.prototype.toString) return own.call(x);
  return `{${Object.entries(x as Record<string, unknown>).map(([k, v]) => `${reprString(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

/**
 * Python's `repr(str)` (CPython's `unicode_repr`): single quotes unless the text has a `'` and no `"`; `\\`, the
 * quote, `\t`, `\n` and `\r` escaped; every other character that `str.isprintable()` rejects (categories Cc, Cf,
 * Cs, Co, Cn, Zl, Zp, and Zs but the ASCII space) as `\xhh` up to U+00FF, `\uhhhh` up to U+FFFF, else `\Uhhhhhhhh`.
 * Which code points are printable comes from the goldens' Python (PythonPrintable.ts), not from Node's ICU: Cn is
 * "unassigned in that Python's Unicode database".
 */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x20 && c < 0x7f) out += ch === quote || ch === '\\' ? '\\' + ch : ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x80 || !isPrintable(c)) out += escapeCodePoint(c);
    else out += ch;
  }
  return out + quote;
}

function escapeCodePoint(c: number): string {
  if (c <= 0xff) return '\\x' + c.toString(16).padStart(2, '0');
  if (c <= 0xffff) return '\\u' + c.toString(16).padStart(4, '0');
  return '\\U' + c.toString(16).padStart(8, '0');
}

/** Starts and ends (inclusive) of the non-printable ranges from U+0080 on, decoded once. */
let nonPrintable: Int32Array | undefined;

function decodeRanges(): Int32Array {
  const parts = NON_PRINTABLE_RANGES.split(',');
  const out = new Int32Array(parts.length * 2);
  let prev = 0x7f;
  parts.forEach((p, i) => {
    const [gap, len] = p.split('.').map((x) => parseInt(x, 36));
    const start = prev + 1 + gap;
    out[2 * i] = start;
    out[2 * i + 1] = prev = start + len;
  });
  return out;
}

/** `str.isprintable()` of one code point from U+0080 on (binary search over the ranges). */
function isPrintable(c: number): boolean {
  const r = (nonPrintable ??= decodeRanges());
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < r[2 * mid]) hi = mid - 1;
    else if (c > r[2 * mid + 1]) lo = mid + 1;
    else return false;
  }
  return true;
}

function reprBytes(b: Buffer): string {
  let out = "b'";
  for (const c of b) {
    if (c === 0x27 || c === 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += String.fromCharCode(c);
  }
  return out + "'";
}

/** Safe integers print as Python ints; other numbers as Python floats. */
function reprNumber(n: number): string {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return String(n);
  return pythonFloatRepr(n);
}

/**
 * Python's `repr(float)` (`float_repr_style` "short": the shortest digits that read back as the same double, as
 * JavaScript's own number to string gives them): positional from 1e-4 up to 1e16 with at least one digit after the
 * point (`0.0001`, `100.0`, `1234.5`), else `d.ddde±XX` with an exponent of at least two digits and no `.0`
 * (`1e-05`, `1e+16`, `5e-324`, `1.5e+22`); `nan`, `inf`, `-inf`, `-0.0`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without digits gives the shortest round-tripping digits, d.ddde±n.
  const [mantissa, e] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * `str(datetime.fromtimestamp(ms / 1000.0))` in the local time zone: `2014-10-19 20:56:41`, with `.ffffff` only
 * when the time has a fraction of a second (`2014-10-19 20:56:41.500000`).
 */
export function pythonDatetimeString(ms: number): string {
  const d = new Date(ms);
  const base = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const millis = ((ms % 1000) + 1000) % 1000;
  return millis === 0 ? base : `${base}.${pad(millis * 1000, 6)}`;
}
