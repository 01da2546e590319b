/**
 * Receivers and the block pipeline. Importing this module adds the receiver streams to StreamingContext
 * (`socketTextStream`, `receiverStream`, ...) and installs the ReceiverTracker.
 */
import './StreamingContextReceivers';

export { Receiver, type StoreWait } from './Receiver';
export { ReceiverSupervisor, type ReceiverState } from './ReceiverSupervisor';
export { ReceiverSupervisorImpl, RECEIVER_WAL_WITHOUT_CHECKPOINT, type ReceiverSupervisorEnv } from './ReceiverSupervisorImpl';
export type { ReceiverTrackerEndpoint } from './ReceiverTrackerEndpoint';
export { BlockGenerator, type BlockGeneratorListener, type BlockGeneratorOptions, type GeneratorState } from './BlockGenerator';
export { RateLimiter, receiverMaxRate } from './rate/RateLimiter';
export { TokenBucket, UNLIMITED_RATE } from './rate/TokenBucket';
export { RateController } from './rate/RateController';
export { ReceiverRateController, type RateUpdateTarget } from './rate/ReceiverRateController';
export { type RateEstimator, createRateEstimator } from './rate/RateEstimator';
export { PIDRateEstimator } from './rate/PIDRateEstimator';
export { isBackPressureEnabled } from './rate/isBackPressureEnabled';
export { ReceiverTracker, type TrackerState, type TrackedReceiverState, type ReceiverTrackingInfo } from './ReceiverTracker';
export { ReceivedBlockTracker, type ReceivedBlockTrackerOptions } from './ReceivedBlockTracker';
export { ReceivedBlockInfo, type ReceivedBlockInfoJson } from './ReceivedBlockInfo';
export {
  AllocatedBlocks,
  BlockAdditionEvent,
  BatchAllocationEvent,
  BatchCleanupEvent,
  serializeLogEvent,
  deserializeLogEvent,
  type ReceivedBlockTrackerLogEvent,
} from './ReceivedBlockTrackerLogEvent';
export { ReceiverInputDStream, type ReceivedBlocksSource } from './ReceiverInputDStream';
export { PluggableInputDStream } from './PluggableInputDStream';
export { BlockRDD, BlockRDDPartition } from './rdd/BlockRDD';
export { WriteAheadLogBackedBlockRDD, WriteAheadLogBackedBlockRDDPartition } from './rdd/WriteAheadLogBackedBlockRDD';
export { SparkEnv } from './SparkEnv';
export { LineTooLongException, BadFrameException, MetadataLogIncompleteException } from './ReceiverErrors';
export { SocketLineSplitter } from './socket/SocketLineSplitter';
export { type Frame, FrameDecoder, FrameTooLargeError } from './socket/FrameDecoder';
export { TcpReceiver } from './socket/TcpReceiver';
export { SocketReceiver, type SocketConverter } from './socket/SocketReceiver';
export { SocketTextReceiver } from './socket/SocketTextReceiver';
export { RawNetworkReceiver } from './socket/RawNetworkReceiver';
export { SocketInputDStream } from './socket/SocketInputDStream';
export { RawInputDStream } from './socket/RawInputDStream';
export { WebSocketReceiver, type BinaryMessageConverter } from './websocket/WebSocketReceiver';
export { WebSocketInputDStream } from './websocket/WebSocketInputDStream';
export type { WebSocketTextStreamOptions } from './StreamingContextReceivers';
export * from './reliable';
