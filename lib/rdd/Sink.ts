/**
 * Where a partition's elements go. Partitions are computed by pushing elements through a chain of sinks, one per
 * narrow operator, built once per partition: a stage runs as one loop with no intermediate array per operator, the
 * way Spark pipelines a stage.
 */
export type Sink<T> = (element: T) => void;

/** `void` when the partition was computed synchronously, a promise when it needed I/O. */
export type ComputeResult = void | Promise<void>;

/** Runs `then` after `r` (synchronously when `r` is not a promise), without allocating a promise on the sync path. */
export function afterCompute(r: ComputeResult, then: () => ComputeResult): ComputeResult {
  if (r instanceof Promise) return r.then(then);
  return then();
}
