import { ScalaCollection } from '../core/ScalaCollection';

/**
 * The values of one key after an RDD's `groupByKey`/`cogroup` (and so a DStream's `cogroup`): an ordinary array that
 * prints as Spark's `CompactBuffer(1, 2)` in `print()` and as a list in `pprint()`.
 */
export class CompactBuffer<T> extends ScalaCollection<T> {
  get stringPrefix(): string {
    return 'CompactBuffer';
  }

  static of1<T>(x: T): CompactBuffer<T> {
    const b = new CompactBuffer<T>();
    b.push(x);
    return b;
  }
}
