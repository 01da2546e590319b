import * as path from 'node:path';
import { Duration } from '../../core/Duration';
import { errorMessage, IllegalArgumentException, requireThat } from '../../core/errors';
import { getLogger } from '../../core/logging';
import { StreamingConf } from '../../core/StreamingConf';
import type { Time } from '../../core/Time';
import { type FileStatus, listStatus, listStatusSync } from '../../io/FileStatus';
import { globStatus, globStatusSync, type GlobResult, normalizeInputPath } from '../../io/GlobPattern';
import type { InputFormat } from '../../io/InputFormat';
import { NewHadoopRDD } from '../../io/NewHadoopRDD';
import type { RDD } from '../../rdd/RDD';
import { METADATA_KEY_DESCRIPTION, streamInputInfo } from '../../scheduler/StreamInputInfo';
import type { StreamingContext } from '../StreamingContext';
import { InputDStream } from './InputDStream';

const log = getLogger('FileInputDStream');

/** Decides whether a file (given its full path) may be read; Spark's `Path => Boolean`. */
export type PathFilter = (filePath: string) => boolean;

/** Spark's `FileInputDStream.defaultFilter`: rejects names starting with `.` (files being written, editor temp files). */
export function defaultFilter(filePath: string): boolean {
  return !path.basename(filePath).startsWith('.');
}

/** Spark's `calculateNumBatchesToRemember`: enough batches to cover the minimum remember duration. */
export function calculateNumBatchesToRemember(batchDuration: Duration, minRememberDuration: Duration): number {
  return Math.ceil(minRememberDuration.milliseconds / batchDuration.milliseconds);
}

/**
 * A file stream's checkpoint data (Spark's `FileInputDStreamCheckpointData`), plain JSON: the files each remembered
 * batch read, and the stream's initial modification-time threshold. The threshold is part of it because Spark
 * deserializes the whole stream, threshold included, while dstreams rebuilds the stream with the program's
 * `create()`: without it a restarted `newFilesOnly` stream would ignore files written while it was down.
 */
export interface FileInputDStreamCheckpointData {
  /** `[batchTimeMs, files]` for every remembered batch, oldest first. */
  readonly batchTimeToSelectedFiles: ReadonlyArray<readonly [number, readonly string[]]>;
  readonly initialModTimeIgnoreThreshold: number;
}

/** A listing made ahead of a batch by `prepareForBatch`, consumed by `compute`. */
interface PreparedListing {
  readonly time: number;
  readonly statuses: readonly FileStatus[];
}

/**
 * New files in a folder (or in the folders a glob matches) become each batch's input: Spark's `FileInputDStream`.
 *
 * Spark's selection rule, for batch time `t`: a file directly inside a monitored folder is read in batch `t` iff it
 * passes `filter`, its modification time is `> max(initialModTimeIgnoreThreshold, t - durationToRemember)` (strict,
 * SPARK-4518) and `<= t`, and it was not already selected within the remembered window. `initialModTimeIgnoreThreshold`
 * is the clock time at creation with `newFilesOnly`, else 0; `durationToRemember` is the smallest multiple of the
 * batch duration covering `spark.streaming.fileStream.minRememberDuration` (default 60 s).
 *
 * The folder is listed asynchronously in `prepareForBatch` (the JobGenerator awaits it before generating jobs);
 * `compute` applies the rule and returns the union of one {@link NewHadoopRDD} per selected file. Each batch reports
 * `StreamInputInfo(id, 0, { files, Description })`, as Spark.
 */
export class FileInputDStream<T> extends InputDStream<T> {
  /** The folder (or glob), as an absolute path (a `file:` scheme and a trailing `/` removed). */
  readonly directory: string;
  readonly durationToRemember: Duration;
  /** Files read by each batch still inside the remember window (Spark's `batchTimeToSelectedFiles`). */
  readonly batchTimeToSelectedFiles = new Map<number, string[]>();
  private readonly recentlySelectedFiles = new Set<string>();
  private initialModTimeIgnoreThreshold: number;
  private prepared: PreparedListing | undefined;
  /** The listing problem last warned about, so a missing folder is reported once, not every batch. */
  private listingProblem: string | undefined;

  /**
   * Set by `updateCheckpointData(time)` and read by the checkpoint writer; set by recovery before
   * `restoreCheckpointData()`. Plain JSON.
   */
  checkpointData: FileInputDStreamCheckpointData | undefined;

  constructor(
    ssc: StreamingContext,
    directory: string,
    readonly format: InputFormat<T>,
    readonly pathFilter: PathFilter = defaultFilter,
    readonly newFilesOnly = true,
    creationSite = 'fileStream',
  ) {
    if (typeof directory !== 'string' || directory.trim() === '') {
      throw new IllegalArgumentException(`requirement failed: ${creationSite} needs a directory to monitor, got '${String(directory)}'`);
    }
    super(ssc, creationSite);
    this.directory = normalizeInputPath(directory);
    const minRemember = StreamingConf.FILE_STREAM_MIN_REMEMBER.read(ssc.conf) ?? StreamingConf.MIN_REMEMBER.read(ssc.conf);
    requireThat(minRemember >= 0, `spark.streaming.fileStream.minRememberDuration must not be negative, got ${minRemember} ms`);
    this.durationToRemember = this.slideDuration.times(calculateNumBatchesToRemember(this.slideDuration, new Duration(minRemember)));
    this.initialModTimeIgnoreThreshold = newFilesOnly ? ssc.clock.getTimeMillis() : 0;
    this.remember(this.durationToRemember);
  }

  override get className(): string {
    return 'FileInputDStream';
  }

  start(): void {}
  stop(): void {}

  /** Lists the monitored folders for batch `time` (skipped when the batch's RDD is already known, e.g. restored). */
  override async prepareForBatch(time: Time): Promise<void> {
    this.prepared = undefined;
    if (this.generatedRDDs.has(time.milliseconds) || (this.zeroTime !== undefined && time.lessEq(this.zeroTime))) return;
    const started = this.ssc.clock.getTimeMillis();
    const statuses = await this.listFolders();
    this.warnIfSlow(started);
    this.prepared = { time: time.milliseconds, statuses };
  }

  compute(validTime: Time): RDD<T> {
    const listing = this.prepared?.time === validTime.milliseconds ? this.prepared.statuses : this.listFoldersSync();
    this.prepared = undefined;
    const newFiles = this.findNewFiles(listing, validTime.milliseconds);
    log.info({ stream: this.name, time: String(validTime), files: newFiles.map((f) => f.path) }, `New files at time ${validTime}`);
    const paths = newFiles.map((f) => f.path);
    this.batchTimeToSelectedFiles.set(validTime.milliseconds, paths);
    for (const p of paths) this.recentlySelectedFiles.add(p);
    const rdd = this.filesToRDD(newFiles);
    this.ssc.scheduler.inputInfoTracker.reportInfo(
      validTime,
      streamInputInfo(this.id, 0, { files: [...paths], [METADATA_KEY_DESCRIPTION]: paths.join('\n') }),
    );
    return rdd;
  }

  /** Drops old RDDs, and the selected-file records older than the remember window (Spark's `clearMetadata`). */
  override clearMetadata(time: Time): void {
    super.clearMetadata(time);
    const thresh = time.minus(this.rememberDuration ?? this.durationToRemember).milliseconds;
    const cleared: number[] = [];
    for (const [t, files] of [...this.batchTimeToSelectedFiles]) {
      if (t >= thresh) continue;
      this.batchTimeToSelectedFiles.delete(t);
      for (const f of files) this.recentlySelectedFiles.delete(f);
      cleared.push(t);
    }
    if (cleared.length > 0) log.debug({ stream: this.name, times: cleared }, `Cleared ${cleared.length} old files that were older than ${thresh} ms`);
  }

  override updateCheckpointData(time: Time): void {
    const entries = [...this.batchTimeToSelectedFiles].sort((a, b) => a[0] - b[0]).map(([t, files]) => [t, [...files]] as const);
    this.checkpointData = { batchTimeToSelectedFiles: entries, initialModTimeIgnoreThreshold: this.initialModTimeIgnoreThreshold };
    super.updateCheckpointData(time);
  }

  /**
   * Spark's `FileInputDStreamCheckpointData.restore`: for every checkpointed batch, the files become selected
   * again (so they are not read twice) and the batch's RDD is rebuilt from them (so a re-run batch reads the same
   * files).
   */
  override restoreCheckpointData(): void {
    const data = this.checkpointData;
    if (data !== undefined) {
      const entries = validateCheckpointData(this.name, data);
      this.initialModTimeIgnoreThreshold = data.initialModTimeIgnoreThreshold;
      for (const [t, files] of entries) {
        log.info({ stream: this.name, time: t, files }, `Restoring files for time ${t} ms - [${files.join(', ')}]`);
        this.batchTimeToSelectedFiles.set(t, [...files]);
        for (const f of files) this.recentlySelectedFiles.add(f);
        this.generatedRDDs.set(t, this.filesToRDD(files.map((p) => ({ path: p }))));
      }
    }
    super.restoreCheckpointData();
  }

  /** Whether `file` was selected by a batch still in the remember window. */
  isRecentlySelected(file: string): boolean {
    return this.recentlySelectedFiles.has(file);
  }

  // ---- selection

  private findNewFiles(listing: readonly FileStatus[], currentTime: number): FileStatus[] {
    const modTimeIgnoreThreshold = Math.max(this.initialModTimeIgnoreThreshold, currentTime - this.durationToRemember.milliseconds);
    log.debug({ stream: this.name }, `Getting new files for time ${currentTime}, ignoring files older than ${modTimeIgnoreThreshold}`);
    const out: FileStatus[] = [];
    for (const f of listing) {
      if (f.isDirectory) continue;
      const modTime = f.modificationTime;
      // `<=` rather than `<` (SPARK-4518): a file written in the same millisecond as the threshold may be incomplete.
      if (modTime <= modTimeIgnoreThreshold) continue;
      if (modTime > currentTime) continue;
      if (this.recentlySelectedFiles.has(f.path)) continue;
      out.push(f);
    }
    return out;
  }

  private filesToRDD(files: ReadonlyArray<{ path: string; length?: number }>): RDD<T> {
    const sc = this.ssc.sparkContext;
    const rdds: RDD<T>[] = files.map((f) => {
      if (f.length === 0) {
        log.warn(
          { stream: this.name, file: f.path },
          `File ${f.path} has no data in it. Spark Streaming can only ingest files that have been "moved" to the directory assigned to the file stream. Refer to the streaming programming guide for more details.`,
        );
      }
      return new NewHadoopRDD(sc, [f], this.format, this.name, this.creationSite);
    });
    return sc.union(rdds);
  }

  // ---- listing

  /** The files directly inside every folder the directory (glob) matches; problems become a warning and no files. */
  private async listFolders(): Promise<FileStatus[]> {
    try {
      const globbed = await globStatus(this.directory);
      const dirs = this.foldersOf(globbed);
      const lists = await Promise.all(dirs.map((d) => listStatus(d, this.pathFilter)));
      this.listingOk();
      return lists.flat();
    } catch (e) {
      this.listingFailed(e);
      return [];
    }
  }

  /** The same, synchronously: only when `compute` runs without `prepareForBatch` (e.g. a direct `getOrCompute`). */
  private listFoldersSync(): FileStatus[] {
    try {
      const dirs = this.foldersOf(globStatusSync(this.directory));
      const files = dirs.flatMap((d) => listStatusSync(d, this.pathFilter));
      this.listingOk();
      return files;
    } catch (e) {
      this.listingFailed(e);
      return [];
    }
  }

  private foldersOf(globbed: GlobResult): string[] {
    if (globbed.missingBase !== undefined) {
      const what = globbed.missingBase === this.directory ? '' : ` (monitoring ${this.directory})`;
      this.warnOnce(`missing:${globbed.missingBase}`, `${this.name}: No directory to scan: ${globbed.missingBase}${what}`);
      return [];
    }
    return globbed.statuses.filter((s) => s.isDirectory).map((s) => s.path);
  }

  private listingOk(): void {
    if (this.listingProblem === undefined || this.listingProblem.startsWith('missing:')) return;
    log.info({ stream: this.name, directory: this.directory }, `${this.name}: listing ${this.directory} works again`);
    this.listingProblem = undefined;
  }

  private listingFailed(e: unknown): void {
    this.warnOnce(`error:${errorMessage(e)}`, `${this.name}: Error finding new files under ${this.directory}: ${errorMessage(e)}`);
  }

  private warnOnce(problem: string, message: string): void {
    if (this.listingProblem === problem) return;
    this.listingProblem = problem;
    log.warn({ stream: this.name, directory: this.directory }, message);
  }

  private warnIfSlow(started: number): void {
    const timeTaken = this.ssc.clock.getTimeMillis() - started;
    if (timeTaken > this.slideDuration.milliseconds) {
      log.warn(
        { stream: this.name, timeTaken },
        `Time taken to find new files ${timeTaken} exceeds the batch size. Consider increasing the batch size or reducing the number of files in the monitored directories.`,
      );
    }
  }
}

function validateCheckpointData(stream: string, data: unknown): ReadonlyArray<readonly [number, readonly string[]]> {
  const d = data as Partial<FileInputDStreamCheckpointData> | null;
  const bad = (what: string): never => {
    throw new IllegalArgumentException(`${stream}: malformed checkpoint data: ${what}`);
  };
  if (d === null || typeof d !== 'object') return bad('not an object');
  if (typeof d.initialModTimeIgnoreThreshold !== 'number') bad('initialModTimeIgnoreThreshold is not a number');
  if (!Array.isArray(d.batchTimeToSelectedFiles)) return bad('batchTimeToSelectedFiles is not an array');
  for (const e of d.batchTimeToSelectedFiles) {
    if (!Array.isArray(e) || e.length !== 2 || !Number.isInteger(e[0]) || !Array.isArray(e[1]) || !e[1].every((f) => typeof f === 'string')) {
      bad(`entry ${JSON.stringify(e)} is not [batchTimeMs, [file, ...]]`);
    }
  }
  return [...d.batchTimeToSelectedFiles].sort((a, b) => a[0] - b[0]);
}
