import { keyHash, nonNegativeMod } from './KeyHash';

/** Maps a key to a partition: Spark's `Partitioner`. */
export abstract class Partitioner {
  abstract readonly numPartitions: number;
  abstract getPartition(key: unknown): number;
  abstract equals(other: Partitioner | undefined): boolean;

  /**
   * Work to do before the first key is assigned, run by the shuffle just before its map side (RangePartitioner
   * samples the keys there). Nothing by default.
   */
  prepare(): void | Promise<void> {}
}

/** Spark's check of a hash partitioner's count: a whole number, not negative. */
export function requirePartitionCount(numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 0) {
    throw new RangeError(`Number of partitions (${numPartitions}) cannot be negative.`);
  }
}

/** Spark's `HashPartitioner`: `nonNegativeMod(key.hashCode, n)`, `null` to partition 0. */
export class HashPartitioner extends Partitioner {
  constructor(readonly numPartitions: number) {
    super();
    requirePartitionCount(numPartitions);
  }

  override getPartition(key: unknown): number {
    if (key === null || key === undefined) return 0;
    return nonNegativeMod(keyHash(key), this.numPartitions);
  }

  override equals(other: Partitioner | undefined): boolean {
    return other instanceof HashPartitioner && other.numPartitions === this.numPartitions;
  }

  override toString(): string {
    return `HashPartitioner(${this.numPartitions})`;
  }
}
