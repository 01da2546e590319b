/**
 * dstreams: Spark Streaming's DStream API for Node.js. This entry exports the whole public API
 * (`import { SparkConf, StreamingContext, Seconds } from 'dstreams'`).
 */
export * from './core/errors';
export { Duration, Milliseconds, Seconds, Minutes, Durations } from './core/Duration';
export { Time } from './core/Time';
export { Interval } from './core/Interval';
export { SparkConf } from './core/SparkConf';
export { parseMaster, type MasterUrl } from './core/MasterUrl';
export { StreamingConf } from './core/StreamingConf';
export { configEntries, type ConfigEntry } from './core/ConfigEntry';
export type { Clock } from './core/clock/Clock';
export { SystemClock } from './core/clock/SystemClock';
export { ManualClock } from './core/clock/ManualClock';
export { getLogger, setLogLevel, type Logger } from './core/logging';
export { FAULT_POINTS, faultPoint, armFault, disarmFaults, configureFaults, InjectedFault, type FaultPointName } from './core/FaultPoints';
export { StorageLevel } from './storage/StorageLevel';
export { StreamId } from './storage/StreamId';
export { BlockId, StreamBlockId, RDDBlockId } from './storage/BlockId';
export * from './rdd';
export { scalaString } from './core/ScalaFormat';
export { pythonStr, pythonRepr, pythonDatetimeString } from './core/PythonFormat';
export * from './streaming';
export * from './scheduler';
export { Deferred } from './core/Deferred';
export { EventLoop } from './core/EventLoop';
export { BlockSerializer, BlockFormatError, BlockEncoding, BLOCK_FORMAT_VERSION } from './storage/BlockSerializer';
export { ArrayBufferBlock, IteratorBlock, ByteBufferBlock, type ReceivedBlock } from './storage/ReceivedBlock';
export { BlockManager, type BlockManagerOptions } from './storage/BlockManager';
export { MemoryStore } from './storage/MemoryStore';
export type { WriteAheadLog, WriteAheadLogRecordHandle } from '../wal/WriteAheadLog';
export type { FileBasedWriteAheadLogSegment } from '../wal/FileBasedWriteAheadLogSegment';
export {
  FileBasedWriteAheadLog,
  DEFAULT_WAL_OPTIONS,
  type FileBasedWriteAheadLogOptions,
  type WalRecoveryReport,
  type WalSyncPolicy,
  type WalWriteStats,
} from '../wal/FileBasedWriteAheadLog';
export { FileBasedWriteAheadLogRandomReader } from '../wal/FileBasedWriteAheadLogRandomReader';
export type { WalDamage } from '../wal/SegmentScanner';
export { BatchedWriteAheadLog } from '../wal/BatchedWriteAheadLog';
export { WriteAheadLogUtils } from '../wal/WriteAheadLogUtils';
export {
  WriteAheadLogCorruptionError,
  WriteAheadLogSegmentError,
  WriteAheadLogSequenceError,
  WriteAheadLogReadError,
  WriteAheadLogWriteError,
} from '../wal/WriteAheadLogErrors';
export type {
  ReceivedBlockHandler,
  ReceivedBlockStoreResult,
  BlockManagerBasedStoreResult,
  WriteAheadLogBasedStoreResult,
} from '../wal/ReceivedBlockHandler';
export { BlockManagerBasedBlockHandler } from '../wal/BlockManagerBasedBlockHandler';
export { WriteAheadLogBasedBlockHandler, BlockStoreTimeoutError, type WriteAheadLogBasedBlockHandlerOptions } from '../wal/WriteAheadLogBasedBlockHandler';
export * from './checkpoint';
export * from '../receivers';
export * from '../receivers/kafka';
export * from './ui';
export * from './experiments';
// The engines of `dstreams nc` and `dstreams generate`, for programs and tests that feed a socket stream themselves.
export { LineBroadcaster } from './cli/LineBroadcaster';
export { RecordGenerator, type RecordKind } from './cli/RecordGenerator';
// How a fatal error is shown to a user (one line plus a hint): what `dstreams run` and the examples print.
export { fatalErrorText, userFacing, type UserFacingError } from './cli/FatalError';
