import { scalaString, SparkContext } from '../../lib';

/** A fresh context per test (one may be active per process), stopped afterwards. */
export function withContext(master = 'local[2]'): () => SparkContext {
  let sc: SparkContext | undefined;
  beforeEach(() => {
    sc = new SparkContext(master, 'rdd-test');
  });
  afterEach(() => {
    sc?.stop();
    sc = undefined;
  });
  return () => {
    if (!sc) throw new Error('no SparkContext outside a test');
    return sc;
  };
}

/** Elements as Scala prints them (`(a,(1,None))`), sorted: the "(set)" comparisons of Spark's suites. */
export function asSet(xs: readonly unknown[]): string[] {
  return xs.map(scalaString).sort();
}

/** `[from..to]` inclusive, as Scala's `from to to`. */
export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
