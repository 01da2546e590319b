import * as os from 'node:os';
import { SparkException } from './errors';

/** A parsed master URL. dstreams runs in one process, so only Spark's local masters exist. */
export interface MasterUrl {
  readonly master: string;
  /** Worker slots: the `N` of `local[N]`, the core count for `local[*]`; drives `defaultParallelism`. */
  readonly threads: number;
  /** Task attempts before an action fails: 1 for `local` and `local[N]`, `F` for `local[N,F]`. */
  readonly maxTaskAttempts: number;
}

/** Parses `local`, `local[N]`, `local[*]`, `local[N,F]`, `local[*,F]` as Spark's SparkContext does. */
export function parseMaster(master: string): MasterUrl {
  const m = master.trim();
  if (m === 'local') return { master: m, threads: 1, maxTaskAttempts: 1 };
  const re = /^local\[\s*([0-9]+|\*)\s*(?:,\s*([0-9]+)\s*)?\]$/.exec(m);
  if (re) {
    const threads = re[1] === '*' ? Math.max(1, os.cpus().length) : Number(re[1]);
    const attempts = re[2] === undefined ? 1 : Number(re[2]);
    if (threads <= 0) throw new SparkException(`Asked to run locally with ${threads} threads`);
    if (attempts <= 0) throw new SparkException(`Could not parse Master URL: '${master}': task attempts must be positive`);
    return { master: m, threads, maxTaskAttempts: attempts };
  }
  throw new SparkException(
    `Could not parse Master URL: '${master}'. dstreams runs in one process: use local, local[N], local[*] or local[N,F] ` +
      '(N worker slots, F task attempts).',
  );
}
