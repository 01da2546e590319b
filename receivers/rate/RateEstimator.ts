import type { Duration } from '../../lib/core/Duration';
import { IllegalArgumentException } from '../../lib/core/errors';
import type { SparkConf } from '../../lib/core/SparkConf';
import { StreamingConf } from '../../lib/core/StreamingConf';
import { PIDRateEstimator } from './PIDRateEstimator';

/**
 * Computes the rate (records per second) a stream should ingest at, from the statistics of a completed batch:
 * Spark's `RateEstimator` trait (`scheduler/rate/RateEstimator.scala`).
 */
export interface RateEstimator {
  /**
   * @param time batch processing end time (ms)
   * @param elements records the batch processed
   * @param processingDelay ms the batch's jobs took
   * @param schedulingDelay ms the batch waited before its jobs started
   * @returns the new rate, or undefined (Spark's `None`) when there is no estimate
   */
  compute(time: number, elements: number, processingDelay: number, schedulingDelay: number): number | undefined;
}

/** Spark's `RateEstimator.create`: the estimator named by `spark.streaming.backpressure.rateEstimator`. */
export function createRateEstimator(conf: SparkConf, batchInterval: Duration): RateEstimator {
  const name = StreamingConf.BACKPRESSURE_RATE_ESTIMATOR.read(conf);
  if (name !== 'pid') throw new IllegalArgumentException(`Unknown rate estimator: ${name}`);
  return new PIDRateEstimator(
    batchInterval.milliseconds,
    StreamingConf.BACKPRESSURE_PID_PROPORTIONAL.read(conf),
    StreamingConf.BACKPRESSURE_PID_INTEGRAL.read(conf),
    StreamingConf.BACKPRESSURE_PID_DERIVED.read(conf),
    StreamingConf.BACKPRESSURE_PID_MIN_RATE.read(conf),
  );
}
