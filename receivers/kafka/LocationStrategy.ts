import { type TopicPartition, type TopicPartitionLike, TopicPartition as TP } from './TopicPartition';

/**
 * Where KafkaRDD partitions should run: Spark's `LocationStrategy`. dstreams runs every task in one process, so the
 * strategy changes nothing about execution; it is kept so Spark programs port unchanged, and `createRDD` rejects
 * `PreferBrokers` as Spark does.
 */
export abstract class LocationStrategy {
  abstract readonly kind: 'PreferConsistent' | 'PreferBrokers' | 'PreferFixed';
  toString(): string {
    return this.kind;
  }
}

export class PreferConsistent extends LocationStrategy {
  readonly kind = 'PreferConsistent';
}

export class PreferBrokers extends LocationStrategy {
  readonly kind = 'PreferBrokers';
}

export class PreferFixed extends LocationStrategy {
  readonly kind = 'PreferFixed';
  readonly hostMap: ReadonlyMap<string, string>;
  constructor(hostMap: ReadonlyMap<TopicPartitionLike, string> | Iterable<readonly [TopicPartitionLike, string]>) {
    super();
    const m = new Map<string, string>();
    for (const [tp, host] of hostMap) m.set(TP.of(tp).toString(), host);
    this.hostMap = m;
  }
  /** The host for a partition, if mapped. */
  hostFor(tp: TopicPartition): string | undefined {
    return this.hostMap.get(tp.toString());
  }
}

/** Spark's `LocationStrategies` factory. */
export const LocationStrategies = {
  /** Spread partitions evenly (Spark's usual choice). */
  PreferConsistent: (): LocationStrategy => new PreferConsistent(),
  /** Run partitions on their leader broker's host (only meaningful on a cluster). */
  PreferBrokers: (): LocationStrategy => new PreferBrokers(),
  /** A fixed partition → host map. */
  PreferFixed: (hostMap: ReadonlyMap<TopicPartitionLike, string> | Iterable<readonly [TopicPartitionLike, string]>): LocationStrategy => new PreferFixed(hostMap),
} as const;
