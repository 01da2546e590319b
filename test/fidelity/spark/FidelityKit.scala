// The Scala side of the fidelity programs (see test/fidelity/README.md). A topic file is an object extending
// ProgramSet whose `programs` pairs each program's name (an entry of the topic's .json file) with its body.
package org.apache.spark.streaming.fidelity

import scala.collection.JavaConverters._
import scala.collection.mutable
import scala.reflect.ClassTag

import com.fasterxml.jackson.databind.JsonNode

import org.apache.spark.SparkContext
import org.apache.spark.rdd.RDD
import org.apache.spark.streaming.StreamingContext
import org.apache.spark.streaming.dstream.InputDStream

trait ProgramSet {
  def programs: Seq[(String, Ctx => Unit)]
}

/** What a program gets: the contexts and its inputs (input i = the i-th entry of the program's "inputs"). */
class Ctx(val ssc: StreamingContext, val sc: SparkContext, val spec: JsonNode) {
  val flavor = "scala"

  private def input(i: Int): JsonNode = spec.get("inputs").get(i)

  def partitions(i: Int = 0): Int = if (input(i).has("partitions")) input(i).get("partitions").intValue else 2

  /** Input i's batches as sequences of records (arrays are tuples; see Json.decode). */
  def batches[T](i: Int = 0): Seq[Seq[T]] =
    input(i).get("batches").elements().asScala.map(Json.decodeBatch(_).asInstanceOf[Seq[T]]).toList

  /** Input i's batches as RDDs of `partitions` slices each. */
  def rdds[T: ClassTag](i: Int = 0): Seq[RDD[T]] = batches[T](i).map(b => sc.makeRDD(b, partitions(i)))

  def queue[T: ClassTag](i: Int = 0): mutable.Queue[RDD[T]] = mutable.Queue(rdds[T](i): _*)

  /** A queueStream of input i's RDDs (Spark's defaults: one at a time, `makeRDD(Seq.empty, 1)` once drained). */
  def stream[T: ClassTag](i: Int = 0): InputDStream[T] = ssc.queueStream(queue[T](i))
}

object Json {
  /** A JSON record as the Scala value it stands for: arrays are tuples, tagged objects are Long/BigInt/Double/List/Map. */
  def decode(n: JsonNode): Any = {
    if (n.isNull) null
    else if (n.isArray) tuple(n.elements().asScala.map(decode).toSeq)
    else if (n.isObject) {
      if (n.has("$long")) n.get("$long").asText.toLong
      else if (n.has("$bigint")) BigInt(n.get("$bigint").asText)
      else if (n.has("$float")) n.get("$float").asText match {
        case "nan" => Double.NaN
        case "inf" => Double.PositiveInfinity
        case "-inf" => Double.NegativeInfinity
        case s => s.toDouble
      }
      else if (n.has("$list")) n.get("$list").elements().asScala.map(decode).toList
      else if (n.has("$map")) n.get("$map").elements().asScala.map(kv => decode(kv.get(0)) -> decode(kv.get(1))).toMap
      else throw new IllegalArgumentException(s"unknown tagged value $n")
    }
    else if (n.isInt) n.intValue
    else if (n.isLong) n.longValue
    else if (n.isBigInteger) BigInt(n.bigIntegerValue)
    else if (n.isNumber) n.doubleValue
    else if (n.isBoolean) n.booleanValue
    else n.textValue
  }

  def decodeBatch(b: JsonNode): Seq[Any] =
    if (b.isObject && b.has("range")) (b.get("range").get(0).intValue until b.get("range").get(1).intValue).toList
    else b.elements().asScala.map(decode).toList

  private def tuple(xs: Seq[Any]): Any = {
    val cls = Class.forName(s"scala.Tuple${xs.length}")
    cls.getConstructors()(0).newInstance(xs.map(_.asInstanceOf[AnyRef]): _*)
  }
}
