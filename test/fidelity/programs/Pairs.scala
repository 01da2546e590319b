package org.apache.spark.streaming.fidelity

object Pairs extends ProgramSet {
  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "map_values" -> { c => c.stream[(String, Int)]().mapValues(_ * 10).print() },
    "flat_map_values" -> { c => c.stream[(String, String)]().flatMapValues(v => if (v.isEmpty) Nil else v.split(" ").toList).print() },
    "reduce_by_key_int_keys" -> { c => c.stream[(Int, Int)]().reduceByKey(_ + _).print() },
    "reduce_by_key_words" -> { c => c.stream[String]().flatMap(_.split(" ")).map(w => (w, 1)).reduceByKey(_ + _).print() },
    "reduce_by_key_partitions" -> { c => c.stream[(Int, Int)]().reduceByKey(_ + _, 4).print() },
    "group_by_key_int_keys" -> { c => c.stream[(Int, Int)]().groupByKey().print() },
    "group_by_key_words" -> { c => c.stream[(String, Int)]().groupByKey().print() },
    "combine_by_key_average" -> { c =>
      c.stream[(Int, Int)]()
        .combineByKey[(Int, Int)](v => (v, 1), (acc, v) => (acc._1 + v, acc._2 + 1), (a, b) => (a._1 + b._1, a._2 + b._2),
          new org.apache.spark.HashPartitioner(c.sc.defaultParallelism))
        .mapValues { case (s, n) => s.toDouble / n }
        .print()
    },
    "count_by_value_ints" -> { c => c.stream[Int]().countByValue().print() },
    "count_by_value_words" -> { c => c.stream[String]().countByValue().print() },
    "join_int_keys" -> { c => c.stream[(Int, String)](0).join(c.stream[(Int, String)](1)).print() },
    "join_words" -> { c => c.stream[(String, Int)](0).join(c.stream[(String, String)](1)).print() },
    "left_outer_join_int_keys" -> { c => c.stream[(Int, String)](0).leftOuterJoin(c.stream[(Int, String)](1)).print() },
    "right_outer_join_int_keys" -> { c => c.stream[(Int, String)](0).rightOuterJoin(c.stream[(Int, String)](1)).print() },
    "full_outer_join_int_keys" -> { c => c.stream[(Int, String)](0).fullOuterJoin(c.stream[(Int, String)](1)).print() },
    "cogroup_int_keys" -> { c => c.stream[(Int, String)](0).cogroup(c.stream[(Int, String)](1)).print() },
    "distinct_words" -> { c => c.stream[String]().transform(_.distinct()).print() }
  )
}
