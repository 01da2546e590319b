/**
 * Element text as Scala's `toString` shows it, for `print()` and `saveAsTextFile`: an array (a tuple) prints as
 * `(word,3)`, a `CompactBuffer` as `CompactBuffer(1, 2)`, a `Map` as `Map(a -> 1)`, `undefined` (Spark's `None`)
 * as `None`, `null` as `null`, other objects as JSON.
 */
export function scalaString(x: unknown): string {
  switch (typeof x) {
    case 'string':
      return x;
    case 'number':
      return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
    case 'bigint':
      return x.toString();
    case 'boolean':
      return String(x);
    case 'undefined':
      return 'None';
    case 'function':
      return '<function>';
    case 'symbol':
      return x.toString();
  }
  if (x === null) return 'null';
  if (Array.isArray(x)) {
    const name = x.constructor?.name;
    if (name === 'CompactBuffer') return `CompactBuffer(${x.map(scalaString).join(', ')})`;
    return `(${x.map(scalaString).join(',')})`;
  }
  if (x instanceof Map) return `Map(${[...x].map(([k, v]) => `${scalaString(k)} -> ${scalaString(v)}`).join(', ')})`;
  if (x instanceof Set) return `Set(${[...x].map(scalaString).join(', ')})`;
  if (x instanceof Date) return x.toISOString();
  if (Buffer.isBuffer(x)) return `[B@${x.toString('hex').slice(0, 8)}`;
  const own = (x as { toString?: () => string }).toString;
  if (typeof own === 'function' && own !== Object.prototype.toString) return own.call(x);
  try {
    return JSON.stringify(x);
  } catch {
    return String(x);
  }
}
