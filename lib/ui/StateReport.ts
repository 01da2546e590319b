import { MaterializedRDD } from '../streaming/rdd/MaterializedRDD';
import type { DStreamGraph } from '../streaming/DStreamGraph';
import type { DStream } from '../streaming/dstream/DStream';

/** The size of one stateful stream's state, read from its newest computed batch. */
export interface StateSizeJson {
  seq: number;
  className: string;
  label: string;
  /** The batch whose state was measured; absent before the first batch completed. */
  batchTime?: number;
  /** Keys held (state maps' live keys; for incremental windows, the window's keys). */
  keys?: number;
  partitions?: number;
  /** Per partition keys, to see skew. */
  keysPerPartition?: number[];
}

/**
 * Measures every stateful stream (updateStateByKey, mapWithState, incremental windows): their RDDs keep each
 * partition's state as a payload (MaterializedRDD), so the size is read without computing anything. Only fully
 * computed RDDs are read; a batch still computing is skipped for the one before it.
 */
export function stateSizes(graph: DStreamGraph): StateSizeJson[] {
  const out: StateSizeJson[] = [];
  for (const d of graph.allStreams()) {
    if (!d.mustCheckpoint) continue;
    out.push({ seq: d.seq, className: d.className, label: d.label, ...measure(d) });
  }
  return out;
}

function measure(d: DStream<unknown>): Partial<StateSizeJson> {
  const times = [...d.generatedRDDs.keys()].sort((a, b) => b - a);
  for (const t of times) {
    const rdd = d.generatedRDDs.get(t);
    if (!(rdd instanceof MaterializedRDD) || !rdd.isMaterialized) continue;
    const perPartition: number[] = [];
    const n = rdd.getNumPartitions();
    try {
      for (let i = 0; i < n; i++) perPartition.push(payloadSize(rdd.payload(i)));
    } catch {
      continue; // unpersisted meanwhile (an old batch being cleared): look at the one before
    }
    return { batchTime: t, keys: perPartition.reduce((a, b) => a + b, 0), partitions: n, keysPerPartition: perPartition };
  }
  return {};
}

/** A state map (`size`), a mapWithState record (`stateMap.size`) or an array of pairs (`length`). */
function payloadSize(p: unknown): number {
  if (Array.isArray(p)) return p.length;
  if (p !== null && typeof p === 'object') {
    const o = p as { size?: unknown; stateMap?: { size?: unknown } };
    if (typeof o.size === 'number') return o.size;
    if (o.stateMap && typeof o.stateMap.size === 'number') return o.stateMap.size;
  }
  return 0;
}
