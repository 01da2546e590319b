import type { RDD } from '../../rdd/RDD';
import type { StreamingContext } from '../StreamingContext';
import { InputDStream } from './InputDStream';

/** The same RDD every batch: Spark's `ConstantInputDStream`. */
export class ConstantInputDStream<T> extends InputDStream<T> {
  constructor(ssc: StreamingContext, private readonly rdd: RDD<T>) {
    super(ssc, 'constantStream');
    if (rdd == null) throw new Error('requirement failed: parameter rdd null is illegal, which will lead to NPE in the following transformation');
  }
  start(): void {}
  stop(): void {}
  compute(): RDD<T> {
    return this.rdd;
  }
}
