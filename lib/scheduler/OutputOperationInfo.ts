import type { Time } from '../core/Time';

/** One output operation of one batch: Spark's `OutputOperationInfo`. */
export interface OutputOperationInfo {
  readonly batchTime: Time;
  /** Index of the output operation in registration order. */
  readonly id: number;
  /** Short name (Spark: the call site's short form; here the operation, e.g. `print`). */
  readonly name: string;
  readonly description: string;
  readonly startTime?: number;
  readonly endTime?: number;
  /** The failure's text with its stack, if the operation failed. */
  readonly failureReason?: string;
}

export function outputOperationDuration(info: OutputOperationInfo): number | undefined {
  return info.startTime !== undefined && info.endTime !== undefined ? info.endTime - info.startTime : undefined;
}
