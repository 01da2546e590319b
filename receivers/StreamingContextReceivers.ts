/**
 * The receiver streams of {@link StreamingContext} (Spark's `receiverStream`, `socketTextStream`, `socketStream`,
 * `rawSocketStream`, plus `webSocketTextStream`), added to the class here, and the ReceiverTracker factory the
 * scheduler uses. Importing the package entry (or receivers/index.ts) installs them.
 */
import { metadataLogProbes } from '../lib/checkpoint/MetadataLogProbe';
import { StorageLevel } from '../lib/storage/StorageLevel';
import { StreamingContext } from '../lib/streaming/StreamingContext';
import { PluggableInputDStream } from './PluggableInputDStream';
import type { Receiver } from './Receiver';
import type { ReceiverInputDStream } from './ReceiverInputDStream';
import { ReceivedBlockTracker } from './ReceivedBlockTracker';
import { ReceiverTracker } from './ReceiverTracker';
import { RawInputDStream } from './socket/RawInputDStream';
import { SocketInputDStream } from './socket/SocketInputDStream';
import type { SocketConverter } from './socket/SocketReceiver';
import type { BinaryMessageConverter } from './websocket/WebSocketReceiver';
import { WebSocketInputDStream } from './websocket/WebSocketInputDStream';

/** Options of {@link StreamingContext.webSocketTextStream}. */
export interface WebSocketTextStreamOptions {
  /** Default `MEMORY_AND_DISK_SER_2`, as the socket streams. */
  readonly storageLevel?: StorageLevel;
  /** Turns binary messages into records (default: decode them as UTF-8 text). */
  readonly binaryConverter?: BinaryMessageConverter;
}

declare module '../lib/streaming/StreamingContext' {
  interface StreamingContext {
    /** Spark's `receiverStream(receiver)`: a stream fed by a user-defined {@link Receiver}. */
    receiverStream<T>(receiver: Receiver<T>): ReceiverInputDStream<T>;
    /**
     * Spark's `socketTextStream(hostname, port, storageLevel = MEMORY_AND_DISK_SER_2)`: the UTF-8 lines a TCP
     * server sends (lines end at `\n`, `\r\n` or `\r`).
     */
    socketTextStream(hostname: string, port: number, storageLevel?: StorageLevel): ReceiverInputDStream<string>;
    /** Spark's `socketStream(hostname, port, converter, storageLevel)`: records the converter makes of the connection. */
    socketStream<T>(hostname: string, port: number, converter: SocketConverter<T>, storageLevel: StorageLevel): ReceiverInputDStream<T>;
    /**
     * Spark's `rawSocketStream(hostname, port, storageLevel = MEMORY_AND_DISK_SER_2)`: length-prefixed frames, each a
     * serialized block (BlockSerializer format), stored as they come.
     */
    rawSocketStream<T>(hostname: string, port: number, storageLevel?: StorageLevel): ReceiverInputDStream<T>;
    /** One record per text message of a WebSocket server (reconnects like the socket streams). */
    webSocketTextStream(url: string, options?: WebSocketTextStreamOptions): ReceiverInputDStream<string>;
  }
}

StreamingContext.prototype.receiverStream = function <T>(this: StreamingContext, receiver: Receiver<T>): ReceiverInputDStream<T> {
  return new PluggableInputDStream(this, receiver);
};

StreamingContext.prototype.socketTextStream = function (
  this: StreamingContext,
  hostname: string,
  port: number,
  storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER_2,
): ReceiverInputDStream<string> {
  return new SocketInputDStream<string>(this, hostname, port, undefined, storageLevel, 'socketTextStream');
};

StreamingContext.prototype.socketStream = function <T>(
  this: StreamingContext,
  hostname: string,
  port: number,
  converter: SocketConverter<T>,
  storageLevel: StorageLevel,
): ReceiverInputDStream<T> {
  return new SocketInputDStream<T>(this, hostname, port, converter, storageLevel, 'socketStream');
};

StreamingContext.prototype.rawSocketStream = function <T>(
  this: StreamingContext,
  hostname: string,
  port: number,
  storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER_2,
): ReceiverInputDStream<T> {
  return new RawInputDStream<T>(this, hostname, port, storageLevel);
};

StreamingContext.prototype.webSocketTextStream = function (
  this: StreamingContext,
  url: string,
  options: WebSocketTextStreamOptions = {},
): ReceiverInputDStream<string> {
  return new WebSocketInputDStream(this, url, options.storageLevel ?? StorageLevel.MEMORY_AND_DISK_SER_2, options.binaryConverter);
};

StreamingContext.receiverTrackerFactory = (ssc) => new ReceiverTracker(ssc);

// Recovery picks a checkpoint file the metadata log can serve; this reads the log as the tracker will.
metadataLogProbes.open = (ssc, checkpointDir) => {
  const tracker = new ReceivedBlockTracker(ssc.conf, [], ssc.clock, true, checkpointDir);
  return {
    lostBatches: (rerunTimesMs, inputFromMs) => tracker.lostBatches(rerunTimesMs, inputFromMs),
    close: () => void tracker.stop(),
  };
};
