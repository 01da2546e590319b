/**
 * File input on {@link SparkContext} (Spark's `textFile`, `binaryRecords`, `newAPIHadoopFile`), added to the class
 * by declaration merging so that the RDD engine does not depend on file formats.
 */
import * as path from 'node:path';
import { SparkContext } from '../rdd/SparkContext';
import type { RDD } from '../rdd/RDD';
import { FixedLengthBinaryInputFormat } from './FixedLengthBinaryInputFormat';
import { InvalidInputException } from './FileInputErrors';
import { listStatusSync } from './FileStatus';
import { globStatusSync, hasGlob } from './GlobPattern';
import type { InputFormat } from './InputFormat';
import { type FileSpec, NewHadoopRDD } from './NewHadoopRDD';
import { TextInputFormat } from './TextInputFormat';

declare module '../rdd/SparkContext' {
  interface SparkContext {
    /**
     * Spark's `textFile(path, minPartitions)`: the lines of a file, of the files in a folder, of a glob's matches,
     * or of a comma-separated list of those. One partition per non-empty file (`minPartitions` is accepted for
     * Spark compatibility and ignored). Names starting with `_` or `.` inside a folder are skipped, as Hadoop does.
     */
    textFile(path: string, minPartitions?: number): RDD<string>;
    /** Spark's `binaryRecords(path, recordLength)`: fixed-length records as Buffers. */
    binaryRecords(path: string, recordLength: number): RDD<Buffer>;
    /** Spark's `newAPIHadoopFile(path, inputFormatClass, ...)`, with the format as an object. */
    newAPIHadoopFile<T>(path: string, format: InputFormat<T>): RDD<T>;
  }
}

/** Hadoop's `FileInputFormat.hiddenFileFilter`. */
function notHidden(p: string): boolean {
  const name = path.basename(p);
  return !name.startsWith('_') && !name.startsWith('.');
}

/** The files named by a Hadoop-style input path list (files, folders, globs, comma-separated). */
export function resolveInputFiles(inputPaths: string, source: string): FileSpec[] {
  const out: FileSpec[] = [];
  for (const p of inputPaths.split(',')) {
    if (p.trim() === '') continue;
    const { statuses } = globStatusSync(p);
    const matched = hasGlob(p) ? statuses.filter((s) => notHidden(s.path)) : statuses;
    if (matched.length === 0) {
      throw new InvalidInputException(p, source, hasGlob(p) ? 'Input Pattern matches 0 files' : 'Input path does not exist');
    }
    for (const s of matched) {
      if (!s.isDirectory) {
        out.push({ path: s.path, length: s.length });
        continue;
      }
      const inside = listStatusSync(s.path, notHidden).filter((f) => !f.isDirectory);
      inside.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const f of inside) out.push({ path: f.path, length: f.length });
    }
  }
  return out;
}

SparkContext.prototype.newAPIHadoopFile = function <T>(this: SparkContext, inputPath: string, format: InputFormat<T>): RDD<T> {
  return new NewHadoopRDD(this, () => resolveInputFiles(inputPath, `newAPIHadoopFile(${inputPath})`), format, `newAPIHadoopFile(${inputPath})`);
};

SparkContext.prototype.textFile = function (this: SparkContext, inputPath: string): RDD<string> {
  const source = `textFile(${inputPath})`;
  return new NewHadoopRDD(this, () => resolveInputFiles(inputPath, source), new TextInputFormat(), source, 'textFile').setName(inputPath);
};

SparkContext.prototype.binaryRecords = function (this: SparkContext, inputPath: string, recordLength: number): RDD<Buffer> {
  const source = `binaryRecords(${inputPath})`;
  return new NewHadoopRDD(this, () => resolveInputFiles(inputPath, source), new FixedLengthBinaryInputFormat(recordLength), source, 'binaryRecords');
};
