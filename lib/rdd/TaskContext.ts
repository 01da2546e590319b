/** What a running task knows about itself: Spark's `TaskContext`. */
export class TaskContext {
  constructor(
    readonly stageId: number,
    readonly partitionId: number,
    /** 0 for the first attempt, as Spark's `attemptNumber()`. */
    readonly attemptNumber: number,
  ) {}
}
