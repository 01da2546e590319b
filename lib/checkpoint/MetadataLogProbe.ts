import type { StreamingContext } from '../streaming/StreamingContext';

/**
 * What recovery asks of the received-block metadata log before it picks a checkpoint file: whether the log still
 * has the allocations a recovery from that checkpoint needs. receivers/ installs the implementation (the
 * ReceivedBlockTracker's replay), since lib/ reads the log's events only through it.
 */
export interface MetadataLogProbe {
  /** The batches the log lacks for re-running `rerunTimesMs` and computing from `inputFromMs` on, or undefined. */
  lostBatches(rerunTimesMs: readonly number[], inputFromMs?: number): { readonly batchTimesMs: readonly number[]; readonly reason: string } | undefined;
  close(): void;
}

export const metadataLogProbes: { open?: (ssc: StreamingContext, checkpointDir: string) => MetadataLogProbe } = {};
