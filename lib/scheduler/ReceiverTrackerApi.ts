import type { Time } from '../core/Time';

/**
 * What the scheduler needs from the receiver machinery (which lives in receivers/ and registers a factory on the
 * StreamingContext): Spark's `ReceiverTracker` as the JobScheduler and JobGenerator see it.
 */
export interface ReceiverTrackerApi {
  start(): Promise<void>;
  /** Stops receivers; graceful waits until they have pushed all their data. */
  stop(graceful: boolean): Promise<void>;
  /** Gives every unallocated block to batch `time` (logged to the metadata WAL first when checkpointing). */
  allocateBlocksToBatch(time: Time): Promise<void>;
  hasUnallocatedBlocks(): boolean;
  /** Forgets batches older than `threshTime` and cleans WAL segments. */
  cleanupOldBlocksAndBatches(threshTime: Time): Promise<void>;
  /** Number of receivers. */
  numReceivers(): number;
}
