import { DStreamsError } from '../core/errors';

/**
 * The UI could not listen: every port from `firstPort` on was taken (Spark's "Service 'SparkUI' failed after 16
 * retries"), or the address cannot be bound.
 */
export class UIBindException extends DStreamsError {
  constructor(
    readonly host: string,
    readonly firstPort: number,
    readonly lastPort: number,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(
      `Failed to bind the streaming UI to ${host}:${lastPort}: service 'StreamingUI' failed after ${attempts} attempt(s) (starting from port ${firstPort}): ${
        (cause as Error)?.message ?? String(cause)
      }. Set dstreams.ui.port to a free port (0 = any), or raise spark.port.maxRetries.`,
      { cause },
    );
  }
}
