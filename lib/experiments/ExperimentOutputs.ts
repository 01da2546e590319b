import * as fs from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_FILE, type JournalEntry, parseOutputFile } from './ExperimentContract';
import { ExperimentContractError } from './ExperimentErrors';

/** Files keyed by batch time, an append log (ExperimentContract.ts), or a Kafka topic's committed records (group experiments). */
export type OutputKind = 'keyed' | 'append' | 'kafka';

/** One output of a run: every record it holds (as JSON text, with multiplicity) and the batch times seen. */
export interface OutputRecords {
  readonly name: string;
  readonly kind: OutputKind;
  /** JSON text of a record → how many times the output holds it. */
  readonly counts: Map<string, number>;
  readonly total: number;
  readonly batches: number;
}

/** What a run left in its output folder. */
export interface RunOutputs {
  readonly outputs: Map<string, OutputRecords>;
  readonly journal: JournalEntry[];
}

/** Reads an experiment output folder (the files of ExperimentContract.ts). A malformed line is an error naming the file. */
export function readRunOutputs(outDir: string): RunOutputs {
  const outputs = new Map<string, { kind: 'keyed' | 'append'; counts: Map<string, number>; total: number; batches: Set<number> }>();
  const get = (name: string, kind: 'keyed' | 'append', file: string) => {
    let o = outputs.get(name);
    if (o === undefined) {
      o = { kind, counts: new Map(), total: 0, batches: new Set() };
      outputs.set(name, o);
    } else if (o.kind !== kind) {
      throw new ExperimentContractError(`output '${name}'`, `written both as a keyed and as an append output (${file})`);
    }
    return o;
  };
  const files = fs.existsSync(outDir) ? fs.readdirSync(outDir).sort() : [];
  for (const file of files) {
    const parsed = parseOutputFile(file);
    if (parsed === undefined) continue;
    const lines = readLines(path.join(outDir, file));
    const o = get(parsed.name, parsed.kind, file);
    if (parsed.kind === 'keyed') o.batches.add(parsed.batchMs);
    for (let i = 0; i < lines.length; i++) {
      let key = lines[i];
      if (parsed.kind === 'append') {
        const entry = parseJson(lines[i], file, i) as { batch?: unknown; value?: unknown };
        if (typeof entry !== 'object' || entry === null || typeof entry.batch !== 'number' || !('value' in entry)) {
          throw new ExperimentContractError(`${file} line ${i + 1}`, 'an append output line is {"batch":<ms>,"value":<json>}');
        }
        o.batches.add(entry.batch);
        key = JSON.stringify(entry.value);
      } else {
        // Normalized, so that the same value written with other spacing compares equal.
        key = JSON.stringify(parseJson(key, file, i));
      }
      o.counts.set(key, (o.counts.get(key) ?? 0) + 1);
      o.total++;
    }
  }
  const journalPath = path.join(outDir, JOURNAL_FILE);
  const journal: JournalEntry[] = [];
  if (fs.existsSync(journalPath)) {
    const lines = readLines(journalPath);
    for (let i = 0; i < lines.length; i++) {
      // A process killed mid-append may leave a torn last line: skip it (it is the only one that can be torn).
      try {
        journal.push(JSON.parse(lines[i]) as JournalEntry);
      } catch {
        if (i !== lines.length - 1) throw new ExperimentContractError(`${JOURNAL_FILE} line ${i + 1}`, 'not JSON');
      }
    }
  }
  const result = new Map<string, OutputRecords>();
  for (const [name, o] of [...outputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    result.set(name, { name, kind: o.kind, counts: o.counts, total: o.total, batches: o.batches.size });
  }
  return { outputs: result, journal };
}

function readLines(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function parseJson(line: string, file: string, index: number): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    throw new ExperimentContractError(`${file} line ${index + 1}`, `not JSON (${(e as Error).message})`);
  }
}
