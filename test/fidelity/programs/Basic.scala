package org.apache.spark.streaming.fidelity

object Basic extends ProgramSet {
  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "map_numbers" -> { c => c.stream[Int]().map(_ * 2).print() },
    "flat_map_words" -> { c => c.stream[String]().flatMap(_.split(" ")).print() },
    "filter_even" -> { c => c.stream[Int]().filter(_ % 2 == 0).print() },
    "glom_sizes" -> { c => c.stream[Int]().glom().map(_.length).print() },
    "map_partitions_sum" -> { c => c.stream[Int]().mapPartitions(it => Iterator(it.sum)).print() },
    "repartition_count" -> { c => c.stream[Int]().repartition(3).count().print() },
    "count_per_batch" -> { c => c.stream[Int]().count().print() },
    "reduce_sum" -> { c => c.stream[Int]().reduce(_ + _).print() },
    "union_streams" -> { c => c.stream[Int](0).union(c.stream[Int](1)).print() },
    "transform_sort" -> { c => c.stream[Int]().transform(_.sortBy(x => x)).print() },
    "transform_time" -> { c => c.stream[String]().transform((rdd, t) => rdd.map(x => (x, t.milliseconds / 1000))).print() },
    "transform_with_union" -> { c =>
      c.stream[Int](0).transformWith(c.stream[Int](1), (a: org.apache.spark.rdd.RDD[Int], b: org.apache.spark.rdd.RDD[Int]) => a.union(b).map(_ + 1)).print()
    },
    "empty_batches" -> { c => c.stream[Int]().print() }
  )
}
