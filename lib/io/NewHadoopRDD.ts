import type { Dependency } from '../rdd/Dependency';
import type { Partition } from '../rdd/Partition';
import { RDD } from '../rdd/RDD';
import type { ComputeResult, Sink } from '../rdd/Sink';
import type { SparkContext } from '../rdd/SparkContext';
import { FileReadException, InvalidInputException } from './FileInputErrors';
import { getFileStatusSync, isNotFound } from './FileStatus';
import type { InputFormat } from './InputFormat';

/** A file to read, with its length when the caller already listed it. */
export interface FileSpec {
  readonly path: string;
  readonly length?: number;
}

class FilePartition implements Partition {
  constructor(
    readonly index: number,
    readonly path: string,
    readonly length: number,
  ) {}
}

/**
 * Records of files read through an {@link InputFormat}: Spark's `NewHadoopRDD` (what `newAPIHadoopFile`,
 * `textFile` and the file streams build). One partition per non-empty file (Hadoop makes no split for an empty
 * file, so an RDD over one empty file has no partitions, which is how the file stream notices empty files).
 * The partitions are read asynchronously with `fs.promises`, chunk by chunk.
 *
 * `files` may be a function: it is called once, when the partitions are first needed (Spark lists input paths
 * lazily too, so a missing path fails the first action, not the RDD's creation).
 */
export class NewHadoopRDD<T> extends RDD<T> {
  constructor(
    sc: SparkContext,
    private readonly files: readonly FileSpec[] | (() => readonly FileSpec[]),
    readonly format: InputFormat<T>,
    /** The stream or operation reading, for error messages (`File stream [0]`, `textFile`). */
    readonly source: string,
    creationSite = 'newAPIHadoopFile',
  ) {
    super(sc, creationSite);
  }

  protected getPartitions(): Partition[] {
    const files = typeof this.files === 'function' ? this.files() : this.files;
    const out: Partition[] = [];
    for (const f of files) {
      let length = f.length;
      if (length === undefined) {
        try {
          length = getFileStatusSync(f.path).length;
        } catch (e) {
          if (isNotFound(e)) throw new InvalidInputException(f.path, this.source);
          throw new FileReadException(f.path, this.source, e);
        }
      }
      if (length > 0) out.push(new FilePartition(out.length, f.path, length));
    }
    return out;
  }

  getDependencies(): Dependency[] {
    return [];
  }

  compute(split: Partition, _context: unknown, sink: Sink<T>): ComputeResult {
    const file = (split as FilePartition).path;
    return this.format.read(file, sink, this.source).catch((e: unknown) => {
      // I/O errors get the file and the source; format errors already name them, and errors thrown by the
      // operators fused downstream (user functions) pass through unchanged.
      throw isFsError(e) ? new FileReadException(file, this.source, e) : e;
    });
  }
}

function isFsError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException | null)?.syscall === 'string';
}
