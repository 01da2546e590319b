/**
 * The JSON of the data view (`/api/v1/streaming/data`): for each retained batch, what each DStream's RDD held. Text
 * is what `print()` shows of an element (Scala's `toString`), cut at {@link MAX_ELEMENT_CHARS} characters.
 */
import type { BlockUIData } from '../BatchUIData';

/** Longest element text kept (a longer one ends with `…`). */
export const MAX_ELEMENT_CHARS = 200;

/** The first elements of one partition, and how many it had. */
export interface PartitionJson {
  readonly index: number;
  /** Elements in the partition; absent when the batch did not compute it and it is not cheap to read again. */
  readonly count?: number;
  /** The first `dstreams.ui.data.maxRecords` elements. */
  readonly elements: readonly string[];
  /** Receiver streams: the block behind the partition. Window unions: the batch the partition came from. */
  readonly blockId?: string;
  readonly batchTime?: number;
}

/** A block of a receiver stream's batch, and whether this process read it back from the write-ahead log. */
export interface BlockJson extends BlockUIData {
  readonly fromWal: boolean;
}

/** A window at one batch: the batches it covers and, sliding, which entered and which left. */
export interface WindowJson {
  readonly windowMs: number;
  readonly slideMs: number;
  /** `reduceByKeyAndWindow` with an inverse function. */
  readonly incremental: boolean;
  /** The parent's batch times the window covers (`(t - window, t]`, none at or before the zero time). */
  readonly times: readonly number[];
  /** Batch times that entered with this slide, and those that left (in the incremental form, the inverse function's input). */
  readonly entered: readonly number[];
  readonly left: readonly number[];
  /** Incremental form: the reduced batches that entered / left, per batch and partition. */
  readonly enteredData?: readonly PartitionJson[];
  readonly leftData?: readonly PartitionJson[];
  /** Incremental form, per key (the first keys of each partition): previous window, what entered and left, new window. */
  readonly keys?: readonly WindowKeyJson[];
}

export interface WindowKeyJson {
  readonly key: string;
  readonly partition: number;
  /** The key's value in the previous window (absent: none). */
  readonly before?: string;
  readonly entered: readonly string[];
  readonly left: readonly string[];
  readonly after?: string;
}

/** A stateful stream at one batch. */
export interface StateJson {
  readonly kind: 'updateStateByKey' | 'mapWithState';
  /** Keys with a state before the batch (undefined when the previous state cannot be read) and after it. */
  readonly keysBefore?: number;
  readonly keysAfter: number;
  /** Keys whose state was removed by this batch (mapWithState: including timeouts). */
  readonly removed?: number;
  /** mapWithState: states timed out this batch; timeouts are only looked for on full-scan (checkpoint) batches. */
  readonly timedOut?: number;
  readonly fullScan?: boolean;
  readonly timeoutThreshold?: number;
  /** The keys shown: those with data in the batch, then removed and otherwise changed keys, bounded per partition. */
  readonly keys: readonly StateKeyJson[];
  /** Whether keys that changed were left out by the bound. */
  readonly keysTruncated: boolean;
}

export interface StateKeyJson {
  readonly key: string;
  readonly partition: number;
  readonly before?: string;
  /** The batch's values for the key (the first ones), and how many it had. */
  readonly values: readonly string[];
  readonly numValues: number;
  readonly after?: string;
  readonly removed?: true;
  readonly timedOut?: true;
}

/** An output operation of the batch. */
export interface OutputJson {
  readonly outputOpId: number;
  readonly name: string;
  readonly durationMs?: number;
  readonly failure?: string;
}

/** One (stream, batch) cell. */
export interface CellJson {
  readonly seq: number;
  /** Absent: the stream has no RDD at this time (not on its slide, or no data). */
  readonly rdd?: { readonly id: number; readonly name: string; readonly numPartitions: number };
  /** Elements in the RDD, when every partition's count is known. */
  readonly count?: number;
  readonly partitions: readonly PartitionJson[];
  /** Partitions the batch did not compute (e.g. `print()` reads only the first) and that are not cheap to read. */
  readonly notComputed?: number;
  readonly blocks?: readonly BlockJson[];
  /** Blocks of this batch found neither in memory nor in a write-ahead log (their records are lost). */
  readonly lostBlocks?: number;
  readonly window?: WindowJson;
  readonly state?: StateJson;
  readonly output?: OutputJson;
}

export interface BatchCaptureJson {
  readonly time: number;
  /** Re-run after a restart from the checkpoint (a pending batch, or one missed while the process was down). */
  readonly recovered: boolean;
  readonly cells: readonly CellJson[];
}

/** One row of the view: a DStream of the graph. */
export interface StreamRowJson {
  readonly seq: number;
  readonly label: string;
  readonly className: string;
  readonly kind: 'input' | 'transform' | 'output';
  readonly slideMs: number;
  readonly parents: readonly number[];
  readonly inputStreamId?: number;
  readonly receiver?: boolean;
  readonly window?: { readonly windowMs: number; readonly slideMs: number; readonly incremental: boolean };
  readonly state?: StateJson['kind'];
}

export interface DataJson {
  readonly enabled: boolean;
  readonly retainedBatches: number;
  readonly maxRecords: number;
  /** Inputs first, outputs last, every stream after its parents. */
  readonly rows: readonly StreamRowJson[];
  /** Oldest first. */
  readonly batches: readonly BatchCaptureJson[];
}
