/**
 * The dstreams side of the fidelity programs (test/fidelity/README.md): the twin of each Spark program, run on the
 * manual clock, and the comparison of what it printed with what real Spark printed (test/fidelity/goldens/).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DStream, Milliseconds, type RDD, type SparkContext, SparkConf, StreamingContext } from '../../lib';

export type Flavor = 'python' | 'scala';
export const FLAVORS: readonly Flavor[] = ['python', 'scala'];

export const PROGRAMS_DIR = path.join(__dirname, 'programs');
export const GOLDENS_DIR = path.join(__dirname, 'goldens');

/** One input of a program: a queue of batches, each made into an RDD of `partitions` slices. */
export interface InputSpec {
  readonly partitions?: number;
  readonly batches: ReadonlyArray<readonly unknown[] | { readonly range: readonly [number, number] }>;
}

/** A program's entry in its topic's .json file. */
export interface ProgramSpec {
  readonly name: string;
  readonly topic: string;
  readonly about?: string;
  readonly batches: number;
  readonly batchMs?: number;
  readonly checkpoint?: boolean;
  readonly flavors?: readonly Flavor[];
  readonly inputs: readonly InputSpec[];
  /** How batches are compared: `exact` (default: text and order) or `multiset` (each batch's lines in any order). */
  readonly order?: OrderMode | Partial<Record<Flavor, OrderMode>>;
  /** Who makes a multiset program exact (e.g. `order`: the branch reproducing Spark's in-batch order). */
  readonly orderOwner?: string;
  /** Documented differences rewritten in the golden before comparing (see NORMALIZERS). */
  readonly normalize?: Partial<Record<Flavor, readonly NormalizerName[]>>;
  /** A difference that is not fixed yet: the test asserts the output still differs (remove it once it matches). */
  readonly differs?: Partial<Record<Flavor, string>>;
}

export type OrderMode = 'exact' | 'multiset';

/** What a twin gets: the contexts, its flavour and its inputs (input i = the i-th entry of the program's "inputs"). */
export class TwinCtx {
  constructor(
    readonly ssc: StreamingContext,
    readonly spec: ProgramSpec,
    readonly flavor: Flavor,
  ) {}

  get sc(): SparkContext {
    return this.ssc.sparkContext;
  }

  /** `print(num)` for the Scala flavour, `pprint(num)` for the Python one. */
  out<T>(stream: DStream<T>, num?: number): void {
    if (this.flavor === 'python') stream.pprint(num);
    else stream.print(num);
  }

  /** A line as `println` (Scala) or `print` (Python) writes it, for programs printing from foreachRDD. */
  println(line: string): void {
    this.ssc.out.write(line + '\n');
  }

  partitions(i = 0): number {
    return this.spec.inputs[i].partitions ?? 2;
  }

  /** Input i's batches as arrays of records (see decode). */
  batches<T>(i = 0): T[][] {
    return this.spec.inputs[i].batches.map((b) => decodeBatch(b) as T[]);
  }

  rdds<T>(i = 0): RDD<T>[] {
    return this.batches<T>(i).map((b) => this.sc.makeRDD(b, this.partitions(i)));
  }

  /** A queueStream of input i's RDDs (Spark's defaults: one at a time, one empty partition once drained). */
  stream<T>(i = 0): DStream<T> {
    return this.ssc.queueStream(this.rdds<T>(i));
  }
}

export type Twin = (c: TwinCtx) => void;

/**
 * A JSON record as the JavaScript value a port would hold: arrays are tuples (plain arrays), `{"$long": "n"}` and
 * `{"$bigint": "n"}` bigints, `{"$float": "nan" | "inf" | "-inf" | "x"}` numbers, `{"$map": [[k, v], ...]}` a Map.
 */
export function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$long' in o) return BigInt(o.$long as string);
    if ('$bigint' in o) return BigInt(o.$bigint as string);
    if ('$float' in o) {
      const s = o.$float as string;
      return s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
    }
    if ('$map' in o) return new Map((o.$map as [unknown, unknown][]).map(([k, x]) => [decode(k), decode(x)]));
    throw new Error(`unknown tagged value ${JSON.stringify(v)}`);
  }
  return v;
}

function decodeBatch(b: InputSpec['batches'][number]): unknown[] {
  if (!Array.isArray(b)) {
    const [from, until] = (b as { range: [number, number] }).range;
    return Array.from({ length: until - from }, (_, i) => from + i);
  }
  return b.map(decode);
}

/** Every program of every topic file, by name. */
export function loadSpecs(): Map<string, ProgramSpec> {
  const specs = new Map<string, ProgramSpec>();
  for (const file of fs.readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const topic = file.replace(/\.json$/, '');
    const parsed = JSON.parse(fs.readFileSync(path.join(PROGRAMS_DIR, file), 'utf8')) as { programs: Omit<ProgramSpec, 'topic'>[] };
    for (const p of parsed.programs) {
      if (specs.has(p.name)) throw new Error(`program ${p.name} is defined twice`);
      specs.set(p.name, { ...p, topic });
    }
  }
  return specs;
}

/** Every twin of every topic's .ts file, by name. */
export function loadTwins(): Map<string, Twin> {
  const twins = new Map<string, Twin>();
  for (const file of fs.readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(PROGRAMS_DIR, file)) as { twins: Record<string, Twin> };
    for (const [name, twin] of Object.entries(mod.twins)) {
      if (twins.has(name)) throw new Error(`twin ${name} is defined twice`);
      twins.set(name, twin);
    }
  }
  return twins;
}

export function flavorsOf(spec: ProgramSpec): readonly Flavor[] {
  return spec.flavors ?? FLAVORS;
}

export function orderOf(spec: ProgramSpec, flavor: Flavor): OrderMode {
  const o = spec.order;
  if (o === undefined) return 'exact';
  if (typeof o === 'string') return o;
  return o[flavor] ?? 'exact';
}

export function goldenPath(name: string, flavor: Flavor): string {
  return path.join(GOLDENS_DIR, `${name}.${flavor}.txt`);
}

/** Runs a twin on the manual clock (local[2], the program's batch duration, its flavour) and returns what it printed. */
export async function runTwin(spec: ProgramSpec, twin: Twin, flavor: Flavor): Promise<string> {
  const conf = new SparkConf(false)
    .setMaster('local[2]')
    .setAppName('dstreams-fidelity')
    .set('spark.streaming.clock', 'org.apache.spark.util.ManualClock')
    // The program's Spark: Scala's partitions, order and operators, or PySpark's (lib/rdd/ApiFlavor.ts).
    .set('dstreams.api.flavor', flavor);
  const ssc = new StreamingContext(conf, Milliseconds(spec.batchMs ?? 1000));
  let text = '';
  ssc.out = { write: (t: string) => (text += t) };
  const cp = spec.checkpoint ? fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-fidelity-cp-')) : undefined;
  try {
    if (cp !== undefined) ssc.checkpoint(cp);
    twin(new TwinCtx(ssc, spec, flavor));
    await ssc.start();
    await ssc.step(spec.batches);
    await ssc.awaitTerminationOrTimeout(0);
  } finally {
    await ssc.stop(true, false);
    if (cp !== undefined) fs.rmSync(cp, { recursive: true, force: true });
  }
  return text;
}

const DASHES = '-'.repeat(43);

/**
 * Batch times as milliseconds: `Time: 1000 ms` stays, PySpark's `Time: 1970-01-01 00:00:01[.500000]` becomes
 * `Time: 1000 ms` (the goldens are recorded with TZ=UTC, dstreams prints local time: `utc` says which).
 */
export function normaliseTimes(text: string, utc: boolean): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i - 1] !== DASHES) continue;
    const m = /^Time: (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{6}))?$/.exec(lines[i]);
    if (!m) continue;
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const ms = m[7] === undefined ? 0 : Math.round(Number(m[7]) / 1000);
    const t = utc ? Date.UTC(y, mo - 1, d, h, mi, s, ms) : new Date(y, mo - 1, d, h, mi, s, ms).getTime();
    lines[i] = `Time: ${t} ms`;
  }
  return lines.join('\n');
}

/** Each batch's element lines sorted (the header and the `...` line stay where they are). */
export function sortBatches(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i] === DASHES && /^Time: /.test(lines[i + 1] ?? '') && lines[i + 2] === DASHES) {
      out.push(lines[i], lines[i + 1], lines[i + 2]);
      i += 3;
      const elements: string[] = [];
      while (i < lines.length && lines[i] !== '' && lines[i] !== '...') elements.push(lines[i++]);
      out.push(...elements.sort());
    } else out.push(lines[i++]);
  }
  return out.join('\n');
}

export type NormalizerName = 'scala-option';

/**
 * Documented differences (docs/differences-from-spark.md), rewritten in the golden so that the rest is compared:
 * - `scala-option`: Scala's `Some(x)` of the outer joins is `x` in dstreams (and `None` stays `None`).
 */
export const NORMALIZERS: Record<NormalizerName, (golden: string) => string> = {
  'scala-option': (g) => unwrapCalls(g, 'Some'),
};

/** `Some(x)` → `x`, with balanced parentheses inside x. */
function unwrapCalls(text: string, name: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = text.indexOf(`${name}(`, i);
    if (at < 0) return out + text.slice(i);
    out += text.slice(i, at);
    let depth = 0;
    let j = at + name.length;
    for (; j < text.length; j++) {
      if (text[j] === '(') depth++;
      else if (text[j] === ')' && --depth === 0) break;
    }
    out += unwrapCalls(text.slice(at + name.length + 1, j), name);
    i = j + 1;
  }
}

/** The golden and the twin's output, ready to compare (times normalised, documented rewrites, order mode). */
export function comparable(spec: ProgramSpec, flavor: Flavor, golden: string, actual: string): { expected: string; actual: string } {
  let g = normaliseTimes(golden, true);
  let a = normaliseTimes(actual, false);
  for (const n of spec.normalize?.[flavor] ?? []) g = NORMALIZERS[n](g);
  if (orderOf(spec, flavor) === 'multiset') {
    g = sortBatches(g);
    a = sortBatches(a);
  }
  return { expected: g, actual: a };
}
