import { requireThat } from '../core/errors';
import type { StreamId } from '../storage/StreamId';

/** What one input stream contributed to one batch: Spark's `StreamInputInfo`. */
export interface StreamInputInfo {
  readonly inputStreamId: StreamId;
  readonly numRecords: number;
  /** Free-form metadata; `Description` is shown by the UI (Spark's `METADATA_KEY_DESCRIPTION`). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

export const METADATA_KEY_DESCRIPTION = 'Description';

export function streamInputInfo(inputStreamId: StreamId, numRecords: number, metadata: Record<string, unknown> = {}): StreamInputInfo {
  requireThat(numRecords >= 0, `numRecords must not be negative (stream ${inputStreamId}: ${numRecords})`);
  return { inputStreamId, numRecords, metadata };
}
