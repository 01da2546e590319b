import * as fs from 'node:fs';
import { errorMessage, SparkException } from '../core/errors';
import { getLogger } from '../core/logging';
import { type CheckpointRecord, validateCheckpoint } from './Checkpoint';
import { decodeCheckpoint, getCheckpointFiles } from './CheckpointFile';
import { resolveCheckpointDir } from './CheckpointPath';

const log = getLogger('CheckpointReader');

export interface CheckpointReadResult {
  readonly checkpoint: CheckpointRecord;
  readonly file: string;
  /** Newer files that were skipped, with the reason (corrupt, torn, wrong version, or not usable). */
  readonly skipped: ReadonlyArray<{ file: string; reason: string }>;
}

/**
 * Finds the newest checkpoint that validates: Spark's `CheckpointReader.read`. Newest main file first, then its
 * `.bk`, then older times; a corrupt or torn file is skipped with a warning. No files: undefined. Files but none
 * valid: Spark's `SparkException("Failed to read checkpoint from directory <dir>")`, or undefined with
 * `ignoreReadError`.
 *
 * `usable` (recovery's own check: does the metadata log still have what the checkpoint needs?) returns a reason to
 * pass over a valid checkpoint for an older one; when no valid checkpoint is usable, the newest valid one is
 * returned, and the recovery reports why it cannot proceed from it.
 */
export function readCheckpoint(
  dir: string,
  ignoreReadError = false,
  usable?: (checkpoint: CheckpointRecord, file: string) => string | undefined,
): CheckpointReadResult | undefined {
  const full = resolveCheckpointDir(dir);
  const files = getCheckpointFiles(full).reverse();
  if (files.length === 0) return undefined;
  const skipped: Array<{ file: string; reason: string }> = [];
  let newestValid: CheckpointReadResult | undefined;
  let lastError: unknown;
  for (const f of files) {
    let checkpoint: CheckpointRecord;
    try {
      checkpoint = validateCheckpoint(f.path, decodeCheckpoint(f.path, fs.readFileSync(f.path)));
    } catch (e) {
      lastError = e;
      skipped.push({ file: f.path, reason: errorMessage(e) });
      log.warn({ file: f.path, err: e }, `Error reading checkpoint from file ${f.path}`);
      continue;
    }
    const result = { checkpoint, file: f.path, skipped: [...skipped] };
    newestValid ??= result;
    const unusable = usable?.(checkpoint, f.path);
    if (unusable !== undefined) {
      skipped.push({ file: f.path, reason: unusable });
      log.warn({ file: f.path, reason: unusable }, `Not recovering from ${f.path}: ${unusable}; trying an older checkpoint`);
      continue;
    }
    if (skipped.length > 0) log.warn({ dir: full, used: f.name, skipped }, `Recovering from ${f.name}; newer checkpoint files were not valid or not usable`);
    return result;
  }
  if (newestValid) {
    log.warn({ dir: full, file: newestValid.file }, `No checkpoint in ${full} is usable; trying the newest valid one, ${newestValid.file}`);
    return newestValid;
  }
  if (ignoreReadError) return undefined;
  throw new SparkException(`Failed to read checkpoint from directory ${full}: ${skipped.map((s) => s.reason).join('; ')}`, { cause: lastError });
}
