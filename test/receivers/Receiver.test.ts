/** Spark's ReceiverSuite "receiver life cycle": a receiver's calls reach its supervisor; restart and stop. */
import { SparkConf, StreamBlockId, StreamId } from '../../lib';
import { BlockGenerator, type BlockGeneratorListener, Receiver, ReceiverSupervisor, type StoreWait } from '../../receivers';
import { RecordingReceiver } from './fixtures/TestReceivers';
import { waitFor } from './helpers';

/** Spark's FakeReceiverSupervisor: records what the receiver hands over. */
class FakeReceiverSupervisor extends ReceiverSupervisor {
  readonly singles: unknown[] = [];
  readonly byteBuffers: Buffer[] = [];
  readonly iterators: Iterator<unknown>[] = [];
  readonly arrayBuffers: (readonly unknown[])[] = [];
  readonly errors: unknown[] = [];
  readonly calls: string[] = [];
  readonly timestamps: number[] = [];

  pushSingle(data: unknown): StoreWait {
    this.singles.push(data);
    return undefined;
  }
  pushMultipleSingles(data: readonly unknown[]): StoreWait {
    this.singles.push(...data);
    return undefined;
  }
  pushBytes(bytes: Buffer): Promise<void> {
    this.byteBuffers.push(bytes);
    return Promise.resolve();
  }
  pushIterator(iterator: Iterator<unknown>): Promise<void> {
    this.iterators.push(iterator);
    return Promise.resolve();
  }
  pushArrayBuffer(arrayBuffer: readonly unknown[]): Promise<void> {
    this.arrayBuffers.push(arrayBuffer);
    return Promise.resolve();
  }
  createBlockGenerator(listener: BlockGeneratorListener): BlockGenerator {
    return new BlockGenerator(listener, this.streamId, this.conf);
  }
  lastStoredMetadata(): unknown {
    return this.arrayBuffers.length;
  }
  reportError(_message: string, throwable: unknown): void {
    this.errors.push(throwable);
  }
  protected onReceiverStart(): boolean {
    this.calls.push('onReceiverStart');
    this.timestamps.push(Date.now());
    return true;
  }
  protected override onReceiverStop(): void {
    this.calls.push('onReceiverStop');
    this.timestamps.push(Date.now());
  }
  reset(): void {
    this.calls.length = 0;
    this.timestamps.length = 0;
  }
}

describe('Receiver', () => {
  test('receiver life cycle', async () => {
    const receiver = new RecordingReceiver<number>();
    receiver.setReceiverId(StreamId(0));
    const executor = new FakeReceiverSupervisor(receiver as Receiver<unknown>, new SparkConf(false));
    let terminated = false;
    void executor.awaitTermination().then(() => (terminated = true));
    await executor.start();
    expect(receiver.calls).toEqual(['onStart']);
    expect(executor.isReceiverStarted()).toBe(true);
    expect(receiver.isStarted()).toBe(true);
    expect(receiver.isStopped()).toBe(false);
    expect(terminated).toBe(false);

    // Stored data goes to the supervisor, each form to its push method.
    const bytes = Buffer.alloc(100);
    const array: number[] = [];
    const iter = array[Symbol.iterator]();
    expect(receiver.store(1)).toBeUndefined();
    await receiver.store(bytes);
    await receiver.store(array);
    await receiver.store(iter);
    receiver.storeSingle(2);
    receiver.storeSingles([3, 4]);
    expect(executor.singles).toEqual([1, 2, 3, 4]);
    expect(executor.byteBuffers).toHaveLength(1);
    expect(executor.byteBuffers[0]).toBe(bytes);
    expect(executor.iterators).toHaveLength(1);
    expect(executor.iterators[0]).toBe(iter);
    expect(executor.arrayBuffers).toHaveLength(1);
    expect(executor.arrayBuffers[0]).toBe(array);

    const exception = new Error('boom');
    receiver.reportError('Error', exception);
    expect(executor.errors).toEqual([exception]);

    // Restarting stops, waits the delay, and starts again.
    receiver.reset();
    executor.reset();
    receiver.restart('restarting', undefined, 100);
    await waitFor(() => receiver.calls.length === 2 && executor.calls.length === 2, 'the restart');
    expect(receiver.isStarted()).toBe(true);
    expect(receiver.isStopped()).toBe(false);
    expect(executor.calls).toEqual(['onReceiverStop', 'onReceiverStart']);
    expect(receiver.calls).toEqual(['onStop', 'onStart']);
    expect(executor.timestamps[1] - executor.timestamps[0]).toBeGreaterThanOrEqual(100);
    expect(receiver.timestamps[1] - receiver.timestamps[0]).toBeGreaterThanOrEqual(100);

    // Stopping stops everything; awaitTermination resolves.
    receiver.stop('test');
    await executor.awaitTermination();
    expect(receiver.isStopped()).toBe(true);
    expect(terminated).toBe(true);
    expect(receiver.calls).toEqual(['onStop', 'onStart', 'onStop']);
  });

  test('a restart asked for while one is pending is ignored; stop cancels a pending restart', async () => {
    const receiver = new RecordingReceiver();
    const executor = new FakeReceiverSupervisor(receiver, new SparkConf(false));
    await executor.start();
    receiver.restart('first', undefined, 50);
    receiver.restart('second', undefined, 50);
    await waitFor(() => receiver.calls.length === 3, 'one restart');
    await new Promise((r) => setTimeout(r, 80));
    expect(receiver.calls).toEqual(['onStart', 'onStop', 'onStart']);
    receiver.restart('third', undefined, 10_000);
    await waitFor(() => receiver.calls.length === 4, 'the stop of the restart');
    const t0 = Date.now();
    await executor.stop('done');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(receiver.calls).toEqual(['onStart', 'onStop', 'onStart', 'onStop']);
  });

  test('an error thrown by onStart stops the supervisor with "Error starting receiver <id>"', async () => {
    const receiver = new RecordingReceiver();
    receiver.setReceiverId(StreamId(4));
    receiver.onStartBehaviour = ['throw'];
    const executor = new FakeReceiverSupervisor(receiver, new SparkConf(false));
    await executor.start();
    await expect(executor.awaitTermination()).rejects.toThrow('onStart failure 0');
    expect(receiver.isStopped()).toBe(true);
    expect(executor.calls).toEqual(['onReceiverStart', 'onReceiverStop']);
  });

  test("using store before a supervisor is attached is Spark's assertion", () => {
    const receiver = new RecordingReceiver();
    expect(receiver.streamId).toBe(-1);
    expect(() => receiver.store(1)).toThrow(/A ReceiverSupervisor has not been attached to the receiver yet/);
  });

  test('store dispatches on the value: arrays, Buffers and iterators are blocks; storeSingle never is', async () => {
    const receiver = new RecordingReceiver<unknown>();
    const executor = new FakeReceiverSupervisor(receiver, new SparkConf(false));
    receiver.storeSingle([1, 2]);
    receiver.storeSingle(Buffer.from('x'));
    receiver.store(new Set([1]));
    receiver.store('text');
    expect(executor.singles).toEqual([[1, 2], Buffer.from('x'), new Set([1]), 'text']);
    function* gen(): Generator<number> {
      yield 1;
    }
    await receiver.store(gen() as unknown as Iterator<unknown>);
    expect(executor.iterators).toHaveLength(1);
    expect(new StreamBlockId(StreamId(1), 2).name).toBe('input-1-2');
  });
});
