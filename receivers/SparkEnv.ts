import type { SparkContext } from '../lib/rdd/SparkContext';
import { BlockManager } from '../lib/storage/BlockManager';

const envs = new WeakMap<SparkContext, SparkEnv>();

/**
 * The per-context services the receiver machinery shares: Spark's `SparkEnv` reduced to its block manager (receiver
 * supervisors put blocks there, BlockRDDs read them). One per SparkContext, created on first use.
 */
export class SparkEnv {
  readonly blockManager = new BlockManager();

  /** The environment of `sc` (Spark's `SparkEnv.get`). */
  static get(sc: SparkContext): SparkEnv {
    let env = envs.get(sc);
    if (!env) envs.set(sc, (env = new SparkEnv()));
    return env;
  }
}
