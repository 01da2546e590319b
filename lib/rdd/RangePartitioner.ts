import { IllegalArgumentException } from '../core/errors';
import { defaultOrdering, type Ordering } from './Ordering';
import { Partitioner } from './Partitioner';
import type { RDD } from './RDD';
import { SeededRandom } from './SeededRandom';

/**
 * Spark's `RangePartitioner`: sorts keys into roughly equal ranges whose bounds come from a sample of the RDD's
 * keys (reservoir samples per partition, weighted by partition size; partitions much larger than the average are
 * re-sampled). Used by `sortByKey` and `sortBy`.
 *
 * Spark samples when the partitioner is built (`sortByKey` runs a job); here transformations stay lazy, so the
 * sampling job runs in {@link prepare}, just before the shuffle's map side, and the partition count is the one asked
 * for (Spark's can be lower when the sample has fewer distinct keys; the extra partitions here are empty).
 */
export class RangePartitioner<K> extends Partitioner {
  private bounds: K[] | undefined;
  private preparing: Promise<void> | undefined;

  constructor(
    readonly numPartitions: number,
    private readonly rdd: RDD<[K, unknown]>,
    readonly ascending = true,
    readonly ordering: Ordering<K> = defaultOrdering,
    private readonly samplePointsPerPartitionHint = 20,
  ) {
    super();
    if (!Number.isInteger(numPartitions) || numPartitions < 0) {
      throw new IllegalArgumentException(`requirement failed: Number of partitions cannot be negative but found ${numPartitions}.`);
    }
    if (numPartitions <= 1) this.bounds = [];
  }

  /** The upper bounds of every partition but the last (available once prepared). */
  get rangeBounds(): readonly K[] | undefined {
    return this.bounds;
  }

  override prepare(): void | Promise<void> {
    if (this.bounds) return;
    if (!this.preparing) {
      this.preparing = this.computeBounds().then((b) => void (this.bounds = b));
      // A failed sampling job is retried by the next action.
      this.preparing.catch(() => (this.preparing = undefined));
    }
    return this.preparing;
  }

  override getPartition(key: unknown): number {
    const bounds = this.bounds;
    if (!bounds) throw new Error('RangePartitioner used before prepare()');
    const ord = this.ordering;
    const k = key as K;
    let partition = 0;
    if (bounds.length <= 128) {
      while (partition < bounds.length && ord(k, bounds[partition]) > 0) partition++;
    } else {
      let lo = 0;
      let hi = bounds.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ord(bounds[mid], k) < 0) lo = mid + 1;
        else hi = mid;
      }
      partition = lo;
    }
    return this.ascending ? partition : bounds.length - partition;
  }

  override equals(other: Partitioner | undefined): boolean {
    if (other === this) return true;
    if (!(other instanceof RangePartitioner) || other.ascending !== this.ascending) return false;
    const a = this.bounds;
    const b = other.bounds as K[] | undefined;
    if (!a || !b || a.length !== b.length || other.numPartitions !== this.numPartitions) return false;
    for (let i = 0; i < a.length; i++) if (this.ordering(a[i], b[i]) !== 0) return false;
    return true;
  }

  override toString(): string {
    return `RangePartitioner(${this.numPartitions})`;
  }

  private async computeBounds(): Promise<K[]> {
    const rdd = this.rdd;
    const partitions = this.numPartitions;
    const numInput = rdd.getNumPartitions();
    if (numInput === 0) return [];
    const sampleSize = Math.min(this.samplePointsPerPartitionHint * partitions, 1e6);
    const perPartition = Math.ceil((3 * sampleSize) / numInput);
    const sketched = await rdd.sc.dagScheduler.runJob(
      rdd,
      (ctx) => {
        const sample: K[] = [];
        const rng = new SeededRandom(rdd.id, ctx.partitionId);
        let n = 0;
        return {
          // Reservoir sampling (Spark's SamplingUtils.reservoirSampleAndCount).
          sink: (pair: [K, unknown]) => {
            if (n < perPartition) sample.push(pair[0]);
            else {
              const r = Math.floor(rng.nextDouble() * (n + 1));
              if (r < perPartition) sample[r] = pair[0];
            }
            n++;
          },
          finish: () => ({ index: ctx.partitionId, n, sample }),
        };
      },
      'sortByKey sample',
    );
    const numItems = sketched.reduce((a, s) => a + s.n, 0);
    if (numItems === 0) return [];
    const fraction = Math.min(sampleSize / Math.max(numItems, 1), 1);
    const candidates: [K, number][] = [];
    const imbalanced: number[] = [];
    for (const { index, n, sample } of sketched) {
      if (fraction * n > perPartition) imbalanced.push(index);
      else {
        const weight = n / sample.length;
        for (const k of sample) candidates.push([k, weight]);
      }
    }
    if (imbalanced.length > 0) {
      const resampled = await rdd.sc.dagScheduler.runJob(
        rdd,
        (ctx) => {
          const out: K[] = [];
          const rng = new SeededRandom(-rdd.id - 1, ctx.partitionId);
          return { sink: (pair: [K, unknown]) => void (rng.nextDouble() < fraction ? out.push(pair[0]) : 0), finish: () => out };
        },
        'sortByKey resample',
        imbalanced,
      );
      const weight = 1 / fraction;
      for (const part of resampled) for (const k of part) candidates.push([k, weight]);
    }
    return determineBounds(candidates, Math.min(partitions, candidates.length), this.ordering);
  }
}

/** Spark's `RangePartitioner.determineBounds`: bounds at equal steps of cumulative weight, duplicates skipped. */
export function determineBounds<K>(candidates: [K, number][], partitions: number, ord: Ordering<K>): K[] {
  const ordered = [...candidates].sort((a, b) => ord(a[0], b[0]));
  const sumWeights = ordered.reduce((s, c) => s + c[1], 0);
  const step = sumWeights / partitions;
  let cumWeight = 0;
  let target = step;
  const bounds: K[] = [];
  let previous: { k: K } | undefined;
  for (let i = 0; i < ordered.length && bounds.length < partitions - 1; i++) {
    const [key, weight] = ordered[i];
    cumWeight += weight;
    if (cumWeight >= target && (!previous || ord(key, previous.k) > 0)) {
      bounds.push(key);
      target += step;
      previous = { k: key };
    }
  }
  return bounds;
}
