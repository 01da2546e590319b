import { SparkException } from '../lib/core/errors';
import type { StreamId } from '../lib/storage/StreamId';

/** A text line longer than `dstreams.receiver.maxLineBytes`: the line is dropped and reported, receiving goes on. */
export class LineTooLongException extends SparkException {
  constructor(
    readonly streamId: StreamId,
    readonly source: string,
    readonly limitBytes: number,
    readonly lineBytes: number,
  ) {
    super(
      `Stream ${streamId} (${source}): a line of at least ${lineBytes} bytes is longer than the limit of ${limitBytes} bytes ` +
        `(dstreams.receiver.maxLineBytes); the line was dropped`,
    );
  }
}

/** A length-prefixed frame that is too large or not a serialized block (rawSocketStream). */
export class BadFrameException extends SparkException {
  constructor(
    readonly streamId: StreamId,
    readonly source: string,
    readonly reason: string,
  ) {
    super(`Stream ${streamId} (${source}): bad frame: ${reason}`);
  }
}
