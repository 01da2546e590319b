import { SparkException } from '../core/errors';

/** `saveAsTextFile` into a folder that exists (with output-spec validation on): Hadoop's `FileAlreadyExistsException`. */
export class FileAlreadyExistsException extends SparkException {
  constructor(readonly path: string) {
    super(`Output directory file:${path} already exists`);
  }
}
