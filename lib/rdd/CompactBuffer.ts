/**
 * The values of one key after `groupByKey`/`cogroup`: an ordinary array that prints as Spark's
 * `CompactBuffer(1, 2)`, so ported programs show the same text.
 */
export class CompactBuffer<T> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  static of1<T>(x: T): CompactBuffer<T> {
    const b = new CompactBuffer<T>();
    b.push(x);
    return b;
  }
}
