/** One slice of an RDD: Spark's `Partition`. */
export interface Partition {
  readonly index: number;
}

/** A partition that is nothing but its index. */
export class IndexPartition implements Partition {
  constructor(readonly index: number) {}
}
