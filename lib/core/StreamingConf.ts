import { ConfigBuilder as C } from './ConfigEntry';

/**
 * Every configuration key dstreams reads, with Spark's defaults: Spark's `StreamingConf.scala` plus the keys Spark
 * reads ad hoc, and our own under `dstreams.*`. Components read keys only through these entries, so the defaults live
 * in one place and an unknown `spark.streaming.*` key can be reported.
 */
export const StreamingConf = {
  // ---- core
  MASTER: C.string('spark.master', 'local[*]', 'Master URL: local, local[N], local[*], local[N,F].'),
  APP_NAME: C.string('spark.app.name', 'dstreams', 'Application name.'),
  DEFAULT_PARALLELISM: C.optionalLong('spark.default.parallelism', 'Default partition count of shuffles and parallelize.'),
  TASK_MAX_FAILURES: C.optionalLong('spark.task.maxFailures', 'Task attempts (local masters: 1, or F of local[N,F]).'),
  API_FLAVOR: C.choice('dstreams.api.flavor', 'scala', ['scala', 'python'], "Whose results: Scala/Java Spark's (scala) or PySpark's (python: portable_hash partitions, dict order, PySpark's windows)."),

  // ---- receivers and blocks
  BLOCK_INTERVAL: C.time('spark.streaming.blockInterval', '200ms', 'Interval at which received records are cut into blocks.'),
  BLOCK_QUEUE_SIZE: C.int('spark.streaming.blockQueueSize', 10, 'Blocks waiting to be pushed per BlockGenerator.'),
  RECEIVER_MAX_RATE: C.long('spark.streaming.receiver.maxRate', Number.MAX_SAFE_INTEGER, 'Max records/s per receiver.'),
  RECEIVER_RESTART_DELAY: C.time('spark.streaming.receiverRestartDelay', '2000ms', 'Default delay of Receiver.restart.'),
  BLOCK_STORE_TIMEOUT: C.seconds('spark.streaming.receiver.blockStoreTimeout', 30, 'Wait for the WAL + block manager store.'),
  UNPERSIST: C.boolean('spark.streaming.unpersist', true, 'Unpersist old RDDs and remove old blocks.'),

  // ---- backpressure
  BACKPRESSURE_ENABLED: C.boolean('spark.streaming.backpressure.enabled', false, 'Rate control from batch statistics.'),
  BACKPRESSURE_INITIAL_RATE: C.optionalLong('spark.streaming.backpressure.initialRate', 'First-batch rate with backpressure.'),
  BACKPRESSURE_RATE_ESTIMATOR: C.choice('spark.streaming.backpressure.rateEstimator', 'pid', ['pid'], 'Rate estimator.'),
  BACKPRESSURE_PID_PROPORTIONAL: C.double('spark.streaming.backpressure.pid.proportional', 1.0, 'PID proportional term.'),
  BACKPRESSURE_PID_INTEGRAL: C.double('spark.streaming.backpressure.pid.integral', 0.2, 'PID integral term.'),
  BACKPRESSURE_PID_DERIVED: C.double('spark.streaming.backpressure.pid.derived', 0.0, 'PID derivative term.'),
  BACKPRESSURE_PID_MIN_RATE: C.double('spark.streaming.backpressure.pid.minRate', 100, 'Floor of the estimated rate.'),

  // ---- write-ahead logs
  RECEIVER_WAL_ENABLE: C.boolean('spark.streaming.receiver.writeAheadLog.enable', false, 'Receiver data WAL.'),
  RECEIVER_WAL_CLASS: C.optionalString('spark.streaming.receiver.writeAheadLog.class', 'Custom receiver WAL class.'),
  RECEIVER_WAL_ROLLING_INTERVAL_SECS: C.int('spark.streaming.receiver.writeAheadLog.rollingIntervalSecs', 60, 'Receiver WAL segment span (s).'),
  RECEIVER_WAL_MAX_FAILURES: C.int('spark.streaming.receiver.writeAheadLog.maxFailures', 3, 'Receiver WAL write attempts.'),
  RECEIVER_WAL_CLOSE_AFTER_WRITE: C.boolean('spark.streaming.receiver.writeAheadLog.closeFileAfterWrite', false, 'Close the segment after each record.'),
  DRIVER_WAL_CLASS: C.optionalString('spark.streaming.driver.writeAheadLog.class', 'Custom driver WAL class.'),
  DRIVER_WAL_ROLLING_INTERVAL_SECS: C.int('spark.streaming.driver.writeAheadLog.rollingIntervalSecs', 60, 'Driver WAL segment span (s).'),
  DRIVER_WAL_MAX_FAILURES: C.int('spark.streaming.driver.writeAheadLog.maxFailures', 3, 'Driver WAL write attempts.'),
  DRIVER_WAL_CLOSE_AFTER_WRITE: C.boolean('spark.streaming.driver.writeAheadLog.closeFileAfterWrite', false, 'Close the segment after each record.'),
  DRIVER_WAL_BATCHING: C.boolean('spark.streaming.driver.writeAheadLog.allowBatching', true, 'Batch driver WAL writes.'),
  DRIVER_WAL_BATCHING_TIMEOUT: C.long('spark.streaming.driver.writeAheadLog.batchingTimeout', 5000, 'Max wait of a batched write (ms).'),
  WAL_SYNC: C.choice('dstreams.wal.sync', 'group', ['group', 'record', 'none'], 'fdatasync policy: group commit, per record, or none.'),
  WAL_GROUP_COMMIT_BYTES: C.bytes('dstreams.wal.groupCommit.bytes', '1m', 'Flush the group commit once this many bytes are pending.'),
  WAL_GROUP_COMMIT_DELAY: C.time('dstreams.wal.groupCommit.delay', '0ms', 'Linger of an idle WAL for more records before a commit (0 = end of the event-loop turn).'),
  WAL_SKIP_CORRUPT: C.boolean('dstreams.wal.skipCorruptRecords', false, 'Skip (and report) bad frames in the middle of a segment.'),

  // ---- scheduling and lifecycle
  CONCURRENT_JOBS: C.int('spark.streaming.concurrentJobs', 1, 'Output jobs run at once.'),
  CLOCK: C.string('spark.streaming.clock', 'org.apache.spark.util.SystemClock', 'Clock: system or manual (ManualClock).'),
  MANUAL_CLOCK_JUMP: C.long('spark.streaming.manualClock.jump', 0, 'ManualClock jump on checkpoint restart (ms).'),
  STOP_GRACEFULLY_ON_SHUTDOWN: C.boolean('spark.streaming.stopGracefullyOnShutdown', false, 'SIGTERM/SIGINT stop gracefully.'),
  STOP_SPARK_CONTEXT_BY_DEFAULT: C.boolean('spark.streaming.stopSparkContextByDefault', true, 'Default of stop(stopSparkContext).'),
  GRACEFUL_STOP_TIMEOUT: C.optionalTime('spark.streaming.gracefulStopTimeout', 'Bound of a graceful stop (default 10 x batch).'),
  CHECKPOINT_DIRECTORY: C.optionalString('spark.streaming.checkpoint.directory', 'Checkpoint directory set at construction.'),
  SESSION_BY_KEY_DELTA_CHAIN_THRESHOLD: C.int('spark.streaming.sessionByKey.deltaChainThreshold', 20, 'State delta chain length that triggers compaction.'),
  FILE_STREAM_MIN_REMEMBER: C.optionalTime('spark.streaming.fileStream.minRememberDuration', 'File stream remember window.'),
  MIN_REMEMBER: C.time('spark.streaming.minRememberDuration', '60s', 'Fallback of fileStream.minRememberDuration.'),
  UI_RETAINED_BATCHES: C.int('spark.streaming.ui.retainedBatches', 1000, 'Completed batches kept by the UI.'),
  BATCH_MAX_RETRIES: C.int('dstreams.batch.maxRetries', 0, 'Batch-level retries of a failed JobSet (0 = Spark).'),
  BATCH_RETRY_BACKOFF: C.optionalTime('dstreams.batch.retryBackoff', 'Delay before a batch retry (default one batch).'),
  BATCH_RETRY_FROM: C.choice('dstreams.batch.retryFrom', 'failed', ['failed', 'start'], 'Retry from the failed output op or the start.'),

  // ---- Kafka
  KAFKA_MAX_RATE_PER_PARTITION: C.long('spark.streaming.kafka.maxRatePerPartition', 0, 'Records/s/partition cap (0 = none).'),
  KAFKA_MIN_RATE_PER_PARTITION: C.long('spark.streaming.kafka.minRatePerPartition', 1, 'Floor of records per partition per batch.'),
  KAFKA_CONSUMER_POLL_MS: C.optionalLong('spark.streaming.kafka.consumer.poll.ms', 'KafkaRDD fetch timeout (ms).'),
  KAFKA_CONSUMER_CACHE_ENABLED: C.boolean('spark.streaming.kafka.consumer.cache.enabled', true, 'Cache Kafka consumers.'),
  KAFKA_ALLOW_NON_CONSECUTIVE: C.boolean('spark.streaming.kafka.allowNonConsecutiveOffsets', false, 'Compacted topics.'),

  // ---- sockets and receivers of ours
  SOCKET_MAX_LINE_BYTES: C.bytes('dstreams.receiver.maxLineBytes', '1m', 'Longest accepted line on a text socket.'),
  RAW_SOCKET_MAX_FRAME_BYTES: C.bytes('dstreams.receiver.maxFrameBytes', '256m', 'Largest accepted frame on a raw socket stream.'),

  // ---- UI
  UI_ENABLED: C.boolean('dstreams.ui.enabled', false, 'Serve the web UI.'),
  UI_HOST: C.string('dstreams.ui.host', '127.0.0.1', 'UI bind address.'),
  UI_PORT: C.int('dstreams.ui.port', 4040, 'UI port (0 = any free port).'),
  UI_DATA_ENABLED: C.optionalBoolean('dstreams.ui.data.enabled', "Keep each batch's elements for the UI's data view (default: on with the manual clock)."),
  UI_DATA_RETAINED_BATCHES: C.int('dstreams.ui.data.retainedBatches', 20, 'Batches whose elements the data view keeps.'),
  UI_DATA_MAX_RECORDS: C.int('dstreams.ui.data.maxRecords', 20, 'Elements kept per partition of each stream in the data view.'),
  UI_CONTROL_ENABLED: C.boolean('dstreams.ui.control.enabled', false, 'Let the page step, pause and resume the job (loopback, per-run token).'),
  PORT_MAX_RETRIES: C.int('spark.port.maxRetries', 16, 'Further ports tried when the UI port is taken.'),

  // ---- fault points
  FAULT_POINT: C.optionalString('dstreams.fault.point', 'Named fault point to trigger.'),
  FAULT_HIT: C.int('dstreams.fault.hit', 1, 'Trigger on the Nth time the point is reached.'),
  FAULT_ACTION: C.choice('dstreams.fault.action', 'kill', ['kill', 'throw'], 'SIGKILL the process or throw.'),
} as const;

/** Keys Spark reads that dstreams accepts and ignores (cluster-only), so they do not warn. */
export const IGNORED_SPARK_STREAMING_KEYS: readonly string[] = [
  'spark.streaming.dynamicAllocation.enabled',
  'spark.streaming.dynamicAllocation.testing',
  'spark.streaming.dynamicAllocation.minExecutors',
  'spark.streaming.dynamicAllocation.maxExecutors',
  'spark.streaming.dynamicAllocation.scalingInterval',
  'spark.streaming.dynamicAllocation.scalingUpRatio',
  'spark.streaming.dynamicAllocation.scalingDownRatio',
  'spark.streaming.kafka.consumer.cache.initialCapacity',
  'spark.streaming.kafka.consumer.cache.maxCapacity',
  'spark.streaming.kafka.consumer.cache.loadFactor',
];
