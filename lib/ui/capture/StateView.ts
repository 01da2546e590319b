import { KeyMap } from '../../rdd/KeyMap';
import type { Partitioner } from '../../rdd/Partitioner';
import type { RDD } from '../../rdd/RDD';
import type { DStream } from '../../streaming/dstream/DStream';
import { InternalMapWithStateDStream } from '../../streaming/dstream/InternalMapWithStateDStream';
import { StateDStream } from '../../streaming/dstream/StateDStream';
import { MapWithStateRDD } from '../../streaming/rdd/MapWithStateRDD';
import { StateRDD } from '../../streaming/rdd/StateRDD';
import type { StateMap } from '../../streaming/state/StateMap';
import type { PartitionJson, StateJson, StateKeyJson } from './CaptureJson';
import type { RDDsAt } from './RDDSnapshot';
import { readAllIfCheap } from './CheapRead';
import { elementText, type KeySample } from './RDDTap';

export type StateStream = StateDStream<unknown, unknown, unknown> | InternalMapWithStateDStream<unknown, unknown, unknown, unknown>;

export function isStateStream(s: unknown): s is StateStream {
  return s instanceof StateDStream || s instanceof InternalMapWithStateDStream;
}

export function stateKind(s: StateStream): StateJson['kind'] {
  return s instanceof StateDStream ? 'updateStateByKey' : 'mapWithState';
}

/** The stream whose RDD is the batch's data for the state (its values per key are sampled while the batch runs). */
export function dataStreamOf(s: StateStream): DStream<unknown> {
  return s.parent as DStream<unknown>;
}

/** A state RDD's per-partition maps and the partitioner they follow, or undefined for another kind of RDD. */
/** A state RDD's per-partition maps and the partitioner they follow. */
export interface StateMaps {
  readonly maps: StateMap<unknown, unknown>[];
  readonly partitioner: Partitioner;
}

/**
 * The state maps each state stream's view read last, by batch time: the next batch's "before". A later batch's
 * checkpoint may have released the previous state RDD by the time a view is completed; its maps are still these.
 */
export type StateMemo = Map<StateStream, { readonly time: number; readonly state: StateMaps }>;

async function mapsOf(rdd: RDD<unknown> | undefined): Promise<StateMaps | undefined> {
  try {
    if (rdd instanceof StateRDD) {
      await rdd.materializeAll();
      const maps: StateMap<unknown, unknown>[] = [];
      for (let i = 0; i < rdd.getNumPartitions(); i++) maps.push(await rdd.stateMap(i));
      return { maps, partitioner: rdd.statePartitioner };
    }
    if (rdd instanceof MapWithStateRDD) {
      await rdd.materializeAll();
      const maps: StateMap<unknown, unknown>[] = [];
      for (let i = 0; i < rdd.getNumPartitions(); i++) maps.push((await rdd.record(i)).stateMap);
      return { maps, partitioner: rdd.statePartitioner };
    }
  } catch {
    // Released after a restart or a failing update function: no state view for this batch.
  }
  return undefined;
}

/** The state before the first batch: the initial RDD's `[key, state]` pairs. */
function initialStateOf(s: StateStream): RDD<[unknown, unknown]> | undefined {
  return s instanceof StateDStream ? (s.initialRDD as RDD<[unknown, unknown]> | undefined) : (s.spec.getInitialStateRDD() as RDD<[unknown, unknown]> | undefined);
}

/**
 * A stateful stream at batch `t`, per key: the state before (the previous batch's state RDD), the batch's values
 * (sampled from the data RDD while the batch ran), the state after, and whether the batch removed it (for
 * mapWithState, whether it timed out). Keys with data come first, then removed and otherwise changed keys, at most
 * `maxRecords` per partition. The state maps are the ones the state RDDs keep (OpenHashMapBasedStateMap), read
 * once more after the batch; what changed comes from `changesSince` (a scan of the previous map when the versions do
 * not tell). A state object changed in place and stored again as the same object shows the same before and after.
 */
export async function stateView(
  s: StateStream,
  t: number,
  dataKeys: KeySample | undefined,
  maxRecords: number,
  rddAt: RDDsAt,
  memo: StateMemo,
): Promise<StateJson | undefined> {
  const cur = rddAt(s, t);
  const after = await mapsOf(cur);
  if (after === undefined) return undefined;
  const prevTime = t - s.slideDuration.milliseconds;
  const prevRdd = rddAt(s, prevTime);
  const remembered = memo.get(s);
  const before = remembered?.time === prevTime ? remembered.state : await mapsOf(prevRdd);
  memo.set(s, { time: t, state: after });
  // Before the first batch, or after a restart (a restored RDD): look the data keys up in that RDD if cheap to read.
  let beforePairs: KeyMap<unknown, [unknown]> | undefined;
  if (before === undefined && dataKeys !== undefined) {
    const src = (prevRdd as RDD<[unknown, unknown]> | undefined) ?? initialStateOf(s);
    if (src !== undefined) {
      const found = new KeyMap<unknown, [unknown]>();
      if (await readAllIfCheap(src, (kv) => void (dataKeys.keys.has(kv[0]) && found.set(kv[0], [kv[1]])))) beforePairs = found;
    } else if (prevRdd === undefined) {
      beforePairs = new KeyMap();
    }
  }
  const valueBefore = (k: unknown): [unknown] | undefined => {
    if (before === undefined) return beforePairs?.get(k);
    const m = before.maps[before.partitioner.getPartition(k)];
    return m?.has(k) ? [m.get(k)] : undefined;
  };
  const valueAfter = (k: unknown): [unknown] | undefined => {
    const m = after.maps[after.partitioner.getPartition(k)];
    return m?.has(k) ? [m.get(k)] : undefined;
  };

  const shown = after.maps.map(() => new KeyMap<unknown, true>());
  let truncated = false;
  const show = (k: unknown): void => {
    const p = after.partitioner.getPartition(k);
    if (shown[p].has(k)) return;
    if (shown[p].size >= maxRecords) {
      truncated = true;
      return;
    }
    shown[p].set(k, true);
  };
  dataKeys?.keys.forEach((_, k) => show(k));

  const mws = cur instanceof MapWithStateRDD ? (cur as MapWithStateRDD<unknown, unknown, unknown, unknown>) : undefined;
  const threshold = mws?.timeoutThresholdTime;
  const fullScan = mws?.fullScan ?? false;
  const timedOut = new KeyMap<unknown, true>();
  let removed: number | undefined;
  if (before !== undefined) {
    removed = 0;
    const onRemoved = (k: unknown, prev: StateMap<unknown, unknown>): void => {
      removed!++;
      if (fullScan && threshold !== undefined && (prev.getUpdateTime(k) ?? Infinity) < threshold && !dataKeys?.keys.has(k)) timedOut.set(k, true);
      show(k);
    };
    const samePartitions = before.maps.length === after.maps.length && before.partitioner.equals(after.partitioner);
    for (let p = 0; p < before.maps.length; p++) {
      const prev = before.maps[p];
      const delta = samePartitions ? after.maps[p].changesSince(prev, { immutableStates: true }) : undefined;
      if (delta !== undefined) {
        for (const k of delta.removed) onRemoved(k, prev);
        for (const [k] of delta.updated) show(k);
      } else {
        prev.forEach((k) => {
          if (valueAfter(k) === undefined) onRemoved(k, prev);
        });
      }
    }
  }

  const keys: StateKeyJson[] = [];
  shown.forEach((ks, p) =>
    ks.forEach((_, k) => {
      const b = valueBefore(k);
      const a = valueAfter(k);
      const data = dataKeys?.keys.get(k);
      keys.push({
        key: elementText(k),
        partition: p,
        ...(b !== undefined ? { before: elementText(b[0]) } : {}),
        values: (data?.values ?? []).map(elementText),
        numValues: data?.count ?? 0,
        ...(a !== undefined ? { after: elementText(a[0]) } : {}),
        ...(b !== undefined && a === undefined ? { removed: true as const } : {}),
        ...(timedOut.has(k) ? { timedOut: true as const } : {}),
      });
    }),
  );
  let keysAfter = 0;
  for (const m of after.maps) keysAfter += m.size;
  let keysBefore: number | undefined;
  if (before !== undefined) {
    keysBefore = 0;
    for (const m of before.maps) keysBefore += m.size;
  } else if (prevRdd === undefined && initialStateOf(s) === undefined) {
    keysBefore = 0;
  }
  return {
    kind: stateKind(s),
    ...(keysBefore !== undefined ? { keysBefore } : {}),
    keysAfter,
    ...(removed !== undefined ? { removed } : {}),
    ...(mws !== undefined ? { fullScan, ...(threshold !== undefined ? { timeoutThreshold: threshold, timedOut: timedOut.size } : {}) } : {}),
    keys,
    keysTruncated: truncated,
  };
}

/** A state RDD's partitions as the data view shows them: each map's first `maxRecords` `(key,state)` entries and its size. */
export async function statePartitions(rdd: RDD<unknown>, maxRecords: number): Promise<PartitionJson[] | undefined> {
  const m = await mapsOf(rdd);
  if (m === undefined) return undefined;
  return m.maps.map((map, index) => {
    const elements: string[] = [];
    map.forEach((k, s) => {
      if (elements.length < maxRecords) elements.push(elementText([k, s]));
    });
    return { index, count: map.size, elements };
  });
}
