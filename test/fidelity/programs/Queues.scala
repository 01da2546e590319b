package org.apache.spark.streaming.fidelity

import org.apache.spark.rdd.RDD

object Queues extends ProgramSet {
  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "queue_all_at_once" -> { c => c.ssc.queueStream(c.queue[Int](), oneAtATime = false).print() },
    "queue_default_rdd" -> { c => c.ssc.queueStream(c.queue[Int](0), oneAtATime = true, c.rdds[Int](1).head).print() },
    "queue_drained_partitions" -> { c =>
      val sc = c.sc
      c.stream[Int]().transform(rdd => sc.makeRDD(Seq(rdd.getNumPartitions), 1)).print()
    },
    "queue_drained_glom" -> { c =>
      val s = c.stream[Int]()
      s.glom().map(_.length).print()
      s.mapPartitions(it => Iterator(it.sum)).print()
    },
    "queue_default_null" -> { c =>
      val sc = c.sc
      val s = c.ssc.queueStream(c.queue[Int](), oneAtATime = true, null.asInstanceOf[RDD[Int]])
      s.count().print()
      s.transform(rdd => sc.makeRDD(Seq(rdd.getNumPartitions), 1)).print()
    }
  )
}
