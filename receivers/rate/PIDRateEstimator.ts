import { requireThat } from '../../lib/core/errors';
import type { RateEstimator } from './RateEstimator';

/**
 * A PID controller of the ingestion rate: Spark's `PIDRateEstimator` (`scheduler/rate/PIDRateEstimator.scala`).
 * The error is the difference between the last rate and the rate the batch was processed at; the integral term is
 * the backlog (scheduling delay × processing rate / batch interval). The first valid batch only seeds the state and
 * gives no estimate; the rate never goes below `minRate`.
 */
export class PIDRateEstimator implements RateEstimator {
  private firstRun = true;
  private latestTime = -1;
  private latestRate = -1;
  private latestError = -1;

  constructor(
    readonly batchIntervalMillis: number,
    readonly proportional: number,
    readonly integral: number,
    readonly derivative: number,
    readonly minRate: number,
  ) {
    requireThat(batchIntervalMillis > 0, `Specified batch interval ${batchIntervalMillis} in PIDRateEstimator is invalid.`);
    requireThat(proportional >= 0, `Proportional term ${proportional} in PIDRateEstimator should be >= 0.`);
    requireThat(integral >= 0, `Integral term ${integral} in PIDRateEstimator should be >= 0.`);
    requireThat(derivative >= 0, `Derivative term ${derivative} in PIDRateEstimator should be >= 0.`);
    requireThat(minRate > 0, 'Minimum rate in PIDRateEstimator should be > 0');
  }

  compute(time: number, numElements: number, processingDelay: number, schedulingDelay: number): number | undefined {
    if (!(time > this.latestTime && numElements > 0 && processingDelay > 0)) return undefined;
    const delaySinceUpdate = (time - this.latestTime) / 1000;
    const processingRate = (numElements / processingDelay) * 1000;
    const error = this.latestRate - processingRate;
    const historicalError = (schedulingDelay * processingRate) / this.batchIntervalMillis;
    const dError = (error - this.latestError) / delaySinceUpdate;
    const newRate = Math.max(
      this.latestRate - this.proportional * error - this.integral * historicalError - this.derivative * dError,
      this.minRate,
    );
    this.latestTime = time;
    if (this.firstRun) {
      this.latestRate = processingRate;
      this.latestError = 0;
      this.firstRun = false;
      return undefined;
    }
    this.latestRate = newRate;
    this.latestError = error;
    return newRate;
  }
}
