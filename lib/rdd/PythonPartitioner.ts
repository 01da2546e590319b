import { Partitioner, requirePartitionCount } from './Partitioner';
import { portableHashMod } from './PythonHash';

/**
 * PySpark's partitioner of `partitionBy(n)` and every pair operation built on it: `portable_hash(k) % n`
 * (PythonHash.ts). Spark's JVM side calls it `PythonPartitioner`.
 */
export class PythonPartitioner extends Partitioner {
  constructor(readonly numPartitions: number) {
    super();
    requirePartitionCount(numPartitions);
  }

  override getPartition(key: unknown): number {
    return this.numPartitions === 1 ? 0 : portableHashMod(key, this.numPartitions);
  }

  override equals(other: Partitioner | undefined): boolean {
    return other instanceof PythonPartitioner && other.numPartitions === this.numPartitions;
  }

  override toString(): string {
    return `PythonPartitioner(${this.numPartitions})`;
  }
}
