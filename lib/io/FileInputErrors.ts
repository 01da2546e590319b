import { errorMessage, IllegalArgumentException, SparkException } from '../core/errors';

/** Hadoop's `InvalidInputException`: an input path (or glob) that matches nothing. */
export class InvalidInputException extends SparkException {
  constructor(
    readonly inputPath: string,
    readonly source: string,
    detail = 'Input path does not exist',
  ) {
    super(`${detail}: ${inputPath} (${source})`);
  }
}

/** A file that could not be read while computing a partition (deleted, unreadable, ...). */
export class FileReadException extends SparkException {
  constructor(
    readonly file: string,
    readonly source: string,
    cause: unknown,
  ) {
    super(`${source}: error reading ${file}: ${errorMessage(cause)}`, { cause });
  }
}

/**
 * A fixed-length record file whose size is not a multiple of the record length: Spark's `binaryRecordsStream`
 * requirement, with the file, the stream and the offset of the short record added.
 */
export class WrongRecordLengthException extends IllegalArgumentException {
  constructor(
    readonly file: string,
    readonly source: string,
    readonly actualLength: number,
    readonly recordLength: number,
    readonly offset: number,
  ) {
    super(
      `requirement failed: Byte array does not have correct length. ${actualLength} did not equal recordLength: ${recordLength}` +
        ` (file ${file} at byte ${offset}, ${source})`,
    );
  }
}
