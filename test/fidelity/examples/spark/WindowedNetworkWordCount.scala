// Not Spark's: Spark's examples folder has no windowed word count. This is the Streaming Programming Guide's
// "Window Operations" example (reduceByKeyAndWindow((a: Int, b: Int) => (a + b), Seconds(30), Seconds(10)) and
// its incremental form with an inverse function) in NetworkWordCount's shape, as examples/WindowedNetworkWordCount.ts
// ports it: window and slide from the arguments, two print()s per slide.
package org.apache.spark.examples.streaming

import org.apache.spark.SparkConf
import org.apache.spark.streaming.{Seconds, StreamingContext}

object WindowedNetworkWordCount {
  def main(args: Array[String]): Unit = {
    if (args.length != 2 && args.length != 4) {
      System.err.println("Usage: WindowedNetworkWordCount <hostname> <port> [<windowSeconds> <slideSeconds>]")
      System.exit(1)
    }
    val windowLength = Seconds(if (args.length == 4) args(2).toLong else 30)
    val slideInterval = Seconds(if (args.length == 4) args(3).toLong else 10)

    StreamingExamples.setStreamingLogLevels()
    val ssc = new StreamingContext(new SparkConf().setAppName("WindowedNetworkWordCount"), Seconds(1))
    ssc.checkpoint("checkpoint")

    val lines = ssc.socketTextStream(args(0), args(1).toInt)
    val pairs = lines.flatMap(_.split(" ")).map(word => (word, 1))

    // Reduce last 30 seconds of data, every 10 seconds
    val windowedWordCounts = pairs.reduceByKeyAndWindow((a: Int, b: Int) => (a + b), windowLength, slideInterval)
    windowedWordCounts.print()

    // The same, incrementally: add the counts entering the window, subtract those leaving it
    val incrementalWordCounts = pairs.reduceByKeyAndWindow(_ + _, _ - _, windowLength, slideInterval)
    incrementalWordCounts.print()

    ssc.start()
    ssc.awaitTermination()
  }
}
