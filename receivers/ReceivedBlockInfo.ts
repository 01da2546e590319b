import { IllegalArgumentException, requireThat } from '../lib/core/errors';
import { BlockId, StreamBlockId } from '../lib/storage/BlockId';
import { StreamId } from '../lib/storage/StreamId';
import type { ReceivedBlockStoreResult, WriteAheadLogBasedStoreResult } from '../wal/ReceivedBlockHandler';
import type { WriteAheadLogRecordHandle } from '../wal/WriteAheadLog';

/** The JSON form of a {@link ReceivedBlockInfo} in the driver's metadata log. */
export interface ReceivedBlockInfoJson {
  readonly streamId: number;
  readonly numRecords?: number;
  readonly metadata?: unknown;
  readonly blockId: string;
  readonly storeNumRecords?: number;
  readonly walRecordHandle?: WriteAheadLogRecordHandle;
}

/**
 * What the driver knows about one stored block: Spark's `ReceivedBlockInfo(streamId, numRecords, metadataOption,
 * blockStoreResult)`. The block id is "valid" while the block manager may still hold the block; blocks recovered
 * from the metadata log after a restart are marked invalid, so they are read from the receiver WAL.
 */
export class ReceivedBlockInfo {
  private blockIdValid = true;

  constructor(
    readonly streamId: StreamId,
    readonly numRecords: number | undefined,
    readonly metadataOption: unknown,
    readonly blockStoreResult: ReceivedBlockStoreResult,
  ) {
    requireThat(numRecords === undefined || numRecords >= 0, `numRecords must not be negative (stream ${streamId})`);
  }

  get blockId(): StreamBlockId {
    return this.blockStoreResult.blockId;
  }

  /** The block's WAL record handle, when it was stored through the receiver WAL. */
  get walRecordHandleOption(): WriteAheadLogRecordHandle | undefined {
    return (this.blockStoreResult as Partial<WriteAheadLogBasedStoreResult>).walRecordHandle;
  }

  isBlockIdValid(): boolean {
    return this.blockIdValid;
  }

  setBlockIdInvalid(): void {
    this.blockIdValid = false;
  }

  toJSON(): ReceivedBlockInfoJson {
    return {
      streamId: this.streamId,
      numRecords: this.numRecords,
      metadata: this.metadataOption,
      blockId: this.blockId.name,
      storeNumRecords: this.blockStoreResult.numRecords,
      walRecordHandle: this.walRecordHandleOption,
    };
  }

  static fromJSON(o: ReceivedBlockInfoJson): ReceivedBlockInfo {
    const id = BlockId.parse(String(o?.blockId));
    if (!(id instanceof StreamBlockId)) throw new IllegalArgumentException(`Not a received block id: ${o.blockId}`);
    const store: ReceivedBlockStoreResult =
      o.walRecordHandle !== undefined
        ? ({ blockId: id, numRecords: o.storeNumRecords, walRecordHandle: o.walRecordHandle } as WriteAheadLogBasedStoreResult)
        : { blockId: id, numRecords: o.storeNumRecords };
    return new ReceivedBlockInfo(StreamId(o.streamId), o.numRecords, o.metadata, store);
  }

  toString(): string {
    return `ReceivedBlockInfo(${this.streamId},${this.numRecords ?? 'None'},${this.blockId.name})`;
  }
}
