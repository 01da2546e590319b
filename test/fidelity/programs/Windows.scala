package org.apache.spark.streaming.fidelity

import org.apache.spark.HashPartitioner
import org.apache.spark.streaming.Seconds

object Windows extends ProgramSet {
  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "window_three_batches" -> { c => c.stream[Int]().window(Seconds(3), Seconds(1)).print() },
    "window_slide_two" -> { c => c.stream[Int]().window(Seconds(4), Seconds(2)).print() },
    "window_shorter_than_slide" -> { c => c.stream[Int]().window(Seconds(1), Seconds(2)).print() },
    "reduce_by_window" -> { c => c.stream[Int]().reduceByWindow(_ + _, Seconds(3), Seconds(1)).print() },
    "reduce_by_window_inverse_large" -> { c => c.stream[Int]().reduceByWindow(_ + _, _ - _, Seconds(5), Seconds(1)).print() },
    "count_by_window_small" -> { c => c.stream[Int]().countByWindow(Seconds(3), Seconds(1)).print() },
    "count_by_window_large" -> { c => c.stream[Int]().countByWindow(Seconds(5), Seconds(1)).print() },
    "reduce_by_key_and_window" -> { c => c.stream[(Int, Int)]().reduceByKeyAndWindow((a: Int, b: Int) => a + b, Seconds(3), Seconds(1)).print() },
    "reduce_by_key_and_window_inverse_small" -> { c =>
      c.stream[(Int, Int)]().reduceByKeyAndWindow((a: Int, b: Int) => a + b, (a: Int, b: Int) => a - b, Seconds(3), Seconds(1)).print()
    },
    "reduce_by_key_and_window_inverse_large" -> { c =>
      c.stream[(Int, Int)]().reduceByKeyAndWindow((a: Int, b: Int) => a + b, (a: Int, b: Int) => a - b, Seconds(5), Seconds(1)).print()
    },
    "reduce_by_key_and_window_filter" -> { c =>
      c.stream[(Int, Int)]()
        .reduceByKeyAndWindow((a: Int, b: Int) => a + b, (a: Int, b: Int) => a - b, Seconds(5), Seconds(1),
          new HashPartitioner(c.sc.defaultParallelism), (kv: (Int, Int)) => kv._2 != 0)
        .print()
    },
    "count_by_value_and_window" -> { c => c.stream[Int]().countByValueAndWindow(Seconds(3), Seconds(1)).print() },
    "count_by_value_and_window_drained" -> { c => c.stream[Int]().countByValueAndWindow(Seconds(3), Seconds(1)).print() },
    "group_by_key_and_window" -> { c => c.stream[(Int, String)]().groupByKeyAndWindow(Seconds(3), Seconds(1)).print() }
  )
}
