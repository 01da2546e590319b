import { scalaString } from '../../core/ScalaFormat';
import { KeyMap } from '../../rdd/KeyMap';
import type { Partition } from '../../rdd/Partition';
import type { RDD } from '../../rdd/RDD';
import type { ComputeResult, Sink } from '../../rdd/Sink';
import type { TaskContext } from '../../rdd/TaskContext';
import { MAX_ELEMENT_CHARS } from './CaptureJson';

/** An element as `print()` shows it, cut at {@link MAX_ELEMENT_CHARS}. */
export function elementText(x: unknown): string {
  let s: string;
  try {
    s = scalaString(x);
  } catch (e) {
    s = `<unprintable: ${(e as Error).message}>`;
  }
  return s.length > MAX_ELEMENT_CHARS ? s.slice(0, MAX_ELEMENT_CHARS - 1) + '…' : s;
}

/** What a tap kept of one partition computed whole. */
export interface PartitionSample {
  readonly count: number;
  readonly elements: readonly string[];
}

/** A key's first values in one RDD and how many it had. */
export interface KeyValues {
  readonly values: unknown[];
  count: number;
}

/**
 * The values of the first keys of `[key, value]` elements: per partition, the first `maxKeys` distinct keys and, for
 * each, its first `maxValues` values and their count. A partition's keys join the sample only once it was computed
 * whole, so a failed task's attempt counts nothing.
 */
export class KeySample {
  readonly keys = new KeyMap<unknown, KeyValues>();

  constructor(
    readonly maxKeys: number,
    readonly maxValues: number,
  ) {}

  /** A collector for one computation of a partition. */
  collector(): { add: (x: unknown) => void; keys: KeyMap<unknown, KeyValues> } {
    const keys = new KeyMap<unknown, KeyValues>();
    const { maxKeys, maxValues } = this;
    return {
      keys,
      add: (x) => {
        if (!Array.isArray(x) || x.length !== 2) return;
        const e = keys.get(x[0]);
        if (e !== undefined) {
          if (e.values.length < maxValues) e.values.push(x[1]);
          e.count++;
        } else if (keys.size < maxKeys) {
          keys.set(x[0], { values: [x[1]], count: 1 });
        }
      },
    };
  }

  /** Adds a computed partition's keys. */
  commit(partitionKeys: KeyMap<unknown, KeyValues>): void {
    partitionKeys.forEach((v, k) => {
      const e = this.keys.get(k);
      if (e === undefined) {
        this.keys.set(k, v);
        return;
      }
      for (const x of v.values) if (e.values.length < this.maxValues) e.values.push(x);
      e.count += v.count;
    });
  }
}

type Iterator = RDD<unknown>['iterator'];

/** The taps of each tapped RDD, oldest first. */
const active = new WeakMap<RDD<unknown>, RDDTap[]>();

/**
 * Stands in for `rdd.iterator` while the RDD has taps: the first tap that still wants the partition sees its
 * elements go by; everything else goes straight to the RDD's own iterator (its class's, found on the prototype).
 */
function tappedIterator(this: RDD<unknown>, split: Partition, context: TaskContext, sink: Sink<unknown>): ComputeResult {
  const own = Reflect.get(Object.getPrototypeOf(this) as object, 'iterator') as Iterator;
  const taps = active.get(this);
  if (taps !== undefined) {
    for (const t of taps) if (t.wants(split.index)) return t.record(own, this, split, context, sink);
  }
  return own.call(this, split, context, sink);
}

/**
 * Watches an RDD being computed by the batch and keeps, per partition computed whole, the element count and the first
 * `maxRecords` elements as text (and, with a {@link KeySample}, the values of its first keys). It reuses the
 * computation the batch does anyway: installing a tap shadows the RDD's `iterator` on that one object, and removing
 * the last one deletes the shadow, so an RDD without taps (and every RDD while capture is off) runs as before.
 */
export class RDDTap {
  private readonly samples: (PartitionSample | undefined)[] = [];
  private readonly running = new Set<number>();
  private installed = false;

  constructor(
    readonly rdd: RDD<unknown>,
    readonly maxRecords: number,
    readonly keys?: KeySample,
  ) {}

  sample(index: number): PartitionSample | undefined {
    return this.samples[index];
  }

  /** Whether this tap still wants partition `index` (not computed whole yet, and not being computed). */
  wants(index: number): boolean {
    return this.installed && this.samples[index] === undefined && !this.running.has(index);
  }

  install(): this {
    if (this.installed) return this;
    this.installed = true;
    const taps = active.get(this.rdd);
    if (taps !== undefined) {
      taps.push(this);
      return this;
    }
    active.set(this.rdd, [this]);
    Object.defineProperty(this.rdd, 'iterator', { value: tappedIterator, configurable: true, writable: true, enumerable: false });
    return this;
  }

  remove(): void {
    if (!this.installed) return;
    this.installed = false;
    const taps = active.get(this.rdd);
    if (taps === undefined) return;
    const rest = taps.filter((t) => t !== this);
    if (rest.length > 0) {
      active.set(this.rdd, rest);
      return;
    }
    active.delete(this.rdd);
    delete (this.rdd as { iterator?: Iterator }).iterator;
  }

  /** Computes a partition through `own`, counting and keeping its first elements (one closure per partition). */
  record(own: Iterator, rdd: RDD<unknown>, split: Partition, context: TaskContext, sink: Sink<unknown>): ComputeResult {
    const index = split.index;
    const max = this.maxRecords;
    const kept: unknown[] = [];
    let n = 0;
    const collector = this.keys?.collector();
    const add = collector?.add;
    const tapSink: Sink<unknown> =
      add === undefined
        ? (x) => {
            if (n < max) kept.push(x);
            n++;
            sink(x);
          }
        : (x) => {
            if (n < max) kept.push(x);
            n++;
            add(x);
            sink(x);
          };
    this.running.add(index);
    const done = (): void => {
      this.running.delete(index);
      this.samples[index] = { count: n, elements: kept.map(elementText) };
      if (collector !== undefined) this.keys?.commit(collector.keys);
    };
    const failed = (e: unknown): never => {
      this.running.delete(index);
      throw e;
    };
    let r: ComputeResult;
    try {
      r = own.call(rdd, split, context, tapSink);
    } catch (e) {
      return failed(e);
    }
    if (r instanceof Promise) return r.then(done, failed);
    done();
  }
}
