package org.apache.spark.streaming.fidelity

import org.apache.spark.streaming.{Seconds, State, StateSpec, Time}

object StatePrograms extends ProgramSet {
  private val runningSum = (vs: Seq[Int], s: Option[Int]) => Some(vs.sum + s.getOrElse(0))

  val programs: Seq[(String, Ctx => Unit)] = Seq(
    "update_state_running_count" -> { c => c.stream[(Int, Int)]().updateStateByKey(runningSum).print() },
    "update_state_removal" -> { c =>
      c.stream[(Int, Int)]().updateStateByKey((vs: Seq[Int], s: Option[Int]) => Some(vs.sum + s.getOrElse(0)).filter(_ <= 3)).print()
    },
    "update_state_initial_rdd" -> { c =>
      val initial = c.rdds[(Int, Int)](1).head
      c.stream[(Int, Int)](0).updateStateByKey(runningSum, new org.apache.spark.HashPartitioner(c.sc.defaultParallelism), initial).print()
    },
    "update_state_strings" -> { c =>
      c.stream[(Int, String)]().updateStateByKey((vs: Seq[String], s: Option[String]) => Some(s.getOrElse("") + vs.mkString)).print()
    },
    "update_state_iterator" -> { c =>
      c.stream[(Int, Int)]().updateStateByKey((it: Iterator[(Int, Seq[Int], Option[Int])]) =>
        it.flatMap { case (k, vs, s) => Some((k, vs.sum + s.getOrElse(0))).filter(_._2 <= 3) },
        new org.apache.spark.HashPartitioner(2), true).print()
    },
    "update_state_time" -> { c =>
      c.stream[(Int, Int)]().updateStateByKey((t: Time, k: Int, vs: Seq[Int], s: Option[Int]) =>
        Some(vs.sum + s.getOrElse(0) + (if (k == 0) (t.milliseconds / 1000).toInt else 0)),
        new org.apache.spark.HashPartitioner(2), true, None).print()
    },
    "update_state_words" -> { c =>
      c.stream[String]().flatMap(_.split(" ")).map(w => (w, 1)).updateStateByKey(runningSum).print()
    },
    "map_with_state_running" -> { c =>
      c.stream[(Int, Int)]().mapWithState(StateSpec.function((k: Int, v: Option[Int], s: State[Int]) => {
        val n = s.getOption.getOrElse(0) + v.getOrElse(0)
        s.update(n)
        (k, n)
      })).print()
    },
    "map_with_state_snapshots" -> { c =>
      c.stream[(Int, Int)]().mapWithState(StateSpec.function((k: Int, v: Option[Int], s: State[Int]) => {
        s.update(s.getOption.getOrElse(0) + v.getOrElse(0))
        k
      })).stateSnapshots().print()
    },
    "map_with_state_initial" -> { c =>
      val spec = StateSpec.function((k: Int, v: Option[Int], s: State[Int]) => {
        val n = s.getOption.getOrElse(0) + v.getOrElse(0)
        s.update(n)
        (k, n)
      }).initialState(c.rdds[(Int, Int)](1).head)
      c.stream[(Int, Int)](0).mapWithState(spec).print()
    },
    "map_with_state_remove" -> { c =>
      c.stream[(Int, Int)]().mapWithState(StateSpec.function((k: Int, v: Option[Int], s: State[Int]) => {
        val n = s.getOption.getOrElse(0) + v.getOrElse(0)
        if (n > 3) s.remove() else s.update(n)
        (k, n, s.exists)
      })).print()
    },
    "map_with_state_timeout" -> { c =>
      c.stream[(Int, Int)]().mapWithState(StateSpec.function((k: Int, v: Option[Int], s: State[Int]) => {
        if (s.isTimingOut) (k, "timed out", s.get)
        else {
          s.update(s.getOption.getOrElse(0) + v.getOrElse(0))
          (k, "now", s.get)
        }
      }).timeout(Seconds(2))).print()
    },
    "map_with_state_time" -> { c =>
      c.stream[(Int, Int)]().mapWithState(StateSpec.function((t: Time, k: Int, v: Option[Int], s: State[Int]) => {
        s.update(v.getOrElse(0))
        if (k == 0) Some((t.milliseconds, k, v.getOrElse(0))) else None
      })).print()
    }
  )
}
