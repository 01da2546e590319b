import { javaDoubleToString } from './JavaDouble';
import { ScalaCollection } from './ScalaCollection';

/**
 * Element text as Scala's `toString` shows it, for `print()` and `saveAsTextFile`: an array (a tuple) prints as
 * `(word,3)`, a {@link ScalaCollection} with its prefix (`CompactBuffer(1, 2)`, `ArrayBuffer(1, 2)`), a `Map` as
 * `Map(a -> 1)`, `undefined` (Spark's `None`) as `None`, `null` as `null`, other objects as JSON. A number that is a
 * safe integer prints as an Int/Long, any other as Java's `Double.toString` of JDK 17 (`1.0E-5`, `0.5`; see
 * JavaDouble.ts). Checked against what Spark 3.5 prints by test/fidelity (goldens recorded by scripts/spark-goldens).
 */
export function scalaString(x: unknown): string {
  switch (typeof x) {
    case 'string':
      return x;
    case 'number':
      // JavaScript has one number type: an integral Double (Scala's 2.0) prints as the Int 2.
      return Number.isSafeInteger(x) && !Object.is(x, -0) ? String(x) : javaDoubleToString(x);
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
    if (x instanceof ScalaCollection) return `${x.stringPrefix}(${x.map(scalaString).join(', ')})`;
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
