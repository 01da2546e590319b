package org.apache.spark.streaming.fidelity

object Formats extends ProgramSet {
  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "floats_repr" -> { c => c.stream[Any]().print() },
    "float_arithmetic" -> { c =>
      val s = c.stream[Int]()
      s.map(_ / 3.0).print()
      s.map(_ * 1e-6).print()
      s.map(_ => 0.1).reduce(_ + _).print()
    },
    "long_values" -> { c => c.stream[Long]().map(x => (x, x * 2)).print() },
    "bigint_values" -> { c => c.stream[BigInt]().map(x => (x, x * x)).print() },
    "booleans_none" -> { c => c.stream[Any]().print() },
    "tuples_nested" -> { c => c.stream[Any]().print() },
    "dicts" -> { c => c.stream[Any]().print() },
    "unicode_text" -> { c => c.stream[Any]().print() },
    "unicode_escapes" -> { c => c.stream[Any]().print() },
    "string_quotes" -> { c => c.stream[Any]().print() },
    "top_level_strings" -> { c => c.stream[Any]().print() }
  )
}
