/**
 * Process-wide counters of what recovery did: blocks read back from the receiver write-ahead log (a batch whose
 * blocks the block manager no longer has, e.g. after a restart) and blocks of a batch found nowhere (no WAL, not in
 * memory: lost). The receivers count; fault experiments report the counts (observers are called synchronously, so
 * a process killed right after still wrote what it saw). Spark has no equivalent (its logs say the same at info/warn).
 */
export type RecoveryEvent =
  | { readonly kind: 'wal-read'; readonly blockId: string }
  | { readonly kind: 'blocks-missing'; readonly batchTime: number; readonly streamId: number; readonly count: number };

export type RecoveryObserver = (event: RecoveryEvent) => void;

export class RecoveryCounters {
  /** Blocks read back from the receiver WAL in this process. */
  static walBlocksRead = 0;
  /** Blocks allocated to a batch that were neither in the block manager nor in a WAL (their records are lost). */
  static blocksMissing = 0;
  private static observers: RecoveryObserver[] = [];

  /** Called by WriteAheadLogBackedBlockRDD when a partition is read from its WAL record. */
  static walBlockRead(blockId: string): void {
    RecoveryCounters.walBlocksRead++;
    RecoveryCounters.notify({ kind: 'wal-read', blockId });
  }

  /** Called by ReceiverInputDStream when `count` blocks of batch `batchTime` could not be found. */
  static blocksNotFound(batchTime: number, streamId: number, count: number): void {
    RecoveryCounters.blocksMissing += count;
    RecoveryCounters.notify({ kind: 'blocks-missing', batchTime, streamId, count });
  }

  /** Adds an observer; returns the function that removes it. */
  static observe(observer: RecoveryObserver): () => void {
    RecoveryCounters.observers.push(observer);
    return () => {
      RecoveryCounters.observers = RecoveryCounters.observers.filter((o) => o !== observer);
    };
  }

  private static notify(event: RecoveryEvent): void {
    for (const o of RecoveryCounters.observers) {
      try {
        o(event);
      } catch {
        // An observer (a report journal) must never fail the batch that is being recovered.
      }
    }
  }
}
