import type { KeyCombiner } from './KeyCombiner';
import { canonicalKey, isPrimitiveKey } from './KeyHash';

/**
 * A Python dict as PySpark's shuffle uses one (`ExternalMerger.data`, pyspark/shuffle.py): keys iterate in the order
 * they were first inserted, whatever their type. Keys compare by value (KeyHash.ts). Entries are dense arrays; a
 * `Map` from key (or a structural key's canonical text) to index finds them.
 */
export class PythonDict<K, V> implements KeyCombiner<K, V> {
  private readonly index = new Map<unknown, number>();
  private objIndex: Map<string, number> | undefined;
  private readonly keys: K[] = [];
  private readonly values: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The keys in insertion order (read only). */
  get keyArray(): readonly K[] {
    return this.keys;
  }

  /** The values, by the index of their key in {@link keyArray} (read only). */
  get valueArray(): readonly V[] {
    return this.values;
  }

  /** The index of `k` in {@link keyArray}, or -1. */
  indexOf(k: K): number {
    const i = isPrimitiveKey(k) ? this.index.get(k) : this.objIndex?.get(canonicalKey(k));
    return i ?? -1;
  }

  combine<X>(k: K, x: X, create: (x: X) => V, merge: (v: V, x: X) => V): void {
    let i: number | undefined;
    if (isPrimitiveKey(k)) {
      i = this.index.get(k);
      if (i === undefined) this.index.set(k, this.keys.length);
    } else {
      const c = canonicalKey(k);
      this.objIndex ??= new Map();
      i = this.objIndex.get(c);
      if (i === undefined) this.objIndex.set(c, this.keys.length);
    }
    if (i === undefined) {
      this.keys.push(k);
      this.values.push(create(x));
    } else {
      this.values[i] = merge(this.values[i], x);
    }
  }

  forEach(f: (v: V, k: K) => void): void {
    const keys = this.keys;
    const values = this.values;
    for (let i = 0; i < keys.length; i++) f(values[i], keys[i]);
  }
}
