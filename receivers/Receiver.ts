import { IllegalStateException } from '../lib/core/errors';
import type { StorageLevel } from '../lib/storage/StorageLevel';
import type { StreamId } from '../lib/storage/StreamId';
import type { ReceiverSupervisor } from './ReceiverSupervisor';

/**
 * What a single-record store returns: `undefined` when the receiver may go on at once, or a promise to wait for
 * before storing more (the rate limit was reached or the block queue is full). Spark blocks the receiving thread in
 * these cases; a Node receiver pauses its source until the promise resolves.
 */
export type StoreWait = Promise<void> | undefined;

function isIterator(x: unknown): x is Iterator<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Iterator<unknown>).next === 'function';
}

/**
 * A source of live data: Spark's `Receiver[T]` (`receiver/Receiver.scala`, a DeveloperApi). Implement
 * {@link onStart} (set up the connection and start receiving; do not block) and {@link onStop} (release what onStart
 * set up). Hand data to Spark-style storage with the `store` forms:
 *
 * - `store(record)` (or {@link storeSingle}, or {@link storeSingles} for many at once): buffered, rate-limited and
 *   cut into blocks every block interval. Not reliable: buffered records are lost if the process dies.
 * - `store(records[])`, `store(iterator)`, `store(bytes)` (each with optional metadata): one block, stored (and
 *   written to the receiver WAL when `spark.streaming.receiver.writeAheadLog.enable` is on) and recorded by the
 *   driver before the returned promise resolves. Acknowledge the source only then: that makes a reliable receiver.
 *
 * `store` dispatches on the value at run time: an array is a multi-record block, a Buffer is a serialized block
 * (BlockSerializer format), an object with `next()` is an iterator; anything else is one record. A receiver whose
 * single records are arrays or Buffers calls {@link storeSingle} instead.
 *
 * On errors: {@link restart} (reconnect after a delay), {@link stop} (the ReceiverTracker launches the receiver again
 * later unless the context is stopping) or {@link reportError} (keep going).
 */
export abstract class Receiver<T> {
  private id = -1 as StreamId;
  private supervisorRef: ReceiverSupervisor | undefined;

  constructor(readonly storageLevel: StorageLevel) {}

  /** Starts receiving: open connections, start reading. Called when the receiver starts and on every restart. */
  abstract onStart(): void | Promise<void>;

  /** Stops receiving: close what onStart opened. Called on stop and before every restart. */
  abstract onStop(): void | Promise<void>;

  /** Spark's `preferredLocation` (a host name); one process runs every receiver, so only informative. */
  preferredLocation(): string | undefined {
    return undefined;
  }

  /** The id of the receiver's input stream (set by the ReceiverTracker before start; -1 before). */
  get streamId(): StreamId {
    return this.id;
  }

  /** Spark's `store(dataBuffer[, metadata])`: one block, resolved once stored and recorded. */
  store(dataBuffer: readonly T[], metadata?: unknown): Promise<void>;
  /** Spark's `store(bytes[, metadata])`: records already serialized in BlockSerializer's format, as one block. */
  store(bytes: Buffer, metadata?: unknown): Promise<void>;
  /** Spark's `store(dataIterator[, metadata])`: the iterator's records as one block. */
  store(dataIterator: Iterator<T>, metadata?: unknown): Promise<void>;
  /** Spark's `store(dataItem)`: one record into the current block. */
  store(dataItem: T): StoreWait;
  store(x: unknown, metadata?: unknown): Promise<void> | StoreWait {
    if (Array.isArray(x)) return this.supervisor.pushArrayBuffer(x, metadata);
    if (Buffer.isBuffer(x)) return this.supervisor.pushBytes(x, metadata);
    if (isIterator(x)) return this.supervisor.pushIterator(x, metadata);
    return this.supervisor.pushSingle(x);
  }

  /** `store(dataItem)` without the run-time dispatch (for records that are arrays or Buffers). */
  storeSingle(dataItem: T): StoreWait {
    return this.supervisor.pushSingle(dataItem);
  }

  /**
   * Many single records at once, in order, exactly as if each went through `store(dataItem)` (buffered,
   * rate-limited, not reliable). The fast path of the built-in receivers: one call per network chunk.
   */
  storeSingles(dataItems: readonly T[]): StoreWait {
    return this.supervisor.pushMultipleSingles(dataItems);
  }

  /** Spark's `reportError`: the driver posts a receiver error event; the receiver keeps running. */
  reportError(message: string, throwable?: unknown): void {
    this.supervisor.reportError(message, throwable);
  }

  /**
   * Spark's `restart(message[, error[, millisecond]])`: asynchronously stops the receiver (onStop), waits the delay
   * (default `spark.streaming.receiverRestartDelay`) and starts it again (onStart). Returns at once; a restart
   * asked for while one is pending is ignored.
   */
  restart(message: string, error?: unknown, millisecond?: number): void {
    this.supervisor.restartReceiver(message, error, millisecond);
  }

  /**
   * The metadata given to the last block this stream stored with `store(records, metadata)`, in this run or in the
   * run before a crash (from the metadata log, or the checkpoint). Not in Spark: a reliable receiver whose source
   * can replay (a socket source with offsets, Kafka) resumes after it in `onStart`, so a block that was stored but
   * not yet acknowledged to the source is not received twice: exactly-once instead of at-least-once.
   */
  lastStoredMetadata(): unknown {
    return this.supervisor.lastStoredMetadata();
  }

  /** Spark's `stop(message[, error])`: stops the receiver and its supervisor (returns at once). */
  stop(message: string, error?: unknown): void {
    void this.supervisor.stop(message, error);
  }

  /** Whether the receiver has started (and not stopped). */
  isStarted(): boolean {
    return this.supervisor.isReceiverStarted();
  }

  /** Whether the receiver has stopped (by stop or while restarting). */
  isStopped(): boolean {
    return this.supervisor.isReceiverStopped();
  }

  // ---- used by the machinery

  /** Spark's `setReceiverId` (the ReceiverTracker sets the input stream's id). */
  setReceiverId(id: StreamId): void {
    this.id = id;
  }

  /** Spark's `attachSupervisor`; a receiver gets a new supervisor each time it is launched. */
  attachSupervisor(supervisor: ReceiverSupervisor): void {
    this.supervisorRef = supervisor;
  }

  /** The attached supervisor; Spark's assertion when there is none. */
  get supervisor(): ReceiverSupervisor {
    if (this.supervisorRef === undefined) {
      throw new IllegalStateException(
        'assertion failed: A ReceiverSupervisor has not been attached to the receiver yet. Maybe you are starting some computation in the receiver before the Receiver.onStart() has been called.',
      );
    }
    return this.supervisorRef;
  }
}
