/**
 * A deep copy of a value, where Spark gets one from a serializer round trip (`Utils.clone` of a zero value, every
 * read of a shuffle file): the copy can be changed in place without touching the original, which is what lets a
 * combiner function mutate and return its first argument (Spark allows it for `aggregateByKey`, `foldByKey` and
 * `combineByKey`; `groupByKey` itself appends to its buffer).
 *
 * Unlike `structuredClone`, class instances keep their prototype (a `CompactBuffer` stays one and still prints as
 * one), and functions are kept by reference instead of throwing. Primitives cost one `typeof`.
 */
export function cloneValue<T>(v: T): T {
  return typeof v === 'object' && v !== null ? (copyObject(v) as T) : v;
}

// The objects being copied, outermost first, and their copies: a cycle back to one of them gets its copy. Shared
// parts that are not ancestors are copied twice, as a serializer without references would. Reused, so a copy
// allocates nothing but the copies.
const sources: object[] = [];
const copies: unknown[] = [];

function copyAny(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? copyObject(v) : v;
}

function copyObject(v: object): unknown {
  const ancestor = sources.lastIndexOf(v);
  if (ancestor >= 0) return copies[ancestor];
  if (v instanceof Date) return new Date(v.getTime());
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  if (ArrayBuffer.isView(v)) return (v as unknown as { slice(): unknown }).slice();
  if (v instanceof RegExp || v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) return v;
  let out: unknown;
  if (Array.isArray(v)) out = v.constructor === Array ? new Array(v.length) : Reflect.construct(Array, [], v.constructor);
  else if (v instanceof Map) out = Reflect.construct(Map, [], v.constructor);
  else if (v instanceof Set) out = Reflect.construct(Set, [], v.constructor);
  else out = Object.create(Object.getPrototypeOf(v));
  sources.push(v);
  copies.push(out);
  try {
    if (Array.isArray(v)) {
      const a = out as unknown[];
      for (let i = 0; i < v.length; i++) a[i] = copyAny(v[i]);
    } else if (v instanceof Map) {
      for (const [k, x] of v) (out as Map<unknown, unknown>).set(copyAny(k), copyAny(x));
    } else if (v instanceof Set) {
      for (const x of v) (out as Set<unknown>).add(copyAny(x));
    } else {
      const src = v as Record<string, unknown>;
      const dst = out as Record<string, unknown>;
      for (const k of Object.keys(src)) dst[k] = copyAny(src[k]);
    }
  } finally {
    sources.pop();
    copies.pop();
  }
  return out;
}
