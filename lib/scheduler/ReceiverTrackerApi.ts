import type { Time } from '../core/Time';

/**
 * What the scheduler needs from the receiver machinery (which lives in receivers/ and registers a factory on the
 * StreamingContext): Spark's `ReceiverTracker` as the JobScheduler and JobGenerator see it.
 */
export interface ReceiverTrackerApi {
  start(): Promise<void>;
  /** Stops receivers and closes the metadata log (`stopReceivers` then `close`). */
  stop(graceful: boolean): Promise<void>;
  /** Stops the receivers; graceful waits until they have pushed all their data. The metadata log stays open. */
  stopReceivers(graceful: boolean): Promise<void>;
  /** Closes the metadata log (after the last blocks were allocated). */
  close(): Promise<void>;
  /** Gives every unallocated block to batch `time` (logged to the metadata WAL first when checkpointing). */
  allocateBlocksToBatch(time: Time): Promise<void>;
  hasUnallocatedBlocks(): boolean;
  /** Forgets batches older than `threshTime` and cleans WAL segments. */
  cleanupOldBlocksAndBatches(threshTime: Time): Promise<void>;
  /** Number of receivers. */
  numReceivers(): number;
}
