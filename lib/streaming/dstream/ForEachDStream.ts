import type { Duration } from '../../core/Duration';
import type { Time } from '../../core/Time';
import type { RDD } from '../../rdd/RDD';
import { Job } from '../../scheduler/Job';
import { DStream } from './DStream';

/**
 * An output operation: Spark's `ForEachDStream`. Its job calls `foreachFunc(rdd, time)` (awaited when async) for
 * every batch where the parent has an RDD. Registers itself as an output stream of the graph.
 */
export class ForEachDStream<T> extends DStream<void> {
  constructor(
    readonly parent: DStream<T>,
    private readonly foreachFunc: (rdd: RDD<T>, time: Time) => void | Promise<void>,
    creationSite: string,
  ) {
    super(parent.ssc, creationSite);
    this.ssc.graph.addOutputStream(this as ForEachDStream<unknown>);
  }

  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }

  get dependencies(): readonly DStream<unknown>[] {
    return [this.parent as DStream<unknown>];
  }

  compute(): undefined {
    return undefined;
  }

  override generateJob(time: Time): Job | undefined {
    const rdd = this.parent.getOrCompute(time);
    if (!rdd) return undefined;
    const job = new Job(time, () => this.foreachFunc(rdd, time));
    job.callSite = this.creationSite;
    return job;
  }
}
