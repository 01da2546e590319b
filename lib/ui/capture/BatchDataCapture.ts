import { ManualClock } from '../../core/clock/ManualClock';
import { Deferred } from '../../core/Deferred';
import { getLogger } from '../../core/logging';
import { StreamingConf } from '../../core/StreamingConf';
import type { Time } from '../../core/Time';
import { RecoveryCounters, type RecoveryEvent } from '../../experiments/RecoveryCounters';
import type { RDD } from '../../rdd/RDD';
import type { BatchInfo } from '../../scheduler/BatchInfo';
import type { Job } from '../../scheduler/Job';
import type { StreamingListener } from '../../scheduler/StreamingListener';
import type { DStream } from '../../streaming/dstream/DStream';
import { ForEachDStream } from '../../streaming/dstream/ForEachDStream';
import type { InputDStream } from '../../streaming/dstream/InputDStream';
import { InternalMapWithStateDStream } from '../../streaming/dstream/InternalMapWithStateDStream';
import type { StreamingContext } from '../../streaming/StreamingContext';
import type { BlockUIData } from '../BatchUIData';
import { blocksOfBatch } from '../BlockSource';
import type { BatchCaptureJson, CellJson, DataJson, StreamRowJson } from './CaptureJson';
import { cellJson, type CellSource } from './CellReport';
import { type RDDsAt, snapshotRDDs } from './RDDSnapshot';
import { KeySample, RDDTap } from './RDDTap';
import { dataStreamOf, isStateStream, type StateMemo, stateKind } from './StateView';
import { isWindowStream, windowInfo } from './WindowView';

const log = getLogger('BatchDataCapture');

/** What is kept of one batch until (and after) its capture is complete. */
interface Entry {
  readonly time: Time;
  readonly recovered: boolean;
  readonly cells: CellSource[];
  readonly taps: RDDTap[];
  readonly blocks: readonly BlockUIData[];
  /** The streams' RDDs when the jobs were generated: the window and state views read earlier batches' RDDs. */
  readonly rddAt: RDDsAt;
  readonly done: Deferred<BatchCaptureJson | undefined>;
  json?: BatchCaptureJson;
  finalizing: boolean;
}

const captures = new WeakMap<StreamingContext, BatchDataCapture>();

/**
 * The data view's capture (`dstreams.ui.data.*`; Spark has none): for the last `retainedBatches` batches, the first
 * `maxRecords` elements of each partition of every DStream's RDD, with counts, and the window, state and block views.
 *
 * Once a batch's jobs are generated (DStreamGraph.onJobsGenerated), and before they run, the RDD of every stream at
 * that time gets an {@link RDDTap}, so the elements are seen while the batch computes them, once. When the batch
 * has completed (its listener event) the capture reads what the batch did not compute only where that is cheap (see
 * CheapRead.ts), builds the window and state views, removes the taps and tells its subscribers. While off, nothing
 * is hooked: the graph's hook is unset and no RDD is tapped.
 */
export class BatchDataCapture {
  readonly retainedBatches: number;
  readonly maxRecords: number;
  private readonly entries = new Map<number, Entry>();
  private readonly subscribers = new Set<(b: BatchCaptureJson) => void>();
  private readonly listener: StreamingListener;
  private readonly unobserve: () => void;
  /** Blocks this process read back from the receiver WAL, and lost blocks per `batchTime:streamId`. */
  private readonly walReads = new Set<string>();
  private readonly lost = new Map<string, number>();
  private rowsCache: DStream<unknown>[] | undefined;
  /** Batches are completed one after another, in the order their events come. */
  private chain: Promise<void> = Promise.resolve();
  private detached = false;
  private readonly stateMemo: StateMemo = new Map();

  private constructor(readonly ssc: StreamingContext) {
    this.retainedBatches = Math.max(1, StreamingConf.UI_DATA_RETAINED_BATCHES.read(ssc.conf));
    this.maxRecords = Math.max(0, StreamingConf.UI_DATA_MAX_RECORDS.read(ssc.conf));
    this.listener = { onBatchCompleted: (e) => this.complete(e.batchInfo.batchTime.milliseconds, e.batchInfo) };
    this.unobserve = RecoveryCounters.observe((e) => this.onRecovery(e));
    ssc.graph.onJobsGenerated = (time, jobs) => {
      // The view must never fail the batch it watches.
      try {
        this.onJobsGenerated(time, jobs);
      } catch (err) {
        log.warn({ err, time: time.milliseconds }, 'Could not tap the RDDs of a batch for the data view');
      }
    };
    ssc.addStreamingListener(this.listener);
  }

  /** Whether the data view is on for a context: `dstreams.ui.data.enabled`, by default on with the manual clock. */
  static isEnabled(ssc: StreamingContext): boolean {
    return StreamingConf.UI_DATA_ENABLED.read(ssc.conf) ?? ssc.clock instanceof ManualClock;
  }

  /** The capture of a context, if attached. */
  static of(ssc: StreamingContext): BatchDataCapture | undefined {
    return captures.get(ssc);
  }

  /** The capture of a context, attaching one (before the first batch is generated) if there is none. */
  static attach(ssc: StreamingContext): BatchDataCapture {
    let c = captures.get(ssc);
    if (!c) captures.set(ssc, (c = new BatchDataCapture(ssc)));
    return c;
  }

  /** Unhooks from the graph, the listener bus and the recovery counters; what was captured stays readable. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    if (this.ssc.graph.onJobsGenerated !== undefined) this.ssc.graph.onJobsGenerated = undefined;
    this.ssc.removeStreamingListener(this.listener);
    this.unobserve();
    for (const e of this.entries.values()) for (const t of e.taps) t.remove();
    if (captures.get(this.ssc) === this) captures.delete(this.ssc);
  }

  /** Called with each batch once its capture is complete. Returns the unsubscribe function. */
  subscribe(f: (b: BatchCaptureJson) => void): () => void {
    this.subscribers.add(f);
    return () => this.subscribers.delete(f);
  }

  /** The capture of batch `time` once complete (undefined if that batch is not, or no longer, captured). */
  whenCaptured(time: number): Promise<BatchCaptureJson | undefined> {
    const e = this.entries.get(time);
    return e === undefined ? Promise.resolve(undefined) : e.done.promise;
  }

  batch(time: number): BatchCaptureJson | undefined {
    return this.entries.get(time)?.json;
  }

  /** The completed batches, oldest first. */
  batches(): BatchCaptureJson[] {
    return [...this.entries.values()]
      .filter((e) => e.json !== undefined)
      .sort((a, b) => a.time.milliseconds - b.time.milliseconds)
      .map((e) => e.json as BatchCaptureJson);
  }

  json(): DataJson {
    return { enabled: true, retainedBatches: this.retainedBatches, maxRecords: this.maxRecords, rows: this.rows(), batches: this.batches() };
  }

  /** The graph's streams: inputs first, outputs last, every stream after its parents (by creation number otherwise). */
  orderedStreams(): DStream<unknown>[] {
    if (this.rowsCache) return this.rowsCache;
    const graph = this.ssc.graph;
    const inputs = new Set<DStream<unknown>>(graph.inputStreams);
    const outputs = new Set<DStream<unknown>>(graph.outputStreams);
    const all = graph.allStreams();
    const placed = new Set<DStream<unknown>>();
    const out: DStream<unknown>[] = [];
    const rank = (d: DStream<unknown>): number => (inputs.has(d) ? 0 : outputs.has(d) ? 2 : 1);
    // Kahn's order, smallest (rank, seq) first: an internal stream made after its child (reduceByKeyAndWindow's
    // reduced stream, mapWithState's state stream) still comes before it.
    const ready = (d: DStream<unknown>): boolean => d.dependencies.every((p) => placed.has(p));
    while (out.length < all.length) {
      const next = all.filter((d) => !placed.has(d) && ready(d)).sort((a, b) => rank(a) - rank(b) || a.seq - b.seq)[0];
      if (next === undefined) break;
      placed.add(next);
      out.push(next);
    }
    return (this.rowsCache = out);
  }

  rows(): StreamRowJson[] {
    const graph = this.ssc.graph;
    const inputs = new Set<DStream<unknown>>(graph.inputStreams);
    return this.orderedStreams().map((d): StreamRowJson => {
      const input = inputs.has(d) ? (d as unknown as InputDStream<unknown>) : undefined;
      return {
        seq: d.seq,
        label: d.label,
        className: d.className,
        kind: input ? 'input' : d instanceof ForEachDStream ? 'output' : 'transform',
        slideMs: d.slideDuration.milliseconds,
        parents: d.dependencies.map((p) => p.seq),
        ...(input ? { inputStreamId: input.id as number, receiver: input.usesReceiver } : {}),
        ...(isWindowStream(d) ? { window: windowInfo(d) } : {}),
        ...(isStateStream(d) ? { state: stateKind(d) } : {}),
      };
    });
  }

  // ---- the batch

  private onJobsGenerated(time: Time, jobs: readonly Job[]): void {
    const t = time.milliseconds;
    if (this.detached || this.entries.has(t)) return;
    const streams = this.orderedStreams();
    // The data of a stateful stream is sampled per key as well (its values for the state view).
    const keyed = new Set<RDD<unknown>>();
    for (const s of streams) {
      if (!isStateStream(s)) continue;
      const data = dataStreamOf(s).generatedRDDs.get(t);
      if (data) keyed.add(data as RDD<unknown>);
    }
    const taps = new Map<RDD<unknown>, RDDTap>();
    const cells: CellSource[] = [];
    let outputOpId = 0;
    for (const s of streams) {
      if (s instanceof ForEachDStream) {
        const has = s.parent.generatedRDDs.has(t);
        cells.push({ stream: s, ...(has ? { outputOpId: outputOpId++ } : {}) });
        continue;
      }
      const rdd = s.generatedRDDs.get(t) as RDD<unknown> | undefined;
      // mapWithState's internal RDD holds one record (state map + mapped data) per partition: its state view says more.
      if (rdd === undefined || s instanceof InternalMapWithStateDStream) {
        cells.push({ stream: s, rdd });
        continue;
      }
      let tap = taps.get(rdd);
      if (!tap) {
        tap = new RDDTap(rdd, this.maxRecords, keyed.has(rdd) ? new KeySample(this.maxRecords, this.maxRecords) : undefined).install();
        taps.set(rdd, tap);
      }
      cells.push({ stream: s, rdd, tap });
    }
    const g = this.ssc.graph;
    const recovered = this.ssc.isCheckpointPresent && g.startTime !== undefined && time.less(g.startTime);
    const entry: Entry = {
      time,
      recovered,
      cells,
      taps: [...taps.values()],
      blocks: blocksOfBatch(this.ssc.scheduler.receiverTracker, time),
      rddAt: snapshotRDDs(streams),
      done: new Deferred<BatchCaptureJson | undefined>(),
      finalizing: false,
    };
    this.entries.set(t, entry);
    this.evict();
    // A batch without jobs has no completion event: it is complete now.
    if (jobs.length === 0) this.complete(t, undefined);
  }

  private evict(): void {
    if (this.entries.size <= this.retainedBatches) return;
    const times = [...this.entries.keys()].sort((a, b) => a - b);
    for (const t of times.slice(0, times.length - this.retainedBatches)) {
      const e = this.entries.get(t) as Entry;
      for (const tap of e.taps) tap.remove();
      e.done.resolve(e.json);
      this.entries.delete(t);
      for (const k of [...this.lost.keys()]) if (Number(k.split(':')[0]) <= t) this.lost.delete(k);
    }
  }

  private complete(t: number, info: BatchInfo | undefined): void {
    const e = this.entries.get(t);
    if (e === undefined || e.finalizing) return;
    e.finalizing = true;
    this.chain = this.chain.then(() => this.finalize(e, info)).catch((err: unknown) => log.warn({ err, time: t }, 'Could not complete the data view of a batch'));
  }

  private async finalize(e: Entry, info: BatchInfo | undefined): Promise<void> {
    const cells: CellJson[] = [];
    const tapOf = new Map<DStream<unknown>, RDDTap>();
    for (const c of e.cells) if (c.tap) tapOf.set(c.stream, c.tap);
    const ctx = {
      time: e.time.milliseconds,
      maxRecords: this.maxRecords,
      blocks: e.blocks,
      info,
      walReads: this.walReads,
      lost: this.lost,
      tapOf: (s: DStream<unknown>) => tapOf.get(s),
      rddAt: e.rddAt,
      stateMemo: this.stateMemo,
    };
    for (const c of e.cells) cells.push(await cellJson(c, ctx));
    for (const tap of e.taps) tap.remove();
    for (const b of e.blocks) this.walReads.delete(b.blockId);
    const json: BatchCaptureJson = { time: e.time.milliseconds, recovered: e.recovered, cells };
    e.json = json;
    e.done.resolve(json);
    if (!this.entries.has(e.time.milliseconds)) return;
    for (const f of this.subscribers) {
      try {
        f(json);
      } catch (err) {
        log.warn({ err }, 'A data view subscriber failed');
      }
    }
  }

  private onRecovery(e: RecoveryEvent): void {
    if (e.kind === 'wal-read') {
      // Bounded: names of blocks no captured batch claims are dropped wholesale.
      if (this.walReads.size > 100_000) this.walReads.clear();
      this.walReads.add(e.blockId);
    } else {
      const k = `${e.batchTime}:${e.streamId}`;
      this.lost.set(k, (this.lost.get(k) ?? 0) + e.count);
    }
  }
}
