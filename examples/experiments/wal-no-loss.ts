/**
 * Fault experiment (b): a reliable receiver WITH the receiver write-ahead log loses nothing on a crash.
 *
 *   npx dstreams experiment examples/experiments/wal-no-loss.ts --fault job.after-output:5
 *
 * The same program as no-wal-loses-data.ts with one setting changed: `spark.streaming.receiver.writeAheadLog.enable`
 * is on. Every block is in the WAL (fsynced) before the receiver acknowledges it to the source, and the block's WAL
 * position is in the metadata log. After the crash the re-run batches read their blocks back from the WAL
 * (WriteAheadLogBackedBlockRDD: the report's "WAL blocks" column), the receiver resumes after the last block it
 * stored, and the `ids` output ends up with every input record exactly once: lost 0, duplicated 0.
 * (Spark Streaming programming guide, "Fault-tolerance Semantics": reliable receiver + WAL = zero data loss.)
 */
import { ExperimentProgram, Milliseconds, ReplayableSocketReceiver, SparkConf, StreamingContext } from 'dstreams';

const exp = ExperimentProgram.fromEnv();

function create(): StreamingContext {
  const conf = new SparkConf()
    .setMaster('local[2]')
    .setAppName('WalNoLoss')
    .set('spark.streaming.receiver.writeAheadLog.enable', 'true')
    .set('spark.streaming.stopGracefullyOnShutdown', 'true')
    .set('spark.streaming.receiverRestartDelay', '100ms');
  const ssc = new StreamingContext(conf, Milliseconds(200));
  ssc.checkpoint(exp.checkpointDir);
  const lines = ssc.receiverStream(new ReplayableSocketReceiver(exp.sourceHost, exp.sourcePort, undefined, { flushIntervalMs: 50, maxBlockRecords: 200 }));
  // Every input record, once per batch that saw it, in a file per batch time (idempotent).
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
