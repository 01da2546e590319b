import { InputDStream, type RDD, type StreamingContext, type Time, streamInputInfo } from '../../lib';

/**
 * Spark's TestInputStream: at batch time t, emits `input[(t - zero) / slide - 1]` as an RDD of `numPartitions`
 * (an empty RDD past the end). Its data depends only on the batch time, so it survives a restart like a replayable
 * source.
 */
export class TestInputStream<T> extends InputDStream<T> {
  constructor(ssc: StreamingContext, private readonly input: readonly (readonly T[])[], private readonly numPartitions = 2) {
    super(ssc, 'testInputStream');
  }
  start(): void {}
  stop(): void {}
  compute(validTime: Time): RDD<T> {
    const i = validTime.minus(this.zeroTime!).milliseconds / this.slideDuration.milliseconds - 1;
    const data = i < this.input.length ? [...this.input[i]] : [];
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, streamInputInfo(this.id, data.length));
    return this.ssc.sparkContext.makeRDD(data, this.numPartitions);
  }
}
