/**
 * The state map of `mapWithState` and `updateStateByKey`: Spark's `OpenHashMapBasedStateMap` (a delta map over a
 * parent map, compacted when the chain of parents reaches `spark.streaming.sessionByKey.deltaChainThreshold`),
 * laid out so that a read costs two hash lookups (overlay, base) however long the chain of per-batch deltas is,
 * instead of one lookup per level.
 *
 * Structure. Maps that descend from one another by `copy()` share a *generation*:
 *
 *   generation = base   : a flat snapshot (key -> slot; parallel arrays of states and update times), never changed
 *              + overlay: key -> newest delta node; each node is one version's change of that key
 *                         (state + update time, or a tombstone) and links to the node of the version before
 *   map (view) = (generation, version v)
 *
 * Nodes are rows of parallel growable arrays (version, update time, previous node, tombstone flag: typed arrays;
 * states: one array), not objects: a million keys with twenty batches of deltas are a few arrays for the garbage
 * collector, not millions of small objects.
 *
 * Each batch's `copy()` makes version v+1 (O(1)); its writes add nodes tagged v+1 (or rewrite its own node), so
 * version v still reads exactly as it was: a read takes the key's newest node with version <= v, else the base.
 * The nodes of one version are that batch's delta; all nodes above the base are Spark's delta chain.
 *
 * Compaction: when `copy()` is called on a map whose version is `deltaChainThreshold` or more versions above its
 * base, the copy starts a new generation whose base is the flattened map (O(keys), once per threshold batches).
 * Older versions keep the old generation, untouched, until their RDDs are forgotten. Writing to a version that is
 * no longer the newest of its generation (a task retry, or a write after `copy()`) first flattens it into a
 * generation of its own, so no version ever sees another's writes.
 *
 * Incremental checkpoints: `changesSince(older)` lists the keys put or removed since an older version of the same
 * lineage: from the overlay nodes above `older`'s version, and across one compaction from the list of keys (with
 * the version they last changed at) that the previous generation's overlay held when it was flattened. `getAll()`
 * is the full state. A checkpoint writes the full state, then only `changesSince(lastCheckpointedMap)`.
 */
import type { SparkConf } from '../../core/SparkConf';
import { StreamingConf } from '../../core/StreamingConf';
import { KeyMap, KeySet } from '../../rdd/KeyMap';
import { type ChangesSinceOptions, type StateDelta, type StateEntry, EmptyStateMap, StateMap } from './StateMap';

/** Spark's `DELTA_CHAIN_LENGTH_THRESHOLD` (`spark.streaming.sessionByKey.deltaChainThreshold`). */
export const DEFAULT_DELTA_CHAIN_THRESHOLD = 20;

/** What a generation remembers of the one it was flattened from: each key its overlay changed, and when. */
interface PriorGeneration<K> {
  readonly id: number;
  /** Key -> the version of its last change at or below the flattened version. */
  readonly lastChanged: KeyMap<K, number>;
}

let nextGenerationId = 0;

/** No node. */
const NONE = -1;

class Generation<K, S> {
  readonly id = nextGenerationId++;
  /** Key -> index of its newest node. */
  readonly overlay = new KeyMap<K, number>();
  headVersion: number;
  // The delta nodes, one row per (version, key) change.
  nodeCount = 0;
  nodeVersion = new Int32Array(16);
  nodeTime = new Float64Array(16);
  nodePrev = new Int32Array(16);
  nodeDeleted = new Uint8Array(16);
  nodeData: (S | undefined)[] = [];

  constructor(
    /** The version the base is a snapshot of; every map of this generation has a higher version. */
    readonly baseVersion: number,
    readonly baseIndex: KeyMap<K, number>,
    readonly baseValues: S[],
    readonly baseTimes: Float64Array,
    readonly prior: PriorGeneration<K> | undefined,
  ) {
    this.headVersion = baseVersion;
  }

  static empty<K, S>(): Generation<K, S> {
    return new Generation<K, S>(0, new KeyMap(), [], new Float64Array(0), undefined);
  }

  addNode(version: number, data: S | undefined, time: number, deleted: boolean, prev: number): number {
    const i = this.nodeCount;
    if (i === this.nodeVersion.length) this.grow();
    this.nodeVersion[i] = version;
    this.nodeTime[i] = time;
    this.nodePrev[i] = prev;
    this.nodeDeleted[i] = deleted ? 1 : 0;
    this.nodeData.push(data);
    this.nodeCount = i + 1;
    return i;
  }

  private grow(): void {
    const n = this.nodeVersion.length * 2;
    const v = new Int32Array(n);
    v.set(this.nodeVersion);
    this.nodeVersion = v;
    const t = new Float64Array(n);
    t.set(this.nodeTime);
    this.nodeTime = t;
    const p = new Int32Array(n);
    p.set(this.nodePrev);
    this.nodePrev = p;
    const d = new Uint8Array(n);
    d.set(this.nodeDeleted);
    this.nodeDeleted = d;
  }

  /** The newest node at or below version `v` in the chain starting at `head`, or NONE. */
  visible(head: number, v: number): number {
    let i = head;
    const versions = this.nodeVersion;
    while (i !== NONE && versions[i] > v) i = this.nodePrev[i];
    return i;
  }
}

/** Spark's `OpenHashMapBasedStateMap`: see the top of this file for the structure. */
export class OpenHashMapBasedStateMap<K, S> extends StateMap<K, S> {
  private gen: Generation<K, S>;
  private version: number;
  private count: number;
  readonly deltaChainThreshold: number;

  constructor(options: { deltaChainThreshold?: number } = {}) {
    super();
    this.deltaChainThreshold = options.deltaChainThreshold ?? DEFAULT_DELTA_CHAIN_THRESHOLD;
    if (!(this.deltaChainThreshold >= 1)) throw new RangeError(`deltaChainThreshold must be at least 1, got ${this.deltaChainThreshold}`);
    this.gen = Generation.empty();
    this.version = 1;
    this.gen.headVersion = 1;
    this.count = 0;
  }

  /** Spark's `StateMap.create(conf)`: an empty map with the configured delta chain threshold. */
  static create<K, S>(conf?: SparkConf): OpenHashMapBasedStateMap<K, S> {
    const threshold = conf ? StreamingConf.SESSION_BY_KEY_DELTA_CHAIN_THRESHOLD.read(conf) : DEFAULT_DELTA_CHAIN_THRESHOLD;
    return new OpenHashMapBasedStateMap<K, S>({ deltaChainThreshold: threshold });
  }

  private static view<K, S>(gen: Generation<K, S>, version: number, count: number, threshold: number): OpenHashMapBasedStateMap<K, S> {
    const m = new OpenHashMapBasedStateMap<K, S>({ deltaChainThreshold: threshold });
    m.gen = gen;
    m.version = version;
    m.count = count;
    return m;
  }

  /** Versions above the base: Spark's `deltaChainLength`. */
  get deltaChainLength(): number {
    return this.version - this.gen.baseVersion;
  }

  /** Whether the next `copy()` compacts (Spark's `shouldCompact`). */
  get shouldCompact(): boolean {
    return this.deltaChainLength >= this.deltaChainThreshold;
  }

  get size(): number {
    return this.count;
  }

  /** The key's newest node visible at this version, or NONE. */
  private node(key: K): number {
    const head = this.gen.overlay.get(key);
    return head === undefined ? NONE : this.gen.visible(head, this.version);
  }

  get(key: K): S | undefined {
    return this.getOrElse(key, undefined);
  }

  override getOrElse<D>(key: K, absent: D): S | D {
    const gen = this.gen;
    const n = this.node(key);
    if (n !== NONE) return gen.nodeDeleted[n] === 1 ? absent : (gen.nodeData[n] as S);
    const i = gen.baseIndex.get(key);
    return i === undefined ? absent : gen.baseValues[i];
  }

  has(key: K): boolean {
    const n = this.node(key);
    if (n !== NONE) return this.gen.nodeDeleted[n] === 0;
    return this.gen.baseIndex.has(key);
  }

  getUpdateTime(key: K): number | undefined {
    const gen = this.gen;
    const n = this.node(key);
    if (n !== NONE) return gen.nodeDeleted[n] === 1 ? undefined : gen.nodeTime[n];
    const i = gen.baseIndex.get(key);
    return i === undefined ? undefined : gen.baseTimes[i];
  }

  forEach(f: (key: K, state: S, updateTime: number) => void): void {
    const gen = this.gen;
    const { baseIndex, baseValues, baseTimes, overlay } = gen;
    const v = this.version;
    if (overlay.size === 0) {
      baseIndex.forEach((i, k) => f(k, baseValues[i], baseTimes[i]));
      return;
    }
    // Writes of a newer version during the walk only add nodes above v, which the walk skips.
    baseIndex.forEach((i, k) => {
      const head = overlay.get(k);
      const n = head === undefined ? NONE : gen.visible(head, v);
      if (n === NONE) f(k, baseValues[i], baseTimes[i]);
      else if (gen.nodeDeleted[n] === 0) f(k, gen.nodeData[n] as S, gen.nodeTime[n]);
    });
    overlay.forEach((head, k) => {
      if (baseIndex.has(k)) return;
      const n = gen.visible(head, v);
      if (n !== NONE && gen.nodeDeleted[n] === 0) f(k, gen.nodeData[n] as S, gen.nodeTime[n]);
    });
  }

  getByTime(threshUpdatedTime: number): StateEntry<K, S>[] {
    const out: StateEntry<K, S>[] = [];
    this.forEach((k, s, t) => {
      if (t < threshUpdatedTime) out.push([k, s, t]);
    });
    return out;
  }

  put(key: K, state: S, updatedTime: number): void {
    this.ensureWritable();
    const gen = this.gen;
    const v = this.version;
    const head = gen.overlay.get(key);
    let existed: boolean;
    if (head !== undefined && gen.nodeVersion[head] === v) {
      existed = gen.nodeDeleted[head] === 0;
      gen.nodeData[head] = state;
      gen.nodeTime[head] = updatedTime;
      gen.nodeDeleted[head] = 0;
    } else {
      existed = head !== undefined ? gen.nodeDeleted[head] === 0 : gen.baseIndex.has(key);
      gen.overlay.set(key, gen.addNode(v, state, updatedTime, false, head ?? NONE));
    }
    if (!existed) this.count++;
  }

  remove(key: K): void {
    if (!this.has(key)) return;
    this.ensureWritable();
    const gen = this.gen;
    const head = gen.overlay.get(key);
    if (head !== undefined && gen.nodeVersion[head] === this.version) {
      gen.nodeDeleted[head] = 1;
      gen.nodeData[head] = undefined;
    } else {
      gen.overlay.set(key, gen.addNode(this.version, undefined, 0, true, head ?? NONE));
    }
    this.count--;
  }

  copy(): StateMap<K, S> {
    const gen = this.gen;
    if (this.version !== gen.headVersion || this.shouldCompact) {
      const flat = this.flatten();
      flat.headVersion = flat.baseVersion + 1;
      return OpenHashMapBasedStateMap.view(flat, flat.headVersion, this.count, this.deltaChainThreshold);
    }
    gen.headVersion = this.version + 1;
    return OpenHashMapBasedStateMap.view(gen, gen.headVersion, this.count, this.deltaChainThreshold);
  }

  /** Writes go to the newest version of a generation only; an older version first gets a generation of its own. */
  private ensureWritable(): void {
    if (this.version === this.gen.headVersion) return;
    const flat = this.flatten();
    flat.headVersion = flat.baseVersion + 1;
    this.gen = flat;
    this.version = flat.headVersion;
  }

  /** A new generation whose base is this map as it reads now. */
  private flatten(): Generation<K, S> {
    const n = this.count;
    const index = new KeyMap<K, number>();
    const values: S[] = new Array(n);
    const times = new Float64Array(n);
    let i = 0;
    this.forEach((k, s, t) => {
      index.set(k, i);
      values[i] = s;
      times[i] = t;
      i++;
    });
    const lastChanged = new KeyMap<K, number>();
    const v = this.version;
    const gen = this.gen;
    gen.overlay.forEach((head, k) => {
      const n = gen.visible(head, v);
      if (n !== NONE) lastChanged.set(k, gen.nodeVersion[n]);
    });
    return new Generation<K, S>(v, index, values, times, { id: this.gen.id, lastChanged });
  }

  changesSince(older: StateMap<K, S>, options: ChangesSinceOptions = {}): StateDelta<K, S> | undefined {
    if (older instanceof EmptyStateMap) return { updated: this.getAll(), removed: [] };
    if (!(older instanceof OpenHashMapBasedStateMap)) return undefined;
    const delta = this.recordedChangesSince(older as OpenHashMapBasedStateMap<K, S>);
    if (delta === undefined || options.immutableStates) return delta;
    // Object states may have been changed in place without a new put: report every live one too.
    const reported = new KeySet<K>();
    for (const [k] of delta.updated) reported.add(k);
    this.forEach((k, s, t) => {
      if (typeof s === 'object' && s !== null && !reported.has(k)) delta.updated.push([k, s, t]);
    });
    return delta;
  }

  /** The keys put or removed since `o`, from the versions' nodes (and the prior generation's change list). */
  private recordedChangesSince(o: OpenHashMapBasedStateMap<K, S>): StateDelta<K, S> | undefined {
    const gen = this.gen;
    const updated: StateEntry<K, S>[] = [];
    const removed: K[] = [];
    const v = this.version;
    if (o.gen === gen) {
      if (o.version > v) return undefined;
      gen.overlay.forEach((head, k) => {
        const n = gen.visible(head, v);
        if (n === NONE || gen.nodeVersion[n] <= o.version) return;
        if (gen.nodeDeleted[n] === 1) removed.push(k);
        else updated.push([k, gen.nodeData[n] as S, gen.nodeTime[n]]);
      });
      return { updated, removed };
    }
    const prior = gen.prior;
    if (prior === undefined || prior.id !== o.gen.id || o.version > gen.baseVersion) return undefined;
    const seen = new KeySet<K>();
    const report = (k: K): void => {
      if (seen.has(k)) return;
      seen.add(k);
      if (this.has(k)) updated.push([k, this.get(k) as S, this.getUpdateTime(k) as number]);
      else removed.push(k);
    };
    prior.lastChanged.forEach((changedAt, k) => {
      if (changedAt > o.version) report(k);
    });
    gen.overlay.forEach((head, k) => {
      if (gen.visible(head, v) !== NONE) report(k);
    });
    return { updated, removed };
  }

  toDebugString(): string {
    const g = this.gen;
    return `OpenHashMapBasedStateMap(generation ${g.id}, version ${this.version}, base ${g.baseIndex.size} keys at version ${g.baseVersion}, overlay ${g.overlay.size} keys, ${this.count} live keys, deltaChainLength ${this.deltaChainLength}/${this.deltaChainThreshold})`;
  }
}
