/**
 * A rough estimate of the heap bytes a value holds: Spark's `SizeEstimator`, simplified. Large arrays are estimated
 * from a sample of their elements, so the cost stays bounded whatever the block size. Used by the memory store for
 * its accounting, never for correctness.
 */
const SAMPLE = 64;
const OBJECT_OVERHEAD = 24;
const POINTER = 8;

export function estimateSize(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      // V8 header + one byte per Latin-1 character (two-byte strings are rarer; not worth scanning for).
      return 16 + value.length;
    case 'number':
      return 8;
    case 'boolean':
    case 'undefined':
      return 4;
    case 'bigint':
      return 16;
    case 'object':
      break;
    default:
      return POINTER;
  }
  if (value === null) return 4;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return 96 + (value as ArrayBufferView).byteLength;
  if (depth > 4) return OBJECT_OVERHEAD;
  if (Array.isArray(value)) return OBJECT_OVERHEAD + estimateElements(value, depth);
  if (value instanceof Map) {
    let s = OBJECT_OVERHEAD;
    let i = 0;
    for (const [k, v] of value) {
      if (i++ >= SAMPLE) return s + ((s - OBJECT_OVERHEAD) / SAMPLE) * (value.size - SAMPLE);
      s += 2 * POINTER + estimateSize(k, depth + 1) + estimateSize(v, depth + 1);
    }
    return s;
  }
  let s = OBJECT_OVERHEAD;
  for (const k in value as Record<string, unknown>) s += POINTER + estimateSize((value as Record<string, unknown>)[k], depth + 1);
  return s;
}

/** Size of an array's elements, sampled for long arrays. */
function estimateElements(values: readonly unknown[], depth: number): number {
  const n = values.length;
  if (n <= SAMPLE * 2) {
    let s = 0;
    for (let i = 0; i < n; i++) s += POINTER + estimateSize(values[i], depth + 1);
    return s;
  }
  const step = n / SAMPLE;
  let s = 0;
  for (let i = 0; i < SAMPLE; i++) s += POINTER + estimateSize(values[Math.floor(i * step)], depth + 1);
  return Math.round((s / SAMPLE) * n);
}

/** Estimated heap bytes of a block's records. */
export function estimateValuesSize(values: readonly unknown[]): number {
  return OBJECT_OVERHEAD + estimateElements(values, 0);
}
