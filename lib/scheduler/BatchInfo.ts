import type { Time } from '../core/Time';
import type { OutputOperationInfo } from './OutputOperationInfo';
import type { StreamInputInfo } from './StreamInputInfo';

/**
 * One batch: Spark's `BatchInfo`. Delays are `undefined` until known (Spark's `None`): submitted batches have none,
 * started ones a scheduling delay, completed ones all three.
 */
export class BatchInfo {
  constructor(
    readonly batchTime: Time,
    readonly streamIdToInputInfo: ReadonlyMap<number, StreamInputInfo>,
    readonly submissionTime: number,
    readonly processingStartTime: number | undefined,
    readonly processingEndTime: number | undefined,
    readonly outputOperationInfos: ReadonlyMap<number, OutputOperationInfo>,
  ) {}

  /** `processingStartTime - submissionTime`. */
  get schedulingDelay(): number | undefined {
    return this.processingStartTime === undefined ? undefined : this.processingStartTime - this.submissionTime;
  }

  /** `processingEndTime - processingStartTime`. */
  get processingDelay(): number | undefined {
    return this.processingStartTime === undefined || this.processingEndTime === undefined ? undefined : this.processingEndTime - this.processingStartTime;
  }

  /** `schedulingDelay + processingDelay`. */
  get totalDelay(): number | undefined {
    const s = this.schedulingDelay;
    const p = this.processingDelay;
    return s === undefined || p === undefined ? undefined : s + p;
  }

  /** Sum of the input streams' record counts. */
  get numRecords(): number {
    let n = 0;
    for (const i of this.streamIdToInputInfo.values()) n += i.numRecords;
    return n;
  }

  /** The failure reasons of failed output operations, by id. */
  get failureReasons(): Map<number, string> {
    const m = new Map<number, string>();
    for (const [id, o] of this.outputOperationInfos) if (o.failureReason !== undefined) m.set(id, o.failureReason);
    return m;
  }
}
