import { KeyMap } from '../../../lib/rdd/KeyMap';
import { KeyNotCoPartitionedException } from './GroupErrors';

/** One key's state and the batch time (ms) it was last updated (mapWithState's timeouts need it). */
export interface StateEntry<S> {
  state: S;
  updatedMs: number;
}

/**
 * The state of one input partition in a group-mode stateful stream: key → state, plus what the last batch applied
 * to it produced (so that recomputing that batch's RDD gives the same records instead of updating twice).
 */
export class PartitionStateStore<K, S, Out> {
  readonly map = new KeyMap<K, StateEntry<S>>();
  /** The batch (ms) whose update the map holds, -1 before the first. */
  lastBatchMs = -1;
  /** What that batch's RDD partition held (mapWithState's mapped values; updateStateByKey reads the map). */
  lastOutput: Out[] = [];

  constructor(readonly partition: string) {}
}

/**
 * The stores of one stateful stream on this member, one per input partition it owns. A key new to a partition is
 * looked for in the other partitions here: found, the input is not keyed as Kafka partitions it, and the batch fails
 * with a KeyNotCoPartitionedException (a key seen by two members cannot be caught here; docs/scaling-out.md).
 */
export class PartitionStateStores<K, S, Out> {
  private readonly stores = new Map<string, PartitionStateStore<K, S, Out>>();

  constructor(readonly streamName: string) {}

  get(partition: string): PartitionStateStore<K, S, Out> | undefined {
    return this.stores.get(partition);
  }

  /** A fresh store for `partition` (replacing any), for a restore to fill. */
  create(partition: string): PartitionStateStore<K, S, Out> {
    const s = new PartitionStateStore<K, S, Out>(partition);
    this.stores.set(partition, s);
    return s;
  }

  /** Installs a filled store (a restore that completed). */
  put(store: PartitionStateStore<K, S, Out>): void {
    this.stores.set(store.partition, store);
  }

  delete(partition: string): void {
    this.stores.delete(partition);
  }

  get partitions(): string[] {
    return [...this.stores.keys()].sort();
  }

  /** Throws if `key`, new to `partition`, is in another partition's store. */
  checkNewKey(key: K, partition: string): void {
    if (this.stores.size < 2) return;
    for (const [p, s] of this.stores) {
      if (p !== partition && s.map.has(key)) throw new KeyNotCoPartitionedException(this.streamName, describeKey(key), [p, partition]);
    }
  }
}

function describeKey(key: unknown): string {
  const s = typeof key === 'string' ? JSON.stringify(key) : (() => {
    try {
      return JSON.stringify(key) ?? String(key);
    } catch {
      return String(key);
    }
  })();
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
