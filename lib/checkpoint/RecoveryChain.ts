import type { Duration } from '../core/Duration';
import type { DStream } from '../streaming/dstream/DStream';
import { InputDStream } from '../streaming/dstream/InputDStream';
import type { DStreamGraph } from '../streaming/DStreamGraph';
import type { CheckpointRecord } from './Checkpoint';
import { isStateStream, type StateCheckpointData } from './StateCheckpointer';

/**
 * The oldest batch whose received blocks a recovery from `cp` computes results from, or undefined when the graph
 * has no receiver stream. The re-run batches (the checkpoint's own, its pending ones and those after it) read their
 * own blocks; a window reaches back its length; a state stream is re-computed from the batch after the state the
 * checkpoint holds (its data checkpoint can be several batches older than the checkpoint, and with no data
 * checkpoint yet, from the first batch). Every batch from there to the end of the metadata log must still have its
 * allocation, or the recovery would count it as empty.
 *
 * A reduce-by-window with an inverse function also reads its previous window, back to the first batch; the batches
 * before its current window cancel out there (added once, subtracted once), so only the window counts.
 */
export function oldestInputBatchNeeded(graph: DStreamGraph, cp: CheckpointRecord): number | undefined {
  const firstRerun = Math.min(cp.checkpointTimeMs, ...cp.pendingTimesMs);
  let oldest: number | undefined;
  // The earliest time each stream was visited from: a shared ancestor is walked again only from further back.
  const seen = new Map<DStream<unknown>, number>();
  const visit = (d: DStream<unknown>, fromMs: number): void => {
    const before = seen.get(d);
    if (before !== undefined && before <= fromMs) return;
    seen.set(d, fromMs);
    if (d instanceof InputDStream && d.usesReceiver) {
      // Batch times start one batch after zero time.
      const from = Math.max(fromMs, cp.zeroTimeMs + d.slideDuration.milliseconds);
      if (oldest === undefined || from < oldest) oldest = from;
    }
    let parentFrom = fromMs;
    if (isStateStream(d)) {
      const data = cp.streams[String(d.seq)] as Partial<StateCheckpointData> | undefined;
      const chain = data?.kind === 'state' ? data.chain : undefined;
      const stateMs = chain !== undefined && chain.length > 0 ? chain[chain.length - 1].timeMs : cp.zeroTimeMs;
      parentFrom = Math.min(parentFrom, stateMs + d.slideDuration.milliseconds);
    }
    const window = (d as unknown as { windowDuration?: Duration }).windowDuration;
    for (const p of d.dependencies) {
      visit(p, window === undefined ? parentFrom : parentFrom - window.milliseconds + p.slideDuration.milliseconds);
    }
  };
  for (const o of graph.outputStreams) visit(o, firstRerun);
  return oldest;
}
