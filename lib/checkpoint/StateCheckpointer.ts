import * as fs from 'node:fs';
import * as path from 'node:path';
import { getLogger } from '../core/logging';
import { Time } from '../core/Time';
import { KeyMap } from '../rdd/KeyMap';
import type { RDD } from '../rdd/RDD';
import { StateDStream } from '../streaming/dstream/StateDStream';
import type { DStream } from '../streaming/dstream/DStream';
import type { StateMap } from '../streaming/state/StateMap';
import type { StreamingContext } from '../streaming/StreamingContext';
import type { HasCheckpointData } from './Checkpoint';
import { fsyncDir } from './CheckpointFile';
import { readStateFile, type StateFileBody, writeStateFile } from './StateFile';

const log = getLogger('StateCheckpointer');

/** A stateful stream whose per-partition state maps can be checkpointed and restored (updateStateByKey, mapWithState). */
export interface CheckpointableStateStream {
  stateMapsAt(time: Time): Promise<StateMap<unknown, unknown>[] | undefined>;
  restoreState(time: Time, entries: RDD<never>): void;
}

/** What a metadata checkpoint records of a state stream: the chain of state files from the last full one. */
export interface StateCheckpointData {
  readonly kind: 'state';
  readonly numPartitions: number;
  readonly chain: ReadonlyArray<{ readonly timeMs: number; readonly full: boolean; readonly files: readonly string[] }>;
}

/** One data checkpoint of a state stream, timed (benchmarks, the UI). */
export interface StateCheckpointTiming {
  readonly stream: string;
  readonly timeMs: number;
  readonly full: boolean;
  /** Entries written: every key (full) or the keys updated and removed (delta). */
  readonly entries: number;
  readonly bytes: number;
  /** Wall time of computing the change, writing and fsyncing the files. */
  readonly ms: number;
}

/** What a recovery read back of the state streams, timed (benchmarks). */
export interface StateRestoreTiming {
  readonly streams: number;
  readonly keys: number;
  readonly files: number;
  /** Wall time of reading the chains and building the restored RDDs' entries. */
  readonly ms: number;
}

/** Timings kept per checkpointer (the newest). */
const MAX_TIMINGS = 64;

/** After this many deltas, the next data checkpoint writes the whole state again. */
const MAX_DELTAS_IN_CHAIN = 9;

export function isStateStream(d: DStream<unknown>): d is DStream<unknown> & CheckpointableStateStream {
  const s = d as unknown as Partial<CheckpointableStateStream>;
  return typeof s.stateMapsAt === 'function' && typeof s.restoreState === 'function';
}

function isStateData(v: unknown): v is StateCheckpointData {
  return typeof v === 'object' && v !== null && (v as StateCheckpointData).kind === 'state';
}

/**
 * Data checkpoints of the stateful streams, written incrementally: at a stream's checkpoint interval (Spark's
 * `dstream.checkpoint(d)`, default per §4.6), once the batch's state is computed, each partition's state goes to
 * `<checkpointDir>/state/<stream>/<time>-p<i>.full|.delta`: the whole map the first time and every
 * `MAX_DELTAS_IN_CHAIN + 1` checkpoints, otherwise only what changed since the previous data checkpoint
 * (`StateMap.changesSince`). The stream's checkpoint data (in the metadata checkpoint) names the chain; files no
 * metadata checkpoint refers to any more are deleted.
 */
export class StateCheckpointer {
  private readonly last = new Map<DStream<unknown>, { timeMs: number; maps: StateMap<unknown, unknown>[]; data: StateCheckpointData }>();
  /** The newest data checkpoints written, timed. */
  readonly timings: StateCheckpointTiming[] = [];

  constructor(private readonly ssc: StreamingContext) {}

  private get root(): string {
    return path.join(this.ssc.checkpointDir!, 'state');
  }

  /** Writes the newest due, computed state of every state stream at or before `time`. */
  async checkpointState(time: Time): Promise<void> {
    for (const d of this.ssc.graph.allStreams()) {
      if (!isStateStream(d) || d.checkpointDuration === undefined || d.zeroTime === undefined) continue;
      const zero = d.zeroTime.milliseconds;
      const every = d.checkpointDuration.milliseconds;
      const prev = this.last.get(d)?.timeMs ?? -Infinity;
      let due: number | undefined;
      for (const [t, rdd] of d.generatedRDDs) {
        if (t > time.milliseconds || t <= prev || (t - zero) % every !== 0) continue;
        if (!(rdd as unknown as { isMaterialized?: boolean }).isMaterialized) continue;
        if (due === undefined || t > due) due = t;
      }
      if (due !== undefined) await this.write(d, due);
    }
  }

  private async write(d: DStream<unknown> & CheckpointableStateStream, timeMs: number): Promise<void> {
    const maps = await d.stateMapsAt(new Time(timeMs));
    if (!maps) return;
    const started = Date.now();
    const dir = path.join(this.root, String(d.seq));
    fs.mkdirSync(dir, { recursive: true });
    const last = this.last.get(d);
    const deltas = last ? last.data.chain.length - 1 : 0;
    const full = !last || deltas >= MAX_DELTAS_IN_CHAIN || last.maps.length !== maps.length;
    const files: string[] = [];
    let bytes = 0;
    let entries = 0;
    let writtenFull = full;
    for (let i = 0; i < maps.length; i++) {
      const change = full ? undefined : maps[i].changesSince(last!.maps[i]);
      // A partition whose change cannot be told cheaply makes the whole checkpoint a full one.
      if (!full && change === undefined) {
        writtenFull = true;
        break;
      }
      const body: StateFileBody = change ? { full: false, updated: change.updated, removed: change.removed } : { full: true, updated: maps[i].getAll(), removed: [] };
      entries += body.updated.length + body.removed.length;
      const file = path.join(dir, `${timeMs}-p${i}.${full ? 'full' : 'delta'}`);
      bytes += writeStateFile(file, body);
      files.push(path.relative(this.ssc.checkpointDir!, file));
    }
    if (writtenFull && !full) {
      // Restart this checkpoint as a full one.
      this.last.delete(d);
      return this.write(d, timeMs);
    }
    fsyncDir(dir);
    const link = { timeMs, full, files };
    const data: StateCheckpointData = { kind: 'state', numPartitions: maps.length, chain: full ? [link] : [...last!.data.chain, link] };
    (d as unknown as HasCheckpointData).checkpointData = data;
    this.last.set(d, { timeMs, maps, data });
    const timing: StateCheckpointTiming = { stream: String(d), timeMs, full, entries, bytes, ms: Date.now() - started };
    this.timings.push(timing);
    if (this.timings.length > MAX_TIMINGS) this.timings.shift();
    log.debug(timing, 'State checkpoint written');
  }

  /** Deletes state files that none of `referenced` (the data of every kept metadata checkpoint) names. */
  deleteUnreferenced(referenced: Iterable<unknown>): void {
    const keep = new Set<string>();
    for (const v of referenced) if (isStateData(v)) for (const l of v.chain) for (const f of l.files) keep.add(f);
    if (!fs.existsSync(this.root)) return;
    for (const seq of fs.readdirSync(this.root)) {
      const dir = path.join(this.root, seq);
      for (const name of fs.readdirSync(dir)) {
        const rel = path.relative(this.ssc.checkpointDir!, path.join(dir, name));
        if (!keep.has(rel)) fs.rmSync(path.join(dir, name), { force: true });
      }
    }
  }
}

/**
 * Restores every state stream of a recovered graph from its checkpoint data: reads the chain (full file plus
 * deltas, in order) per partition and hands the entries to the stream at the chain's newest time.
 */
export function restoreStateStreams(ssc: StreamingContext): StateRestoreTiming {
  const started = Date.now();
  let streams = 0;
  let keys = 0;
  let files = 0;
  for (const d of ssc.graph.allStreams()) {
    const data = (d as unknown as HasCheckpointData).checkpointData;
    if (!isStateStream(d) || !isStateData(data) || data.chain.length === 0) continue;
    const entries: Array<[unknown, unknown, number]> = [];
    for (let p = 0; p < data.numPartitions; p++) {
      const state = new KeyMap<unknown, [unknown, unknown, number]>();
      for (const link of data.chain) {
        const body = readStateFile(path.join(ssc.checkpointDir!, link.files[p]));
        files++;
        if (body.full) state.clear();
        for (const e of body.updated) state.set(e[0], [e[0], e[1], e[2]]);
        for (const k of body.removed) state.delete(k);
      }
      for (const e of state.values()) entries.push(e);
    }
    const timeMs = data.chain[data.chain.length - 1].timeMs;
    const rdd = ssc.sparkContext.parallelize(entries, data.numPartitions);
    const restore = d.restoreState.bind(d) as (time: Time, rdd: RDD<unknown>) => void;
    // updateStateByKey takes [key, state] pairs, mapWithState [key, state, updateTime] entries.
    if (d instanceof StateDStream) restore(new Time(timeMs), rdd.map((e) => [(e as unknown[])[0], (e as unknown[])[1]]));
    else restore(new Time(timeMs), rdd);
    streams++;
    keys += entries.length;
    log.info({ stream: String(d), timeMs, keys: entries.length }, 'State restored from checkpoint');
  }
  return { streams, keys, files, ms: Date.now() - started };
}
