/**
 * A block of received data as a receiver hands it to a `ReceivedBlockHandler`: Spark's `ReceivedBlock` trait with
 * its three cases `ArrayBufferBlock`, `IteratorBlock` and `ByteBufferBlock`, as a discriminated union.
 */
export type ReceivedBlock<T = unknown> = ArrayBufferBlock<T> | IteratorBlock<T> | ByteBufferBlock;

/** Records collected in an array (what the BlockGenerator produces). Spark's `ArrayBufferBlock`. */
export interface ArrayBufferBlock<T = unknown> {
  readonly kind: 'array';
  readonly values: readonly T[];
}

/** Records from an iterator (`Receiver.store(iterator)`); consumed once. Spark's `IteratorBlock`. */
export interface IteratorBlock<T = unknown> {
  readonly kind: 'iterator';
  readonly iterator: Iterator<T> | Iterable<T>;
}

/** Already serialized records (`Receiver.store(bytes)`), in `BlockSerializer`'s format. Spark's `ByteBufferBlock`. */
export interface ByteBufferBlock {
  readonly kind: 'bytes';
  readonly bytes: Buffer;
}

export function ArrayBufferBlock<T>(values: readonly T[]): ArrayBufferBlock<T> {
  return { kind: 'array', values };
}

export function IteratorBlock<T>(iterator: Iterator<T> | Iterable<T>): IteratorBlock<T> {
  return { kind: 'iterator', iterator };
}

export function ByteBufferBlock(bytes: Buffer): ByteBufferBlock {
  return { kind: 'bytes', bytes };
}

/** Drains an iterator block into an array (the block is consumed). */
export function drainIterator<T>(source: Iterator<T> | Iterable<T>): T[] {
  const it: Iterator<T> =
    typeof (source as Iterable<T>)[Symbol.iterator] === 'function' ? (source as Iterable<T>)[Symbol.iterator]() : (source as Iterator<T>);
  const out: T[] = [];
  for (let r = it.next(); !r.done; r = it.next()) out.push(r.value);
  return out;
}
