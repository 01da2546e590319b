import type { Time } from '../core/Time';
import type { ReceiverTrackerApi } from '../scheduler/ReceiverTrackerApi';
import type { BlockUIData } from './BatchUIData';

/**
 * What the UI reads of received blocks. lib/ reaches receivers/ only through interfaces, so the ReceiverTracker's
 * block bookkeeping (receivers/ReceiverTracker.ts) is read structurally: a tracker without these methods shows
 * no blocks.
 */
interface BlockInfoLike {
  readonly streamId: number;
  readonly numRecords: number | undefined;
  readonly blockId: { readonly name: string };
  readonly walRecordHandleOption?: unknown;
}

interface BlockTrackerLike {
  getBlocksOfBatch(time: Time): Map<number, readonly BlockInfoLike[]>;
  readonly receiverInputStreamIds?: readonly number[];
  readonly receivedBlockTracker?: { getUnallocatedBlocks(streamId: number): readonly BlockInfoLike[] };
}

function asBlockTracker(t: ReceiverTrackerApi | undefined): BlockTrackerLike | undefined {
  return t !== undefined && typeof (t as unknown as Partial<BlockTrackerLike>).getBlocksOfBatch === 'function' ? (t as unknown as BlockTrackerLike) : undefined;
}

function toBlockUIData(b: BlockInfoLike): BlockUIData {
  const h = b.walRecordHandleOption as { path?: unknown; offset?: unknown; length?: unknown } | undefined;
  const wal =
    h && typeof h.path === 'string' && typeof h.offset === 'number' && typeof h.length === 'number' ? { path: h.path, offset: h.offset, length: h.length } : undefined;
  return { blockId: b.blockId.name, streamId: b.streamId, ...(b.numRecords !== undefined ? { numRecords: b.numRecords } : {}), ...(wal ? { wal } : {}) };
}

/** The blocks allocated to batch `time`, by stream then block order. */
export function blocksOfBatch(tracker: ReceiverTrackerApi | undefined, time: Time): BlockUIData[] {
  const t = asBlockTracker(tracker);
  if (!t) return [];
  const out: BlockUIData[] = [];
  const byStream = t.getBlocksOfBatch(time);
  for (const id of [...byStream.keys()].sort((a, b) => a - b)) for (const b of byStream.get(id) ?? []) out.push(toBlockUIData(b));
  return out;
}

/** Blocks received and not yet given to a batch. */
export function unallocatedBlocks(tracker: ReceiverTrackerApi | undefined): BlockUIData[] {
  const t = asBlockTracker(tracker);
  if (!t?.receivedBlockTracker || !t.receiverInputStreamIds) return [];
  const out: BlockUIData[] = [];
  for (const id of t.receiverInputStreamIds) for (const b of t.receivedBlockTracker.getUnallocatedBlocks(id)) out.push(toBlockUIData(b));
  return out;
}
