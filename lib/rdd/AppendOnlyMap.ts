/**
 * Spark's `AppendOnlyMap` (org.apache.spark.util.collection, the table inside `ExternalAppendOnlyMap` and
 * `ExternalSorter`), reproduced so that a shuffle's output comes out in the order Spark's does: open addressing over
 * a power-of-two table, the slot `murmur3_32(hashCode) & mask`, quadratic probing (`pos + 1, + 2, + 3, ...`),
 * initial capacity 64, doubling once the size passes 0.7 of the capacity (re-inserting in old slot order), the null
 * key kept apart and iterated first, then the slots in index order.
 *
 * Where a key sits depends only on the hashes of the keys and the order in which they were first inserted (updating
 * a value never moves anything). So the values are combined in an insertion-ordered table ({@link PythonDict}, one
 * `Map` lookup per record), and the layout is replayed over the distinct keys when the table is read
 * ({@link appendOnlyMapOrder}): the per-record cost is that of a plain `Map`, the emulation costs a little per
 * distinct key.
 */
import type { KeyCombiner } from './KeyCombiner';
import { keyHash, murmur3HashInt } from './KeyHash';
import { PythonDict } from './PythonDict';

const INITIAL_CAPACITY = 64;
const LOAD_FACTOR = 0.7;
const MAXIMUM_CAPACITY = 1 << 29;

/**
 * The iteration order of an AppendOnlyMap into which `n` distinct keys were inserted in index order, key `i` placed
 * by the int `hashes[i]` (its hashCode): the key indices, the null key's (`nullIndex`, -1 for none) first.
 */
export function appendOnlyMapOrder(hashes: Int32Array, n: number, nullIndex = -1): Int32Array {
  let capacity = INITIAL_CAPACITY;
  let mask = capacity - 1;
  let growThreshold = Math.trunc(LOAD_FACTOR * capacity);
  let slots = new Int32Array(capacity).fill(-1);
  let size = 0;
  for (let k = 0; k < n; k++) {
    if (k !== nullIndex) {
      let pos = murmur3HashInt(hashes[k]) & mask;
      for (let i = 1; slots[pos] !== -1; i++) pos = (pos + i) & mask;
      slots[pos] = k;
    }
    if (++size <= growThreshold) continue;
    // growTable: double, re-inserting in old slot order (no equality checks: the keys are distinct).
    const newCapacity = capacity * 2;
    if (newCapacity > MAXIMUM_CAPACITY) throw new RangeError(`Can't contain more than ${growThreshold} elements`);
    const newMask = newCapacity - 1;
    const newSlots = new Int32Array(newCapacity).fill(-1);
    for (let old = 0; old < capacity; old++) {
      const key = slots[old];
      if (key === -1) continue;
      let pos = murmur3HashInt(hashes[key]) & newMask;
      for (let i = 1; newSlots[pos] !== -1; i++) pos = (pos + i) & newMask;
      newSlots[pos] = key;
    }
    slots = newSlots;
    capacity = newCapacity;
    mask = newMask;
    growThreshold = Math.trunc(LOAD_FACTOR * newCapacity);
  }
  const order = new Int32Array(n);
  let j = 0;
  if (nullIndex >= 0) order[j++] = nullIndex;
  for (let pos = 0; pos < capacity; pos++) if (slots[pos] !== -1) order[j++] = slots[pos];
  return order;
}

/** The AppendOnlyMap iteration order of distinct `keys` inserted in array order (indices into `keys`). */
export function appendOnlyMapOrderOf(keys: readonly unknown[]): Int32Array {
  const n = keys.length;
  const hashes = new Int32Array(n);
  let nullIndex = -1;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k === null) nullIndex = i;
    else hashes[i] = keyHash(k);
  }
  return appendOnlyMapOrder(hashes, n, nullIndex);
}

/** A combine table that reads back in Spark's AppendOnlyMap order (the plain map: keys by hashCode, null apart). */
export class AppendOnlyMap<K, V> extends PythonDict<K, V> implements KeyCombiner<K, V> {
  override forEach(f: (v: V, k: K) => void): void {
    const keys = this.keyArray;
    const values = this.valueArray;
    const order = appendOnlyMapOrderOf(keys);
    for (let i = 0; i < order.length; i++) f(values[order[i]], keys[order[i]]);
  }
}
