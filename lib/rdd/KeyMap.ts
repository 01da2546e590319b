import { canonicalKey, isPrimitiveKey } from './KeyHash';

/**
 * A map whose keys compare by value (see KeyHash.ts for the rule): primitive keys go straight into a `Map`
 * (the fast path of every shuffle), structural keys are indexed by their canonical text. Iteration yields
 * primitive keys first, then structural keys, each in insertion order.
 */
export class KeyMap<K, V> {
  private readonly prims = new Map<unknown, V>();
  private objs: Map<string, [K, V]> | undefined;

  get size(): number {
    return this.prims.size + (this.objs?.size ?? 0);
  }

  get(k: K): V | undefined {
    if (isPrimitiveKey(k)) return this.prims.get(k);
    return this.objs?.get(canonicalKey(k))?.[1];
  }

  has(k: K): boolean {
    if (isPrimitiveKey(k)) return this.prims.has(k);
    return this.objs?.has(canonicalKey(k)) ?? false;
  }

  set(k: K, v: V): this {
    if (isPrimitiveKey(k)) {
      this.prims.set(k, v);
    } else {
      this.objs ??= new Map();
      const c = canonicalKey(k);
      const e = this.objs.get(c);
      if (e) e[1] = v;
      else this.objs.set(c, [k, v]);
    }
    return this;
  }

  /**
   * A shuffle's combine step in one lookup on the fast path: `x` becomes the key's value (`create`) or is merged
   * into the value it has (`merge`).
   */
  combine<X>(k: K, x: X, create: (x: X) => V, merge: (v: V, x: X) => V): void {
    if (isPrimitiveKey(k)) {
      const prims = this.prims;
      const c = prims.get(k);
      if (c !== undefined || prims.has(k)) prims.set(k, merge(c as V, x));
      else prims.set(k, create(x));
      return;
    }
    this.objs ??= new Map();
    const canonical = canonicalKey(k);
    const e = this.objs.get(canonical);
    if (e) e[1] = merge(e[1], x);
    else this.objs.set(canonical, [k, create(x)]);
  }

  delete(k: K): boolean {
    if (isPrimitiveKey(k)) return this.prims.delete(k);
    return this.objs?.delete(canonicalKey(k)) ?? false;
  }

  clear(): void {
    this.prims.clear();
    this.objs = undefined;
  }

  /** Calls `f` for every entry (cheaper than `entries()` on hot paths). */
  forEach(f: (v: V, k: K) => void): void {
    for (const [k, v] of this.prims) f(v, k as K);
    if (this.objs) for (const [k, v] of this.objs.values()) f(v, k);
  }

  *entries(): IterableIterator<[K, V]> {
    for (const e of this.prims) yield e as [K, V];
    if (this.objs) for (const [k, v] of this.objs.values()) yield [k, v];
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  *keys(): IterableIterator<K> {
    for (const k of this.prims.keys()) yield k as K;
    if (this.objs) for (const [k] of this.objs.values()) yield k;
  }

  *values(): IterableIterator<V> {
    yield* this.prims.values();
    if (this.objs) for (const [, v] of this.objs.values()) yield v;
  }
}

/** A set of keys that compare by value. */
export class KeySet<K> {
  private readonly map = new KeyMap<K, true>();
  get size(): number {
    return this.map.size;
  }
  add(k: K): this {
    this.map.set(k, true);
    return this;
  }
  has(k: K): boolean {
    return this.map.has(k);
  }
  delete(k: K): boolean {
    return this.map.delete(k);
  }
  [Symbol.iterator](): IterableIterator<K> {
    return this.map.keys();
  }
}
