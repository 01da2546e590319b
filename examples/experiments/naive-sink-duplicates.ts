/**
 * Fault experiment (c): after recovery a non-idempotent output duplicates, an idempotent one keyed by batch time
 * does not.
 *
 *   npx dstreams experiment examples/experiments/naive-sink-duplicates.ts --fault job.after-output:5
 *
 * No input is lost here (reliable receiver + receiver WAL, as wal-no-loss.ts). The same records go to two outputs:
 * - `ids`: the idempotent sink, one file per batch time (`ids-<batchMs>.jsonl`, written to a temporary name and
 *   renamed), as Spark's `saveAsTextFiles(prefix)` writes `prefix-<time>`;
 * - `ids-appended`: the naive sink, every batch appended to one file (`ids-appended.log.jsonl`), as a program that
 *   appends to a file, a table without a key, or a topic would.
 * The process is killed after a batch's outputs ran but before the batch was marked complete. Recovery runs that
 * batch again (outputs are at-least-once; so is the last checkpointed batch, always): the keyed file is replaced
 * with the same records (duplicated 0), the appended file gets them a second time (duplicated > 0, the report's
 * "re-run batches" says how many batches). Exactly-once output needs an idempotent or transactional sink keyed by
 * batch time (Spark Streaming programming guide, "Semantics of output operations").
 */
import { ExperimentProgram, Milliseconds, ReplayableSocketReceiver, SparkConf, StreamingContext } from 'dstreams';

const exp = ExperimentProgram.fromEnv();

function create(): StreamingContext {
  const conf = new SparkConf()
    .setMaster('local[2]')
    .setAppName('NaiveSinkDuplicates')
    .set('spark.streaming.receiver.writeAheadLog.enable', 'true')
    .set('spark.streaming.stopGracefullyOnShutdown', 'true')
    .set('spark.streaming.receiverRestartDelay', '100ms');
  const ssc = new StreamingContext(conf, Milliseconds(200));
  ssc.checkpoint(exp.checkpointDir);
  const lines = ssc.receiverStream(new ReplayableSocketReceiver(exp.sourceHost, exp.sourcePort, undefined, { flushIntervalMs: 50, maxBlockRecords: 200 }));
  lines.cache();
  lines.foreachRDD(async (rdd, time) => exp.writeBatch('ids', time, await rdd.collect()));
  lines.foreachRDD(async (rdd, time) => exp.appendBatch('ids-appended', time, await rdd.collect()));
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
