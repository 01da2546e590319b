/**
 * The object-file format of `saveAsObjectFiles`: Spark writes a Hadoop SequenceFile of Java-serialized element
 * arrays; dstreams writes a folder like `saveAsTextFile`'s (`part-00000`, ... one per partition, and `_SUCCESS`)
 * where each part is one `v8.serialize(elements)` of the partition's elements. v8 keeps what JSON loses (`Map`,
 * `Set`, `Date`, `BigInt`, typed arrays, `undefined`), but not classes: instances come back as plain objects and
 * array subclasses (CompactBuffer) as arrays.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { SparkException } from '../../core/errors';
import type { RDD } from '../../rdd/RDD';

/** Writes `rdd` to the folder `dir` (replacing an earlier output there, so a re-run batch overwrites its own). */
export async function writeObjectFile<T>(rdd: RDD<T>, dir: string): Promise<void> {
  const out = path.resolve(dir);
  // The old _SUCCESS goes first, so a crash while writing never leaves a folder that looks complete.
  fs.rmSync(path.join(out, '_SUCCESS'), { force: true });
  const temp = path.join(out, `_temporary-${crypto.randomUUID()}`);
  fs.mkdirSync(temp, { recursive: true });
  let names: string[];
  try {
    names = await rdd.sc.dagScheduler.runJob(
      rdd,
      (ctx) => {
        const elements: T[] = [];
        return {
          sink: (x: T) => void elements.push(x),
          finish: async () => {
            const name = `part-${String(ctx.partitionId).padStart(5, '0')}`;
            await fs.promises.writeFile(path.join(temp, name), v8.serialize(elements));
            return name;
          },
        };
      },
      'saveAsObjectFile',
    );
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  for (const name of names) fs.renameSync(path.join(temp, name), path.join(out, name));
  fs.rmSync(temp, { recursive: true, force: true });
  const written = new Set(names);
  for (const f of fs.readdirSync(out)) if (/^part-\d{5,}$/.test(f) && !written.has(f)) fs.rmSync(path.join(out, f), { force: true });
  fs.writeFileSync(path.join(out, '_SUCCESS'), '');
}

/**
 * Reads a folder written by `saveAsObjectFiles` back (Spark's `sc.objectFile`): the elements, part by part. A
 * folder without `_SUCCESS` (an output that did not finish) or a part that does not deserialize is an error
 * naming the file.
 */
export function readObjectFile<T>(dir: string): T[] {
  const full = path.resolve(dir);
  if (!fs.existsSync(path.join(full, '_SUCCESS'))) {
    throw new SparkException(`${full} is not a complete object file output (no _SUCCESS file)`);
  }
  const parts = fs
    .readdirSync(full)
    .filter((f) => /^part-\d{5,}$/.test(f))
    .sort();
  const out: T[] = [];
  for (const part of parts) {
    const file = path.join(full, part);
    let elements: unknown;
    try {
      elements = v8.deserialize(fs.readFileSync(file));
    } catch (e) {
      throw new SparkException(`Cannot read object file part ${file}: ${(e as Error).message}`, { cause: e });
    }
    if (!Array.isArray(elements)) throw new SparkException(`Object file part ${file} does not hold an array of elements`);
    for (const x of elements) out.push(x as T);
  }
  return out;
}
