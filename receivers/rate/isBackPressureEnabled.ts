import type { SparkConf } from '../../lib/core/SparkConf';
import { StreamingConf } from '../../lib/core/StreamingConf';

/** Spark's `RateController.isBackPressureEnabled(conf)`: `spark.streaming.backpressure.enabled`. */
export function isBackPressureEnabled(conf: SparkConf): boolean {
  return StreamingConf.BACKPRESSURE_ENABLED.read(conf);
}
