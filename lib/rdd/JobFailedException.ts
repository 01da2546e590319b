import { errorMessage, SparkException } from '../core/errors';

/**
 * An action failed because one of its tasks failed on every attempt: Spark's "Job aborted due to stage failure".
 * Names the RDD, the partition, the attempts and the cause.
 */
export class JobFailedException extends SparkException {
  constructor(
    readonly stageId: number,
    readonly rddDescription: string,
    readonly partition: number,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(
      `Job aborted due to stage failure: Task ${partition} in stage ${stageId}.0 (${rddDescription}) failed ${attempts} ` +
        `time${attempts === 1 ? '' : 's'}, most recent failure: Lost task ${partition}.${attempts - 1} in stage ` +
        `${stageId}.0: ${cause instanceof Error ? cause.name : 'Error'}: ${errorMessage(cause)}`,
      { cause },
    );
  }
}
