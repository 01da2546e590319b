import { NoSuchElementException, requireThat } from '../../core/errors';
import { scalaString } from '../../core/ScalaFormat';

/**
 * The state of one key inside a `mapWithState` mapping function: Spark's `State[S]`.
 *
 * ```ts
 * const spec = StateSpec.function((word: string, one: number | undefined, state: State<number>) => {
 *   const sum = (one ?? 0) + (state.getOption() ?? 0);
 *   state.update(sum);
 *   return [word, sum];
 * });
 * ```
 * `update` and `remove` may not be called on a state that is timing out (`isTimingOut()`), nor `update` after
 * `remove`, nor `remove` twice (Spark's `IllegalArgumentException("requirement failed: ...")`).
 */
export abstract class State<S> {
  /** Whether the state exists. */
  abstract exists(): boolean;
  /** The state; `NoSuchElementException("State is not set")` when it does not exist. */
  abstract get(): S;
  /** Sets the state (kept for the next batches). */
  abstract update(newState: S): void;
  /** Removes the state. */
  abstract remove(): void;
  /** Whether the key is being called because its state timed out (no data; this is the last call for it). */
  abstract isTimingOut(): boolean;

  /** The state, or `undefined` (Spark's `getOption(): Option[S]`). */
  getOption(): S | undefined {
    return this.exists() ? this.get() : undefined;
  }

  toString(): string {
    return this.exists() ? scalaString(this.get()) : '<state not set>';
  }
}

/** Spark's `StateImpl`: one instance is reused for every record of a partition (`wrap` resets it). */
export class StateImpl<S> extends State<S> {
  private state: S | undefined = undefined;
  private defined = false;
  private timingOut = false;
  private updated = false;
  private removed = false;

  exists(): boolean {
    return this.defined;
  }

  get(): S {
    if (!this.defined) throw new NoSuchElementException('State is not set');
    return this.state as S;
  }

  update(newState: S): void {
    requireThat(!this.removed, 'Cannot update the state after it has been removed');
    requireThat(!this.timingOut, 'Cannot update the state that is timing out');
    this.state = newState;
    this.defined = true;
    this.updated = true;
  }

  isTimingOut(): boolean {
    return this.timingOut;
  }

  remove(): void {
    requireThat(!this.timingOut, 'Cannot remove the state that is timing out');
    requireThat(!this.removed, 'Cannot remove the state that has already been removed');
    this.defined = false;
    this.updated = false;
    this.removed = true;
  }

  /** Whether the state was removed by the function. */
  isRemoved(): boolean {
    return this.removed;
  }

  /** Whether the state was updated by the function. */
  isUpdated(): boolean {
    return this.updated;
  }

  /** Wraps an existing state (`defined = true`) or none (`defined = false`); resets the flags. */
  wrap(defined: boolean, state?: S): void {
    this.state = defined ? state : undefined;
    this.defined = defined;
    this.timingOut = false;
    this.removed = false;
    this.updated = false;
  }

  /** Wraps a state that is timing out. */
  wrapTimingOutState(newState: S): void {
    this.state = newState;
    this.defined = true;
    this.timingOut = true;
    this.removed = false;
    this.updated = false;
  }
}
