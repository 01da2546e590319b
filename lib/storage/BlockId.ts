import { StreamId } from './StreamId';

/** Identifies a block in the block manager: Spark's `BlockId`. The name is the block's identity. */
export abstract class BlockId {
  abstract readonly name: string;
  toString(): string {
    return this.name;
  }
  equals(that: BlockId): boolean {
    return this.name === that.name;
  }

  /** Parses `input-<streamId>-<uniqueId>` and `rdd_<rddId>_<split>` (Spark's `BlockId.apply`). */
  static parse(name: string): BlockId {
    let m = /^input-([0-9]+)-([0-9]+)$/.exec(name);
    if (m) return new StreamBlockId(StreamId(Number(m[1])), Number(m[2]));
    m = /^rdd_([0-9]+)_([0-9]+)$/.exec(name);
    if (m) return new RDDBlockId(Number(m[1]), Number(m[2]));
    throw new Error(`Unrecognized BlockId: ${name}`);
  }
}

/** A block of received data: `input-<streamId>-<uniqueId>`. */
export class StreamBlockId extends BlockId {
  readonly name: string;
  constructor(readonly streamId: StreamId, readonly uniqueId: number) {
    super();
    this.name = `input-${streamId}-${uniqueId}`;
  }
}

/** A persisted RDD partition: `rdd_<rddId>_<splitIndex>`. */
export class RDDBlockId extends BlockId {
  readonly name: string;
  constructor(readonly rddId: number, readonly splitIndex: number) {
    super();
    this.name = `rdd_${rddId}_${splitIndex}`;
  }
}
