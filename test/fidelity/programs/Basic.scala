package org.apache.spark.streaming.fidelity

import org.apache.spark.rdd.RDD
import org.apache.spark.streaming.Time

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
      c.stream[Int](0).transformWith(c.stream[Int](1), (a: RDD[Int], b: RDD[Int]) => a.union(b).map(_ + 1)).print()
    },
    "empty_batches" -> { c => c.stream[Int]().print() },
    "ssc_union" -> { c => c.ssc.union(Seq(c.stream[Int](0), c.stream[Int](1), c.stream[Int](2))).print() },
    "ssc_transform" -> { c =>
      c.ssc.transform(Seq(c.stream[Int](0), c.stream[Int](1)), (rdds: Seq[RDD[_]], t: Time) =>
        rdds(0).asInstanceOf[RDD[Int]].union(rdds(1).asInstanceOf[RDD[Int]]).map(_ * 2)).print()
    }
  )
}
