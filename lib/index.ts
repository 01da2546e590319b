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
export * from './streaming';
export * from './scheduler';
export { Deferred } from './core/Deferred';
export { EventLoop } from './core/EventLoop';
