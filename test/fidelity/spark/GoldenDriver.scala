// Runs the Scala fidelity programs in one SparkContext and writes what they printed to test/fidelity/goldens/.
// Started by scripts/spark-goldens through spark-submit; not meant to be run alone.
//
//   GoldenDriver <programs dir> <goldens dir> <topic objects, comma-separated> [name,name,...]
//
// Each program gets its own StreamingContext on Spark's ManualClock: the driver advances the clock one batch at a
// time and waits for the batch to complete, so the output is the same on every run. The package is Spark's so that
// the driver may read `ssc.scheduler.clock` (private[streaming]).
package org.apache.spark.streaming.fidelity

import java.io.{ByteArrayOutputStream, File, OutputStream, PrintStream}
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}
import java.util.concurrent.TimeUnit

import scala.collection.JavaConverters._
import scala.collection.mutable

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}

import org.apache.spark.{SparkConf, SparkContext}
import org.apache.spark.rdd.RDD
import org.apache.spark.streaming.{Milliseconds, StreamingContext}
import org.apache.spark.streaming.scheduler.{StreamingListener, StreamingListenerBatchCompleted}
import org.apache.spark.util.{ManualClock, Utils}

/** System.out for the whole run; what the programs print goes to the current target. */
class SwitchableStream extends OutputStream {
  @volatile var target: OutputStream = System.err
  override def write(b: Int): Unit = target.write(b)
  override def write(b: Array[Byte], off: Int, len: Int): Unit = target.write(b, off, len)
}

class BatchWaiter extends StreamingListener {
  private var completed = 0
  val failures = mutable.Buffer[String]()

  override def onBatchCompleted(e: StreamingListenerBatchCompleted): Unit = synchronized {
    for (op <- e.batchInfo.outputOperationInfos.values; r <- op.failureReason) failures += r
    completed += 1
    notifyAll()
  }

  def waitFor(n: Int): Unit = synchronized {
    val deadline = System.nanoTime + TimeUnit.SECONDS.toNanos(120)
    while (completed < n) {
      val left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime)
      if (left <= 0) throw new RuntimeException(s"batch $n did not complete within 120 s")
      wait(left)
    }
  }
}

object GoldenDriver {
  private val switch = new SwitchableStream

  def main(args: Array[String]): Unit = {
    // Installed before anything touches scala.Console, whose `out` is fixed to System.out at its first use.
    System.setOut(new PrintStream(switch, true, "UTF-8"))
    val Array(programsDir, goldensDir, topics) = args.take(3)
    val only = if (args.length > 3 && args(3).nonEmpty) Some(args(3).split(",").toSet) else None

    val mapper = new ObjectMapper()
    val specs = mutable.LinkedHashMap[String, JsonNode]()
    for (f <- new File(programsDir).listFiles().filter(_.getName.endsWith(".json")).sortBy(_.getName);
         spec <- mapper.readTree(f).get("programs").elements().asScala) {
      specs(spec.get("name").asText) = spec
    }
    val bodies = mutable.Map[String, Ctx => Unit]()
    for (topic <- topics.split(",") if topic.nonEmpty) {
      val set = Class.forName(s"org.apache.spark.streaming.fidelity.$topic$$").getField("MODULE$").get(null).asInstanceOf[ProgramSet]
      for ((name, body) <- set.programs) {
        if (bodies.contains(name)) throw new IllegalArgumentException(s"two fidelity programs are named $name")
        bodies(name) = body
      }
    }
    def flavors(spec: JsonNode): Seq[String] =
      if (spec.has("flavors")) spec.get("flavors").elements().asScala.map(_.asText).toSeq else Seq("python", "scala")
    val wanted = specs.values.filter(s => flavors(s).contains("scala")).filter(s => only.forall(_.contains(s.get("name").asText))).toSeq
    val missing = wanted.map(_.get("name").asText).filterNot(bodies.contains)
    if (missing.nonEmpty) throw new IllegalArgumentException(s"no Scala program for: ${missing.mkString(", ")}")

    val conf = new SparkConf()
      .setMaster("local[2]")
      .setAppName("dstreams-fidelity")
      .set("spark.streaming.clock", "org.apache.spark.util.ManualClock")
      .set("spark.ui.enabled", "false")
      .set("spark.ui.showConsoleProgress", "false")
    val sc = new SparkContext(conf)
    sc.setLogLevel("WARN")
    val started = System.nanoTime
    val failed = mutable.Buffer[String]()
    for (spec <- wanted) {
      val name = spec.get("name").asText
      val t0 = System.nanoTime
      try {
        val text = run(sc, spec, bodies(name))
        Files.write(Paths.get(goldensDir, s"$name.scala.txt"), text.getBytes(StandardCharsets.UTF_8))
        System.err.println(f"spark-goldens: scala $name (${(System.nanoTime - t0) / 1e9}%.1f s)")
      } catch {
        case e: Throwable =>
          failed += name
          System.err.println(s"spark-goldens: scala $name FAILED")
          e.printStackTrace(System.err)
      }
    }
    sc.stop()
    System.err.println(f"spark-goldens: scala: ${wanted.size} programs in ${(System.nanoTime - started) / 1e9}%.1f s")
    if (failed.nonEmpty) {
      System.err.println(s"scala programs failed: ${failed.mkString(", ")}")
      System.exit(1)
    }
  }

  private def run(sc: SparkContext, spec: JsonNode, body: Ctx => Unit): String = {
    val batchMs = if (spec.has("batchMs")) spec.get("batchMs").longValue else 1000L
    val ssc = new StreamingContext(sc, Milliseconds(batchMs))
    val cp = if (spec.has("checkpoint") && spec.get("checkpoint").booleanValue) {
      val d = Utils.createTempDir(namePrefix = "fidelity-cp")
      ssc.checkpoint(d.getAbsolutePath)
      Some(d)
    } else None
    val out = new ByteArrayOutputStream()
    val waiter = new BatchWaiter
    switch.target = out
    try {
      body(new Ctx(ssc, sc, spec))
      // Every batch gets a job, so every batch posts onBatchCompleted (Spark posts none for a batch without
      // jobs, e.g. a window stream between slides).
      ssc.queueStream(mutable.Queue[RDD[Int]]()).foreachRDD(_ => ())
      ssc.addStreamingListener(waiter)
      ssc.start()
      val clock = ssc.scheduler.clock.asInstanceOf[ManualClock]
      for (i <- 1 to spec.get("batches").intValue) {
        clock.advance(batchMs)
        waiter.waitFor(i)
      }
    } finally {
      ssc.stop(stopSparkContext = false, stopGracefully = false)
      switch.target = System.err
      cp.foreach(Utils.deleteRecursively)
    }
    if (waiter.failures.nonEmpty) throw new RuntimeException("output operation failed:\n" + waiter.failures.mkString("\n"))
    new String(out.toByteArray, StandardCharsets.UTF_8)
  }
}
