import { Deferred } from '../lib/core/Deferred';
import { errorMessage } from '../lib/core/errors';
import { getLogger } from '../lib/core/logging';
import type { SparkConf } from '../lib/core/SparkConf';
import { StreamingConf } from '../lib/core/StreamingConf';
import type { StreamBlockId } from '../lib/storage/BlockId';
import type { StreamId } from '../lib/storage/StreamId';
import type { BlockGenerator, BlockGeneratorListener } from './BlockGenerator';
import type { Receiver, StoreWait } from './Receiver';
import { concatStringsRuns, forEachString, type StringsRun } from './StringsBlock';

const log = getLogger('ReceiverSupervisor');

/** Spark's `ReceiverState`. */
export type ReceiverState = 'Initialized' | 'Started' | 'Stopped';

/**
 * Runs one receiver and hands its data on: Spark's abstract `ReceiverSupervisor` (`receiver/ReceiverSupervisor.scala`).
 * Owns the receiver's life cycle (Initialized → Started → Stopped, and restarts) and serializes it, as Spark's
 * `synchronized` methods: a start, a stop and a restart never interleave. {@link ReceiverSupervisorImpl} adds the
 * block machinery and the driver messages.
 */
export abstract class ReceiverSupervisor {
  readonly streamId: StreamId;
  protected receiverState: ReceiverState = 'Initialized';
  protected readonly defaultRestartDelay: number;
  private stoppingError: unknown;
  private stopping: Promise<void> | undefined;
  private readonly termination = new Deferred<void>();
  private lifecycle: Promise<void> = Promise.resolve();
  private restartPending = false;
  private readonly restartTimers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(
    readonly receiver: Receiver<unknown>,
    readonly conf: SparkConf,
  ) {
    receiver.attachSupervisor(this);
    this.streamId = receiver.streamId;
    this.defaultRestartDelay = StreamingConf.RECEIVER_RESTART_DELAY.read(conf);
  }

  /** One record into the current block (Spark's `pushSingle`). */
  abstract pushSingle(data: unknown): StoreWait;
  /** Many single records, in order (dstreams' bulk `pushSingle`). */
  abstract pushMultipleSingles(data: readonly unknown[]): StoreWait;
  /**
   * String records already serialized (one run per network chunk), buffered like single records: the text
   * receivers' fast path. By default they are decoded and pushed as single records.
   */
  pushSerializedStrings(run: StringsRun): StoreWait {
    const records: unknown[] = [];
    forEachString(concatRun(run), (s) => void records.push(s));
    return this.pushMultipleSingles(records);
  }
  /** Serialized records as one block (Spark's `pushBytes`). */
  abstract pushBytes(bytes: Buffer, metadata?: unknown, blockId?: StreamBlockId): Promise<void>;
  /** An iterator's records as one block (Spark's `pushIterator`). */
  abstract pushIterator(iterator: Iterator<unknown>, metadata?: unknown, blockId?: StreamBlockId): Promise<void>;
  /** An array's records as one block (Spark's `pushArrayBuffer`). */
  abstract pushArrayBuffer(arrayBuffer: readonly unknown[], metadata?: unknown, blockId?: StreamBlockId): Promise<void>;
  /** A new block generator whose blocks this supervisor stores (Spark's `createBlockGenerator`). */
  abstract createBlockGenerator(listener: BlockGeneratorListener): BlockGenerator;
  /** Reports an error to the driver; receiving goes on. */
  abstract reportError(message: string, throwable: unknown): void;

  /** The metadata of the last block stored for this stream, here or before a restart (see Receiver.lastStoredMetadata). */
  abstract lastStoredMetadata(): unknown;

  /** Called once when the supervisor starts (before the receiver). */
  protected onStart(): void {}
  /** Called once when the supervisor stops (after the receiver). */
  protected async onStop(_message: string, _error: unknown): Promise<void> {}
  /** Asks the driver to register the receiver; false means refused. */
  protected abstract onReceiverStart(): boolean;
  /** Tells the driver the receiver stopped. */
  protected onReceiverStop(_message: string, _error: unknown): void {}

  /** Starts the supervisor, then the receiver. */
  async start(): Promise<void> {
    this.onStart();
    await this.startReceiver();
  }

  /** Stops the receiver and the supervisor; resolves when both are stopped. Idempotent. */
  stop(message: string, error?: unknown): Promise<void> {
    this.stopping ??= this.doStop(message, error);
    return this.stopping;
  }

  private async doStop(message: string, error: unknown): Promise<void> {
    this.stoppingError = error;
    for (const r of this.restartTimers) {
      clearTimeout(r.timer);
      r.wake();
    }
    this.restartTimers.clear();
    await this.stopReceiver(message, error);
    try {
      await this.onStop(message, error);
    } catch (e) {
      log.error({ err: e, streamId: this.streamId }, 'Error stopping the supervisor');
    }
    if (error !== undefined) this.termination.reject(error);
    else this.termination.resolve();
  }

  /** Registers with the driver and calls the receiver's onStart; a refusal or an error stops the supervisor. */
  startReceiver(): Promise<void> {
    return this.serialized(async () => {
      if (this.stopping) return;
      try {
        if (this.onReceiverStart()) {
          log.info({ streamId: this.streamId }, `Starting receiver ${this.streamId}`);
          this.receiverState = 'Started';
          await this.receiver.onStart();
          log.info({ streamId: this.streamId }, `Called receiver ${this.streamId} onStart`);
        } else {
          void this.stop(`Registered unsuccessfully because Driver refused to start receiver ${this.streamId}`);
        }
      } catch (t) {
        void this.stop(`Error starting receiver ${this.streamId}`, t);
      }
    });
  }

  /** Calls the receiver's onStop and deregisters it (if it was started). */
  stopReceiver(message: string, error?: unknown): Promise<void> {
    return this.serialized(async () => {
      try {
        log.info({ streamId: this.streamId }, `Stopping receiver with message: ${message}: ${error === undefined ? '' : errorMessage(error)}`);
        switch (this.receiverState) {
          case 'Initialized':
            log.warn({ streamId: this.streamId }, 'Skip stopping receiver because it has not yet stared');
            break;
          case 'Started':
            this.receiverState = 'Stopped';
            await this.receiver.onStop();
            log.info({ streamId: this.streamId }, 'Called receiver onStop');
            this.onReceiverStop(message, error);
            break;
          case 'Stopped':
            log.warn({ streamId: this.streamId }, 'Receiver has been stopped');
            break;
        }
      } catch (t) {
        log.error({ err: t, streamId: this.streamId }, `Error stopping receiver ${this.streamId}`);
      }
    });
  }

  /**
   * Spark's `restartReceiver`: in the background, stop the receiver, wait `delay` ms (wall time), start it again.
   * A restart asked for while one is pending, or after stop, is ignored.
   */
  restartReceiver(message: string, error?: unknown, delay: number = this.defaultRestartDelay): void {
    if (this.stopping || this.restartPending) {
      log.debug({ streamId: this.streamId, message }, 'Restart ignored: the receiver is already restarting or stopping');
      return;
    }
    this.restartPending = true;
    void (async () => {
      log.warn({ err: error, streamId: this.streamId }, `Restarting receiver with delay ${delay} ms: ${message}`);
      await this.stopReceiver(`Restarting receiver with delay ${delay}ms: ${message}`, error);
      await this.sleep(delay);
      this.restartPending = false;
      if (this.stopping) return;
      log.info({ streamId: this.streamId }, 'Starting receiver again');
      await this.startReceiver();
      log.info({ streamId: this.streamId }, 'Receiver started again');
    })();
  }

  isReceiverStarted(): boolean {
    return this.receiverState === 'Started';
  }

  isReceiverStopped(): boolean {
    return this.receiverState === 'Stopped';
  }

  /** Whether {@link stop} was called. */
  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Resolves when the supervisor has stopped; rejects with the error it was stopped with (Spark's `awaitTermination`). */
  awaitTermination(): Promise<void> {
    return this.termination.promise;
  }

  /** The error the supervisor stopped with, if any. */
  get stopError(): unknown {
    return this.stoppingError;
  }

  private serialized(fn: () => Promise<void>): Promise<void> {
    const run = this.lifecycle.then(fn);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.restartTimers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.restartTimers.add(entry);
    });
  }
}

function concatRun(run: StringsRun): Buffer {
  return concatStringsRuns([run]);
}
