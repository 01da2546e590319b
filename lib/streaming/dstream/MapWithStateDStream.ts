import type { Duration } from '../../core/Duration';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import type { StateSpec } from '../state/StateSpec';
import { DStream } from './DStream';
import { InternalMapWithStateDStream } from './InternalMapWithStateDStream';

/**
 * What `mapWithState` returns: the mapped data of every batch (Spark's `MapWithStateDStream`, implemented by
 * `MapWithStateDStreamImpl`), plus {@link stateSnapshots}. The state lives in the internal stream; `checkpoint(d)`
 * sets that stream's interval (this one's stays unset).
 */
export class MapWithStateDStream<K, V, S, M> extends DStream<M> {
  readonly internalStream: InternalMapWithStateDStream<K, V, S, M>;

  constructor(
    readonly dataStream: DStream<[K, V]>,
    spec: StateSpec<K, V, S, M>,
  ) {
    super(dataStream.ssc, 'mapWithState');
    this.internalStream = new InternalMapWithStateDStream(dataStream, spec);
  }

  override get className(): string {
    return 'MapWithStateDStreamImpl';
  }

  get slideDuration(): Duration {
    return this.internalStream.slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.internalStream as DStream<unknown>];
  }

  compute(validTime: Time): RDD<M> | undefined {
    return this.internalStream.getOrCompute(validTime)?.flatMap((r) => r.mappedData);
  }

  /** Sets the checkpoint interval of the state (Spark's override). */
  override checkpoint(interval: Duration): this {
    this.internalStream.checkpoint(interval);
    return this;
  }

  /** Every batch, every key's current state (Spark's `stateSnapshots()`). */
  stateSnapshots(): DStream<[K, S]> {
    return this.internalStream.flatMap((r) => {
      const out: [K, S][] = [];
      r.stateMap.forEach((k, s) => out.push([k, s]));
      return out;
    });
  }
}
