/**
 * The contract between `dstreams experiment` and an experiment program (docs/fault-experiments.md):
 *
 * Environment the runner gives the program (every attempt of every run):
 * - `DSTREAMS_EXPERIMENT_SOURCE=host:port`: the deterministic input. With `--source replayable` (default) a
 *   ReplayableLineSource (read it with ReplayableSocketReceiver); with `--source lines` a plain line server that
 *   sends each line once to the connected client (read it with `ssc.socketTextStream`). Record `i` is
 *   `"<i> <words...>"` (seeded words), so every record is unique.
 * - `DSTREAMS_EXPERIMENT_CHECKPOINT`: a fresh checkpoint folder per run (kept across the run's restarts).
 * - `DSTREAMS_EXPERIMENT_OUT`: a fresh output folder per run.
 * - `DSTREAMS_EXPERIMENT_RUN` (`reference` or `1`..N) and `DSTREAMS_EXPERIMENT_ATTEMPT` (1 = first process of the run).
 * - `DSTREAMS_FAULT=point:hit:action` on the first attempt of a faulty run only.
 *
 * What the program writes in the output folder (ExperimentProgram does all of it):
 * - a keyed (idempotent) output `name`: `<out>/<name>-<batchMs>.jsonl`, one JSON value per line, the whole file
 *   replaced on each write (a re-run batch overwrites its file);
 * - an append (naive) output `name`: `<out>/<name>.log.jsonl`, lines `{"batch":<ms>,"value":<json>}` appended
 *   (a re-run batch appends again);
 * - the journal `<out>/_journal.jsonl`: one JSON line per event, appended synchronously (JournalEntry below). The
 *   runner needs its `batch` events to know when the input is consumed.
 * The program runs until SIGTERM (it may stop gracefully).
 */
export const EXPERIMENT_ENV = {
  SOURCE: 'DSTREAMS_EXPERIMENT_SOURCE',
  SOURCE_KIND: 'DSTREAMS_EXPERIMENT_SOURCE_KIND',
  CHECKPOINT: 'DSTREAMS_EXPERIMENT_CHECKPOINT',
  OUT: 'DSTREAMS_EXPERIMENT_OUT',
  RUN: 'DSTREAMS_EXPERIMENT_RUN',
  ATTEMPT: 'DSTREAMS_EXPERIMENT_ATTEMPT',
} as const;

/** `replayable`: ReplayableLineSource (FROM/ACK protocol); `lines`: each line sent once, as `nc -lk` would. */
export type ExperimentSourceKind = 'replayable' | 'lines';
export const SOURCE_KINDS: readonly ExperimentSourceKind[] = ['replayable', 'lines'];

export const JOURNAL_FILE = '_journal.jsonl';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Whether `name` can name an output (no path separators, no leading `_`, not ending in `.log`). */
export function isValidOutputName(name: string): boolean {
  return NAME.test(name) && !name.endsWith('.log');
}

export function keyedOutputFile(name: string, batchMs: number): string {
  return `${name}-${batchMs}.jsonl`;
}

export function appendOutputFile(name: string): string {
  return `${name}.log.jsonl`;
}

/** What an output file of the folder is, from its name (undefined for other files). */
export function parseOutputFile(file: string): { kind: 'keyed'; name: string; batchMs: number } | { kind: 'append'; name: string } | undefined {
  if (file.startsWith('_')) return undefined;
  const append = /^(.+)\.log\.jsonl$/.exec(file);
  if (append) return { kind: 'append', name: append[1] };
  const keyed = /^(.+)-(\d+)\.jsonl$/.exec(file);
  if (keyed) return { kind: 'keyed', name: keyed[1], batchMs: Number(keyed[2]) };
  return undefined;
}

/** One line of the journal. `wall` is the writer's Date.now(). */
export type JournalEntry =
  | { event: 'start'; pid: number; attempt: number; recovered: boolean; wall: number }
  | { event: 'output'; pid: number; name: string; batch: number; records: number; wall: number }
  | { event: 'batch'; pid: number; batch: number; records: number; wall: number }
  | { event: 'wal-read'; pid: number; block: string; wall: number }
  | { event: 'blocks-missing'; pid: number; batch: number; stream: number; count: number; wall: number };

/** The input record `i` of a seeded experiment: its index, then the words. */
export function experimentRecord(index: number, words: string): string {
  return `${index} ${words}`;
}
