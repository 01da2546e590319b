import { UnsupportedOperationException } from '../../core/errors';

/** A state value with the time (ms) it was last updated: Spark's `(K, S, Long)` triples of `getAll`/`getByTime`. */
export type StateEntry<K, S> = [key: K, state: S, updateTime: number];

/**
 * What changed in a state map since an older version of it: the keys put (with their current state and update
 * time) and the keys removed. This is what an incremental state checkpoint writes.
 */
export interface StateDelta<K, S> {
  readonly updated: StateEntry<K, S>[];
  readonly removed: K[];
}

/** Options of {@link StateMap.changesSince}. */
export interface ChangesSinceOptions {
  /** The program never changes a state object in place (default false: object states are always reported). */
  readonly immutableStates?: boolean;
}

/**
 * The per-partition state of `mapWithState` and `updateStateByKey`: Spark's `StateMap`. A map from key to state
 * and last update time, with `copy()` giving a new version that can change while this one stays as it was (each
 * batch's state RDD keeps its own version).
 */
export abstract class StateMap<K, S> {
  /** The state of `key`, or `undefined` (Spark's `get(key): Option[S]`; see {@link has} for states that are `undefined`). */
  abstract get(key: K): S | undefined;

  /** The state of `key`, or `absent` when it has none (one lookup where `has` + `get` would take two). */
  getOrElse<D>(key: K, absent: D): S | D {
    return this.has(key) ? (this.get(key) as S) : absent;
  }

  /** Whether `key` has a state. */
  abstract has(key: K): boolean;

  /** The last update time (ms) of `key`'s state, or `undefined`. */
  abstract getUpdateTime(key: K): number | undefined;

  /** Every entry whose update time is strictly older than `threshUpdatedTime` (Spark's `getByTime`). */
  abstract getByTime(threshUpdatedTime: number): StateEntry<K, S>[];

  /** Every entry (Spark's `getAll`). */
  getAll(): StateEntry<K, S>[] {
    const out: StateEntry<K, S>[] = [];
    this.forEach((k, s, t) => out.push([k, s, t]));
    return out;
  }

  /** Calls `f` for every entry (the allocation-free form of {@link getAll}). */
  abstract forEach(f: (key: K, state: S, updateTime: number) => void): void;

  /** Sets `key`'s state and update time. */
  abstract put(key: K, state: S, updatedTime: number): void;

  /** Removes `key`'s state (nothing if it has none). */
  abstract remove(key: K): void;

  /** A new version of this map: it starts equal to this one; changes to either do not show in the other. */
  abstract copy(): StateMap<K, S>;

  /** Number of keys with a state. */
  abstract get size(): number;

  /**
   * What changed in this map since `older`, an earlier version it was copied from (directly or through other
   * copies); `undefined` when that cannot be told cheaply (not an ancestor, or too many compactions in between),
   * in which case a checkpoint writes the whole map ({@link getAll}).
   *
   * A state that is an object may have been changed in place by the update function and stored again as the same
   * object, which no version records; such states are reported as updated too unless `immutableStates` says the
   * program never does that (Spark does not have the question: it serializes the whole map at each checkpoint).
   */
  abstract changesSince(older: StateMap<K, S>, options?: ChangesSinceOptions): StateDelta<K, S> | undefined;

  abstract toDebugString(): string;

  toString(): string {
    return `${this.constructor.name}(${this.size} keys)`;
  }
}

/** A map with nothing in it that cannot be written: Spark's `EmptyStateMap`. */
export class EmptyStateMap<K, S> extends StateMap<K, S> {
  get(): S | undefined {
    return undefined;
  }
  has(): boolean {
    return false;
  }
  getUpdateTime(): number | undefined {
    return undefined;
  }
  getByTime(): StateEntry<K, S>[] {
    return [];
  }
  forEach(): void {}
  put(): void {
    throw new UnsupportedOperationException('put() should not be called on an EmptyStateMap');
  }
  remove(): void {}
  copy(): StateMap<K, S> {
    return this;
  }
  get size(): number {
    return 0;
  }
  changesSince(older: StateMap<K, S>): StateDelta<K, S> | undefined {
    return older === this ? { updated: [], removed: [] } : undefined;
  }
  toDebugString(): string {
    return 'EmptyStateMap';
  }
}
