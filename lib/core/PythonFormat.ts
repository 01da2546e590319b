/**
 * Element and time text as PySpark prints them, for `pprint()` (people porting PySpark programs compare output):
 * `str(x)` of a record and `str(datetime.fromtimestamp(ms / 1000.0))` of a batch time.
 *
 * JavaScript has no tuples: a plain array prints as a Python tuple (`('word', 3)`, `(1,)`), since pairs are tuples
 * in PySpark; an array subclass such as `CompactBuffer` prints as a list (`[1, 2]`). `null`/`undefined` print as
 * `None`, booleans as `True`/`False`, a `Map` or plain object as a dict, a `Set` as a set.
 */

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

/** Python's `repr(str)`: single quotes unless the text has a `'` and no `"`; escapes as CPython does. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
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

/** Integers print as Python ints; other numbers as Python's float repr (`1.5`, `1e-07`, `inf`, `nan`). */
function reprNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  // Python pads the exponent to two digits: 1e-07, 1e+16.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
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
