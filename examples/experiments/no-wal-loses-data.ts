/**
 * Fault experiment (a): a receiver WITHOUT the write-ahead log loses data on a crash.
 *
 *   npx dstreams experiment examples/experiments/no-wal-loses-data.ts --fault job.after-output:5
 *
 * A reliable receiver (ReplayableSocketReceiver: it acknowledges the source only after a block is stored) with
 * `spark.streaming.receiver.writeAheadLog.enable` off, checkpointed. The stored blocks live only in the process's
 * block manager, so when the process is killed:
 * - the batches the restart re-runs (the last checkpointed batch and the ones pending) find their blocks nowhere
 *   (the report's "lost blocks" column; the log warns "Some blocks could not be recovered ... enable Write Ahead
 *   Log") and overwrite their output files with what is left;
 * - the blocks stored but not yet in a batch are gone too;
 * - and the source will not send those records again: the receiver resumes after the last block it stored (the
 *   metadata log knows it), because the source was told they were safe.
 * The `ids` output misses records (lost > 0). Turning the WAL on (wal-no-loss.ts) is the fix. An unreliable
 * receiver (`ssc.socketTextStream`, `--source lines`) loses the same way, plus what it had buffered.
 * (Spark Streaming programming guide, "Fault-tolerance Semantics": without the WAL, data received but not
 * processed is lost when the driver fails.)
 */
import { ExperimentProgram, Milliseconds, ReplayableSocketReceiver, SparkConf, StreamingContext } from 'dstreams';

const exp = ExperimentProgram.fromEnv();

function create(): StreamingContext {
  const conf = new SparkConf()
    .setMaster('local[2]')
    .setAppName('NoWalLosesData')
    .set('spark.streaming.receiver.writeAheadLog.enable', 'false')
    .set('spark.streaming.stopGracefullyOnShutdown', 'true')
    .set('spark.streaming.receiverRestartDelay', '100ms');
  const ssc = new StreamingContext(conf, Milliseconds(200));
  ssc.checkpoint(exp.checkpointDir);
  const lines = ssc.receiverStream(new ReplayableSocketReceiver(exp.sourceHost, exp.sourcePort, undefined, { flushIntervalMs: 50, maxBlockRecords: 200 }));
  // Every input record, in a file per batch time (idempotent: what is lost is lost upstream of the sink).
  lines.foreachRDD(async (rdd, time) => exp.writeBatch('ids', time, await rdd.collect()));
  return ssc;
}

const ssc = StreamingContext.getOrCreate(exp.checkpointDir, create);
exp.attach(ssc);
void ssc.start();
void ssc.awaitTermination().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`failed: ${(e as Error).stack}\n`);
    process.exit(1);
  },
);
