import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage, SparkException } from '../core/errors';
import { getLogger } from '../core/logging';
import { type CheckpointRecord, validateCheckpoint } from './Checkpoint';
import { decodeCheckpoint, getCheckpointFiles } from './CheckpointFile';

const log = getLogger('CheckpointReader');

export interface CheckpointReadResult {
  readonly checkpoint: CheckpointRecord;
  readonly file: string;
  /** Newer files that were skipped, with the reason (corrupt, torn, wrong version). */
  readonly skipped: ReadonlyArray<{ file: string; reason: string }>;
}

/**
 * Finds the newest checkpoint that validates: Spark's `CheckpointReader.read`. Newest main file first, then its
 * `.bk`, then older times; a corrupt or torn file is skipped with a warning. No files: undefined. Files but none
 * valid: Spark's `SparkException("Failed to read checkpoint from directory <dir>")`, or undefined with
 * `ignoreReadError`.
 */
export function readCheckpoint(dir: string, ignoreReadError = false): CheckpointReadResult | undefined {
  const full = path.resolve(dir);
  const files = getCheckpointFiles(full).reverse();
  if (files.length === 0) return undefined;
  const skipped: Array<{ file: string; reason: string }> = [];
  let lastError: unknown;
  for (const f of files) {
    try {
      const checkpoint = validateCheckpoint(f.path, decodeCheckpoint(f.path, fs.readFileSync(f.path)));
      if (skipped.length > 0) {
        log.warn({ dir: full, used: f.name, skipped }, `Recovering from ${f.name}; newer checkpoint files were not valid`);
      }
      return { checkpoint, file: f.path, skipped };
    } catch (e) {
      lastError = e;
      skipped.push({ file: f.path, reason: errorMessage(e) });
      log.warn({ file: f.path, err: e }, `Error reading checkpoint from file ${f.path}`);
    }
  }
  if (ignoreReadError) return undefined;
  throw new SparkException(`Failed to read checkpoint from directory ${full}: ${skipped.map((s) => s.reason).join('; ')}`, { cause: lastError });
}
