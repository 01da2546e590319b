// Runs one of Spark's streaming example programs, unchanged, on Spark's ManualClock, feeding it fixed lines over a
// loopback TCP socket batch by batch (the Scala twin of run_pyspark_example.py; see there). Started by
// test/fidelity/examples/record through spark-submit:
//
//   ExampleRunner <examples.json> <name>
package org.apache.spark.streaming.fidelity

import java.io.File
import java.net.{InetAddress, ServerSocket}
import java.nio.charset.StandardCharsets
import java.util.concurrent.TimeUnit

import scala.collection.JavaConverters._

import com.fasterxml.jackson.databind.ObjectMapper

import org.apache.spark.streaming.{StreamingContext, StreamingContextState}
import org.apache.spark.streaming.scheduler.{StreamingListener, StreamingListenerBatchCompleted}
import org.apache.spark.util.ManualClock

object ExampleRunner {
  private val ReceiveWaitMs = 1000L

  class Batches extends StreamingListener {
    private val records = scala.collection.mutable.Buffer[Long]()
    override def onBatchCompleted(e: StreamingListenerBatchCompleted): Unit = synchronized {
      records += e.batchInfo.numRecords
      notifyAll()
    }
    def waitFor(n: Int): Long = synchronized {
      val deadline = System.nanoTime + TimeUnit.SECONDS.toNanos(120)
      while (records.size < n) {
        if (System.nanoTime > deadline) throw new RuntimeException(s"batch $n did not complete")
        wait(1000)
      }
      records(n - 1)
    }
  }

  def main(args: Array[String]): Unit = {
    val Array(specFile, name) = args
    val specs = new ObjectMapper().readTree(new File(specFile))
    val spec = specs.get("examples").elements().asScala.find(_.get("name").asText == name).get
    val input = specs.get("inputs").get(spec.get("input").asText).elements().asScala.map(_.elements().asScala.map(_.asText).toList).toList
    val batches = spec.get("batches").intValue
    val server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress)
    @volatile var failure: Option[Throwable] = None
    val driver = new Thread("example-driver") {
      override def run(): Unit = try {
        val deadline = System.nanoTime + TimeUnit.SECONDS.toNanos(120)
        while (!StreamingContext.getActive().exists(_.getState() == StreamingContextState.ACTIVE)) {
          if (System.nanoTime > deadline) throw new RuntimeException("the example's StreamingContext did not start")
          Thread.sleep(50)
        }
        val ssc = StreamingContext.getActive().get
        val listener = new Batches
        ssc.addStreamingListener(listener)
        val conn = server.accept()
        val clock = ssc.scheduler.clock.asInstanceOf[ManualClock]
        for (i <- 0 until batches) {
          val lines = if (i < input.size) input(i) else Nil
          if (lines.nonEmpty) {
            conn.getOutputStream.write(lines.map(_ + "\n").mkString.getBytes(StandardCharsets.UTF_8))
            conn.getOutputStream.flush()
          }
          Thread.sleep(ReceiveWaitMs)
          clock.advance(1000)
          val got = listener.waitFor(i + 1)
          if (got != lines.size) throw new RuntimeException(s"batch ${i + 1} counted $got records, ${lines.size} were sent")
        }
        System.out.flush()
        ssc.stop(stopSparkContext = true, stopGracefully = false)
        conn.close()
      } catch {
        case e: Throwable =>
          failure = Some(e)
          StreamingContext.getActive().foreach(_.stop(stopSparkContext = true, stopGracefully = false))
      }
    }
    driver.setDaemon(true)
    driver.start()
    val extra = if (spec.has("extraArgs")) spec.get("extraArgs").elements().asScala.map(_.asText).toArray else Array[String]()
    val exampleArgs = Array("localhost", server.getLocalPort.toString) ++ extra
    Class.forName(spec.get("scala").asText).getMethod("main", classOf[Array[String]]).invoke(null, exampleArgs)
    driver.join(TimeUnit.SECONDS.toMillis(30))
    failure.foreach { e =>
      e.printStackTrace()
      System.exit(1)
    }
  }
}
