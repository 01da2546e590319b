import type { OffsetRangeTuple } from './OffsetRange';

/**
 * The metadata the {@link ReliableKafkaReceiver} stores with each block (`store(records, metadata)`); it goes to the
 * driver's metadata log and the checkpoint, so it is plain JSON. Not in Spark (its receiver stored blocks without
 * metadata and relied on the ZooKeeper commit alone).
 *
 * `nextOffsets` is cumulative: the next offset to read of EVERY partition the stream has stored so far, this block
 * included, so the last stored block alone (`Receiver.lastStoredMetadata()`) says where each partition resumes.
 * Stores are serialized, so a block's `nextOffsets` never names records of a block that is not stored.
 */
export interface KafkaBlockMetadata {
  readonly groupId: string;
  /** This block's records, per partition: `[topic, partition, fromOffset, untilOffset)`. */
  readonly offsetRanges: readonly OffsetRangeTuple[];
  /** `topic-partition` → the next offset to read, for every partition stored so far. */
  readonly nextOffsets: Readonly<Record<string, number>>;
}

/** The `nextOffsets` of a block's metadata as a map; empty for anything else (no block stored, other receivers). */
export function nextOffsetsOf(metadata: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const next = (metadata as Partial<KafkaBlockMetadata> | undefined)?.nextOffsets;
  if (next === null || typeof next !== 'object') return out;
  for (const [key, offset] of Object.entries(next)) if (Number.isSafeInteger(offset) && offset >= 0) out.set(key, offset);
  return out;
}

/** Merges `from` into `into`, keeping the larger offset of each partition. */
export function mergeMaxOffsets(into: Map<string, number>, from: ReadonlyMap<string, number>): Map<string, number> {
  for (const [key, offset] of from) {
    const cur = into.get(key);
    if (cur === undefined || offset > cur) into.set(key, offset);
  }
  return into;
}
