import type { RDD } from '../../rdd/RDD';
import type { DStream } from '../../streaming/dstream/DStream';

/** A stream's RDD at a batch time, looked up in a snapshot of the streams' generated RDDs. */
export type RDDsAt = (stream: DStream<unknown>, time: number) => RDD<unknown> | undefined;

/** Snapshots every stream's generated RDDs (a few per stream), so a view completed later still finds them. */
export function snapshotRDDs(streams: readonly DStream<unknown>[]): RDDsAt {
  const snap = new Map<DStream<unknown>, Map<number, RDD<unknown>>>();
  for (const s of streams) snap.set(s, new Map(s.generatedRDDs as Map<number, RDD<unknown>>));
  return (stream, time) => snap.get(stream)?.get(time);
}
