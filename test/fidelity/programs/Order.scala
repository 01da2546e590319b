package org.apache.spark.streaming.fidelity

import org.apache.spark.rdd.RDD
import org.apache.spark.streaming.Seconds

object Order extends ProgramSet {
  private val add = (a: Int, b: Int) => a + b
  private val sub = (a: Int, b: Int) => a - b
  private def runningCount(values: Seq[Int], state: Option[Int]): Option[Int] = {
    val total = state.getOrElse(0) + values.sum
    if (total > 6) None else Some(total)
  }

  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "order_word_count" -> { c => c.stream[String]().flatMap(_.split(" ")).map(w => (w, 1)).reduceByKey(add).print(200) },
    "order_word_count_growth" -> { c => c.stream[String]().map(w => (w, 1)).reduceByKey(add, 4).print(500) },
    "order_hash_collisions" -> { c => c.stream[String]().map(w => (w, 1)).reduceByKey(add).print(100) },
    "order_count_by_value" -> { c => c.stream[String]().countByValue().print(200) },
    "order_group_by_key" -> { c => c.stream[(String, Int)]().groupByKey().print(100) },
    "order_combine_by_key" -> { c =>
      c.stream[(String, Int)]()
        .combineByKey((v: Int) => (v, 1), (a: (Int, Int), v: Int) => (a._1 + v, a._2 + 1), (a: (Int, Int), b: (Int, Int)) => (a._1 + b._1, a._2 + b._2), new org.apache.spark.HashPartitioner(2))
        .print(100)
    },
    "order_join" -> { c => c.stream[(String, Int)](0).join(c.stream[(String, String)](1)).print(200) },
    "order_left_outer_join" -> { c => c.stream[(String, Int)](0).leftOuterJoin(c.stream[(String, String)](1)).print(200) },
    "order_right_outer_join" -> { c => c.stream[(String, Int)](0).rightOuterJoin(c.stream[(String, String)](1)).print(200) },
    "order_full_outer_join" -> { c => c.stream[(String, Int)](0).fullOuterJoin(c.stream[(String, String)](1)).print(200) },
    "order_cogroup" -> { c =>
      c.stream[(String, Int)](0).cogroup(c.stream[(String, String)](1)).mapValues { case (vs, ws) => (vs.sum, ws.size) }.print(200)
    },
    "order_distinct" -> { c => c.stream[String]().transform((rdd: RDD[String]) => rdd.distinct()).print(200) },
    "order_distinct_3" -> { c => c.stream[String]().transform((rdd: RDD[String]) => rdd.distinct(3)).print(200) },
    "order_int_keys" -> { c => c.stream[(Int, Int)]().reduceByKey(add).print(400) },
    "order_tuple_keys" -> { c => c.stream[String]().map(w => ((w, w.length), 1)).reduceByKey(add).print(200) },
    "order_unicode_keys" -> { c => c.stream[String]().countByValue().print(100) },
    "order_float_keys" -> { c => c.stream[Double]().countByValue().print(100) },
    "order_long_keys" -> { c => c.stream[Long]().countByValue().print(100) },
    "order_null_keys" -> { c => c.stream[(String, Int)]().reduceByKey(add).print(100) },
    "order_window_words" -> { c => c.stream[String]().map(w => (w, 1)).reduceByKeyAndWindow(add, Seconds(3), Seconds(1)).print(200) },
    "order_window_words_inverse_small" -> { c =>
      c.stream[String]().map(w => (w, 1)).reduceByKeyAndWindow(add, sub, Seconds(3), Seconds(1)).print(200)
    },
    "order_window_words_inverse_large" -> { c =>
      c.stream[String]().map(w => (w, 1)).reduceByKeyAndWindow(add, sub, Seconds(5), Seconds(1)).print(200)
    },
    "order_count_by_value_and_window_words" -> { c => c.stream[String]().countByValueAndWindow(Seconds(3), Seconds(1)).print(200) },
    "order_group_by_key_and_window_words" -> { c => c.stream[(String, Int)]().groupByKeyAndWindow(Seconds(2), Seconds(1)).print(200) },
    "order_group_by_key_and_window_long" -> { c => c.stream[(String, Int)]().groupByKeyAndWindow(Seconds(5), Seconds(1)).print(200) },
    "order_update_state_words" -> { c => c.stream[String]().map(w => (w, 1)).updateStateByKey(runningCount _).print(200) },
    "order_update_state_initial" -> { c =>
      val initial = c.rdds[(String, Int)](1).head
      c.stream[String](0).map(w => (w, 1))
        .updateStateByKey((vs: Seq[Int], s: Option[Int]) => Some(s.getOrElse(0) + vs.sum), new org.apache.spark.HashPartitioner(2), initial)
        .print(200)
    },
    "order_transform_with_join_default" -> { c =>
      c.stream[(String, Int)](0).transformWith(c.stream[(String, String)](1), (a: RDD[(String, Int)], b: RDD[(String, String)]) => a.join(b)).print(200)
    }
  )
}
