import { IllegalArgumentException } from '../lib/core/errors';
import type { WriteAheadLogRecordHandle } from './WriteAheadLog';

/**
 * The handle of a record of a {@link FileBasedWriteAheadLog}: the segment file, the offset of the record's frame
 * and the record's length in bytes. Spark's `FileBasedWriteAheadLogSegment(path, offset, length)`. Plain JSON.
 */
export type FileBasedWriteAheadLogSegment = {
  readonly path: string;
  readonly offset: number;
  readonly length: number;
};

/** Checks that a handle (possibly parsed from JSON) is a file segment, with a clear error if not. */
export function asFileSegment(handle: WriteAheadLogRecordHandle): FileBasedWriteAheadLogSegment {
  const h = handle as Partial<FileBasedWriteAheadLogSegment> | null;
  if (
    h === null ||
    typeof h !== 'object' ||
    typeof h.path !== 'string' ||
    !Number.isSafeInteger(h.offset) ||
    (h.offset as number) < 0 ||
    !Number.isSafeInteger(h.length) ||
    (h.length as number) < 0
  ) {
    throw new IllegalArgumentException(`Not a FileBasedWriteAheadLogSegment handle: ${JSON.stringify(handle)}`);
  }
  return { path: h.path, offset: h.offset as number, length: h.length as number };
}
