import type { StreamId } from '../storage/StreamId';

/** A receiver's status: Spark's `ReceiverInfo`. */
export interface ReceiverInfo {
  readonly streamId: StreamId;
  /** `<ReceiverClass>-<streamId>`. */
  readonly name: string;
  readonly active: boolean;
  readonly location: string;
  readonly executorId: string;
  readonly lastErrorMessage: string;
  readonly lastError: string;
  /** -1 when there was no error. */
  readonly lastErrorTime: number;
}
