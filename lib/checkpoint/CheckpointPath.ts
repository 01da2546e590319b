import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IllegalArgumentException } from '../core/errors';

/** A checkpoint folder dstreams cannot use: an empty path, or a URI of a file system other than the local one. */
export class CheckpointPathError extends IllegalArgumentException {
  constructor(
    readonly given: string,
    readonly reason: string,
  ) {
    super(`Invalid checkpoint directory '${given}': ${reason}. dstreams checkpoints to the local file system: give a local path (absolute, or relative to the working folder) or a file:// URI`);
  }
}

/** `scheme:` at the start; one letter is a Windows drive (`C:\...`), not a scheme. */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

/**
 * The absolute local folder a checkpoint path names (Spark takes any Hadoop file system URI). A `file:` URI
 * (`file:///x`, `file:/x`, `file://localhost/x`) is its local path; an empty path and any other scheme (`hdfs://`,
 * `s3a://`, ...) are a {@link CheckpointPathError}, where `path.resolve` would quietly make a folder named `hdfs:`.
 */
export function resolveCheckpointDir(given: string): string {
  if (typeof given !== 'string' || given.trim() === '') throw new CheckpointPathError(String(given), 'the path is empty');
  const scheme = SCHEME.exec(given)?.[1].toLowerCase();
  if (scheme === undefined) return path.resolve(given);
  if (scheme !== 'file') throw new CheckpointPathError(given, `the ${scheme}: scheme is not supported`);
  if (given[5] !== '/') throw new CheckpointPathError(given, 'a file URI names an absolute path (file:///path/to/folder)');
  let url: URL;
  try {
    url = new URL(given);
  } catch (e) {
    throw new CheckpointPathError(given, `not a valid file URI (${(e as Error).message})`);
  }
  if (url.search !== '' || url.hash !== '') throw new CheckpointPathError(given, 'a file URI with a query or fragment names no folder');
  try {
    return path.resolve(fileURLToPath(url));
  } catch (e) {
    // e.g. file://otherhost/x: a remote host is not the local file system.
    throw new CheckpointPathError(given, (e as Error).message);
  }
}
