import { NarrowDependency, type Dependency } from './Dependency';
import type { Partition } from './Partition';
import type { Partitioner } from './Partitioner';
import { RDD } from './RDD';
import type { ComputeResult, Sink } from './Sink';
import type { TaskContext } from './TaskContext';

/**
 * Each element with its position in the whole RDD: Spark's `ZippedWithIndexRDD`. Like Spark it first counts the
 * elements of every partition but the last (one job) to learn where each partition starts; Spark runs that job
 * when `zipWithIndex` is called, here it runs when the first partition is computed, so the transformation stays lazy.
 */
export class ZippedWithIndexRDD<T> extends RDD<[T, number]> {
  private startIndices: Promise<number[]> | undefined;

  constructor(readonly parent: RDD<T>) {
    super(parent.sc, 'zipWithIndex');
  }

  override get partitioner(): Partitioner | undefined {
    return undefined;
  }

  protected getPartitions(): Partition[] {
    return this.parent.partitions;
  }

  getDependencies(): Dependency[] {
    return [new NarrowDependency(this.parent as RDD<unknown>)];
  }

  compute(split: Partition, context: TaskContext, sink: Sink<[T, number]>): ComputeResult {
    const emit = (start: number): ComputeResult => {
      let i = start;
      return this.parent.iterator(split, context, (x) => sink([x, i++]));
    };
    if (split.index === 0) return emit(0);
    if (!this.startIndices) {
      this.startIndices = this.countPartitions();
      // A failed counting job is run again by the next action.
      this.startIndices.catch(() => (this.startIndices = undefined));
    }
    return this.startIndices.then((starts) => emit(starts[split.index]));
  }

  private async countPartitions(): Promise<number[]> {
    const n = this.parent.getNumPartitions();
    const ids: number[] = [];
    for (let i = 0; i < n - 1; i++) ids.push(i);
    const counts = await this.sc.dagScheduler.runJob(
      this.parent,
      () => {
        let c = 0;
        return { sink: () => void c++, finish: () => c };
      },
      'zipWithIndex',
      ids,
    );
    const starts = [0];
    for (const c of counts) starts.push(starts[starts.length - 1] + c);
    return starts;
  }
}
