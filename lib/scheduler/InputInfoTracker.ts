import { IllegalStateException } from '../core/errors';
import type { Time } from '../core/Time';
import type { StreamInputInfo } from './StreamInputInfo';

/** Collects each batch's input infos, per stream: Spark's `InputInfoTracker`. */
export class InputInfoTracker {
  private readonly batches = new Map<number, Map<number, StreamInputInfo>>();

  reportInfo(batchTime: Time, info: StreamInputInfo): void {
    let m = this.batches.get(batchTime.milliseconds);
    if (!m) this.batches.set(batchTime.milliseconds, (m = new Map()));
    if (m.has(info.inputStreamId)) {
      throw new IllegalStateException(`Input stream ${info.inputStreamId} for batch ${batchTime} is already added into InputInfoTracker`);
    }
    m.set(info.inputStreamId, info);
  }

  getInfo(batchTime: Time): Map<number, StreamInputInfo> {
    return new Map(this.batches.get(batchTime.milliseconds) ?? []);
  }

  /** Forgets batches strictly older than `batchThreshTime`. */
  cleanup(batchThreshTime: Time): void {
    for (const t of [...this.batches.keys()]) if (t < batchThreshTime.milliseconds) this.batches.delete(t);
  }
}
