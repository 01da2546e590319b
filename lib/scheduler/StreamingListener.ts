import type { BatchInfo } from './BatchInfo';
import type { OutputOperationInfo } from './OutputOperationInfo';
import type { ReceiverInfo } from './ReceiverInfo';

/** Spark's `StreamingListenerStreamingStarted`. */
export interface StreamingListenerStreamingStarted { readonly time: number }
/** Spark's `StreamingListenerBatchSubmitted` / `BatchStarted` / `BatchCompleted`. */
export interface StreamingListenerBatchSubmitted { readonly batchInfo: BatchInfo }
export interface StreamingListenerBatchStarted { readonly batchInfo: BatchInfo }
export interface StreamingListenerBatchCompleted { readonly batchInfo: BatchInfo }
/** Spark's `StreamingListenerOutputOperationStarted` / `Completed`. */
export interface StreamingListenerOutputOperationStarted { readonly outputOperationInfo: OutputOperationInfo }
export interface StreamingListenerOutputOperationCompleted { readonly outputOperationInfo: OutputOperationInfo }
/** Spark's `StreamingListenerReceiverStarted` / `Error` / `Stopped`. */
export interface StreamingListenerReceiverStarted { readonly receiverInfo: ReceiverInfo }
export interface StreamingListenerReceiverError { readonly receiverInfo: ReceiverInfo }
export interface StreamingListenerReceiverStopped { readonly receiverInfo: ReceiverInfo }

/** dstreams' own event: a failed batch is submitted again (`dstreams.batch.maxRetries`). */
export interface StreamingListenerBatchRetry {
  readonly batchTime: import('../core/Time').Time;
  readonly attempt: number;
  readonly cause: string;
}

/** dstreams' own event: a rate estimator's inputs and output (backpressure). */
export interface StreamingListenerRateUpdate {
  readonly streamId: number;
  readonly time: number;
  readonly numRecords: number;
  readonly processingDelay: number;
  readonly schedulingDelay: number;
  readonly rate: number | undefined;
}

/**
 * Receives the streaming engine's events: Spark's `StreamingListener` trait. Every method is optional. Events are
 * delivered asynchronously, in order, and a listener that throws is logged and kept.
 */
export interface StreamingListener {
  onStreamingStarted?(e: StreamingListenerStreamingStarted): void;
  onReceiverStarted?(e: StreamingListenerReceiverStarted): void;
  onReceiverError?(e: StreamingListenerReceiverError): void;
  onReceiverStopped?(e: StreamingListenerReceiverStopped): void;
  onBatchSubmitted?(e: StreamingListenerBatchSubmitted): void;
  onBatchStarted?(e: StreamingListenerBatchStarted): void;
  onBatchCompleted?(e: StreamingListenerBatchCompleted): void;
  onOutputOperationStarted?(e: StreamingListenerOutputOperationStarted): void;
  onOutputOperationCompleted?(e: StreamingListenerOutputOperationCompleted): void;
  onBatchRetry?(e: StreamingListenerBatchRetry): void;
  onRateUpdate?(e: StreamingListenerRateUpdate): void;
}

/** The name of a listener method, i.e. of an event kind. */
export type StreamingListenerEventName = keyof StreamingListener;
