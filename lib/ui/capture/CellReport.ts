import type { Partition } from '../../rdd/Partition';
import type { RDD } from '../../rdd/RDD';
import { UnionRDD } from '../../rdd/UnionRDD';
import type { BatchInfo } from '../../scheduler/BatchInfo';
import { outputOperationDuration } from '../../scheduler/OutputOperationInfo';
import type { DStream } from '../../streaming/dstream/DStream';
import { ForEachDStream } from '../../streaming/dstream/ForEachDStream';
import { InputDStream } from '../../streaming/dstream/InputDStream';
import { InternalMapWithStateDStream } from '../../streaming/dstream/InternalMapWithStateDStream';
import { WindowedDStream } from '../../streaming/dstream/WindowedDStream';
import { MaterializedRDD } from '../../streaming/rdd/MaterializedRDD';
import type { BlockUIData } from '../BatchUIData';
import type { BlockJson, CellJson, OutputJson, PartitionJson } from './CaptureJson';
import { readIfCheap } from './CheapRead';
import type { RDDsAt } from './RDDSnapshot';
import type { RDDTap } from './RDDTap';
import { dataStreamOf, isStateStream, type StateMemo, statePartitions, stateView } from './StateView';
import { isWindowStream, windowView } from './WindowView';

/** One (stream, batch) as captured while the batch ran. */
export interface CellSource {
  readonly stream: DStream<unknown>;
  readonly rdd?: RDD<unknown>;
  readonly tap?: RDDTap;
  /** Output streams with a job in this batch: the job's output operation id. */
  readonly outputOpId?: number;
}

/** What completing a batch's cells needs. */
export interface CellContext {
  readonly time: number;
  readonly maxRecords: number;
  readonly blocks: readonly BlockUIData[];
  readonly info: BatchInfo | undefined;
  readonly walReads: ReadonlySet<string>;
  readonly lost: ReadonlyMap<string, number>;
  tapOf(stream: DStream<unknown>): RDDTap | undefined;
  /** A stream's RDD at a time as it was when the batch's jobs were generated (later batches may have cleaned it since). */
  rddAt: RDDsAt;
  readonly stateMemo: StateMemo;
}


function outputJson(c: CellSource, info: BatchInfo | undefined): OutputJson | undefined {
  if (c.outputOpId === undefined) return undefined;
  const o = info?.outputOperationInfos.get(c.outputOpId);
  const duration = o === undefined ? undefined : outputOperationDuration(o);
  return {
    outputOpId: c.outputOpId,
    name: o?.name ?? c.stream.creationSite,
    ...(duration !== undefined ? { durationMs: duration } : {}),
    ...(o?.failureReason !== undefined ? { failure: o.failureReason.split('\n')[0] } : {}),
  };
}

/** The batch each partition of a window's plain union came from (a union lays its parents' partitions side by side). */
function unionSources(s: WindowedDStream<unknown>, rdd: RDD<unknown>, time: number, rddAt: RDDsAt): (number | undefined)[] {
  if (!(rdd instanceof UnionRDD)) return [];
  const timeOf = new Map<RDD<unknown>, number>();
  const slide = s.parent.slideDuration.milliseconds;
  for (let t = time - s.windowDuration.milliseconds + slide; t <= time; t += slide) {
    const r = rddAt(s.parent, t);
    if (r !== undefined) timeOf.set(r, t);
  }
  return rdd.partitions.map((p) => timeOf.get((p as Partition & { rdd?: RDD<unknown> }).rdd as RDD<unknown>));
}

/** The partitions of a tapped RDD: what the batch computed, plus what is cheap to read now. */
async function tappedPartitions(rdd: RDD<unknown>, tap: RDDTap): Promise<PartitionJson[]> {
  if (rdd instanceof MaterializedRDD) {
    try {
      await rdd.materializeAll();
    } catch {
      // Shown as far as computed.
    }
  }
  const out: PartitionJson[] = [];
  for (let i = 0; i < rdd.partitions.length; i++) {
    if (tap.sample(i) === undefined) await readIfCheap(rdd, i, () => undefined);
    const s = tap.sample(i);
    out.push(s === undefined ? { index: i, elements: [] } : { index: i, count: s.count, elements: s.elements });
  }
  return out;
}

/** A cell of the data view, once its batch has completed. */
export async function cellJson(c: CellSource, ctx: CellContext): Promise<CellJson> {
  const s = c.stream;
  if (s instanceof ForEachDStream) {
    const output = outputJson(c, ctx.info);
    return { seq: s.seq, partitions: [], ...(output ? { output } : {}) };
  }
  const input = s instanceof InputDStream ? s : undefined;
  let blocks: BlockJson[] | undefined;
  if (input?.usesReceiver) blocks = ctx.blocks.filter((b) => b.streamId === input.id).map((b) => ({ ...b, fromWal: ctx.walReads.has(b.blockId) }));
  const lostBlocks = input ? ctx.lost.get(`${ctx.time}:${input.id}`) : undefined;
  const extras = { ...(blocks ? { blocks } : {}), ...(lostBlocks ? { lostBlocks } : {}) };
  const rdd = c.rdd;
  if (rdd === undefined) return { seq: s.seq, partitions: [], ...extras };

  let partitions: PartitionJson[];
  if (s instanceof InternalMapWithStateDStream) partitions = (await statePartitions(rdd, ctx.maxRecords)) ?? [];
  else if (c.tap) partitions = await tappedPartitions(rdd, c.tap);
  else partitions = [];
  if (blocks) {
    // A receiver stream's RDD has one partition per block, in the batch's block order.
    partitions = partitions.map((p, i) => {
      const b = blocks?.[i];
      if (b === undefined) return p;
      return { ...p, blockId: b.blockId, ...(p.count === undefined && b.numRecords !== undefined ? { count: b.numRecords } : {}) };
    });
  }
  if (s instanceof WindowedDStream) {
    const sources = unionSources(s, rdd, ctx.time, ctx.rddAt);
    partitions = partitions.map((p, i) => (sources[i] !== undefined ? { ...p, batchTime: sources[i] } : p));
  }
  let count: number | undefined = 0;
  let notComputed = 0;
  for (const p of partitions) {
    if (p.count === undefined) notComputed++;
    else if (count !== undefined) count += p.count;
  }
  if (notComputed > 0) count = undefined;

  const state = isStateStream(s) ? await stateView(s, ctx.time, ctx.tapOf(dataStreamOf(s))?.keys, ctx.maxRecords, ctx.rddAt, ctx.stateMemo) : undefined;
  const window = isWindowStream(s) ? await windowView(s, ctx.time, ctx.maxRecords, ctx.rddAt) : undefined;
  return {
    seq: s.seq,
    rdd: { id: rdd.id, name: String(rdd), numPartitions: rdd.partitions.length },
    ...(count !== undefined ? { count } : {}),
    partitions,
    ...(notComputed > 0 ? { notComputed } : {}),
    ...extras,
    ...(window ? { window } : {}),
    ...(state ? { state } : {}),
  };
}
