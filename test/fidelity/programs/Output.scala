package org.apache.spark.streaming.fidelity

object Output extends ProgramSet {
  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "print_three" -> { c => c.stream[Int]().print(3) },
    "print_eleven" -> { c => c.stream[Int]().print() },
    "print_across_partitions" -> { c => c.stream[Int]().print() },
    "print_zero" -> { c => c.stream[Int]().print(0) },
    "foreach_rdd_lines" -> { c =>
      c.stream[Int]().foreachRDD { rdd =>
        val xs = rdd.collect()
        println(s"count=${xs.length} sum=${xs.sum} first=${xs.headOption.map(_.toString).orNull}")
      }
    },
    "several_outputs" -> { c =>
      val s = c.stream[Int]()
      s.map(_ * 10).print()
      s.filter(_ > 2).print()
    }
  )
}
