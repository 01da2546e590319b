/** The id of an input DStream (0, 1, ... in creation order): a number branded so it is not mixed with other ids. */
export type StreamId = number & { readonly __streamId: unique symbol };

export function StreamId(n: number): StreamId {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A stream id is a non-negative integer, got ${n}`);
  return n as StreamId;
}
