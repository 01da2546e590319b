import type { StreamId } from '../lib/storage/StreamId';
import type { ReceivedBlockInfo } from './ReceivedBlockInfo';

/**
 * What a receiver's supervisor asks of the driver: the messages of Spark's `ReceiverTracker` RPC endpoint
 * (`RegisterReceiver`, `DeregisterReceiver`, `AddBlock`, `ReportError`), as calls within the process.
 */
export interface ReceiverTrackerEndpoint {
  /** `RegisterReceiver`: whether the driver lets this receiver start. */
  registerReceiver(streamId: StreamId, typ: string, host: string, executorId: string, supervisor: unknown): boolean;
  /** `DeregisterReceiver`: the receiver stopped (`error` is the stack text, empty when none). */
  deregisterReceiver(streamId: StreamId, message: string, error: string): void;
  /** `AddBlock`: records a stored block; false when it could not be recorded (metadata log write failed). */
  addBlock(info: ReceivedBlockInfo): Promise<boolean>;
  /** The metadata of the last block stored on the stream (this run or before a restart), if any. */
  lastStoredMetadata(streamId: StreamId): unknown;
  /** `ReportError`: the receiver reported an error and goes on. */
  reportError(streamId: StreamId, message: string, error: string): void;
}
