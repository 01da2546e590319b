import type { Time } from '../core/Time';

/**
 * What the JobGenerator asks of the checkpoint machinery (lib/checkpoint fills it in): write the metadata
 * checkpoint of `time`, and call back when it is durable.
 */
export interface CheckpointHook {
  /** Writes the checkpoint for `time`; resolves once it is on disk (or failed and was logged). */
  write(time: Time, clearCheckpointDataLater: boolean): Promise<void>;
  stop(): Promise<void>;
}
