import * as fs from 'node:fs';
import * as path from 'node:path';

/** One segment file `log-<startTime>-<endTime>`: Spark's `FileBasedWriteAheadLog.LogInfo`. */
export interface LogInfo {
  readonly startTime: number;
  readonly endTime: number;
  readonly path: string;
}

const LOG_NAME = /^log-(\d+)-(\d+)$/;

export function logFileName(startTime: number, endTime: number): string {
  return `log-${startTime}-${endTime}`;
}

/** The LogInfo of a file name, or undefined if the name is not a segment's. */
export function parseLogFileName(dir: string, name: string): LogInfo | undefined {
  const m = LOG_NAME.exec(name);
  if (!m) return undefined;
  return { startTime: Number(m[1]), endTime: Number(m[2]), path: path.join(dir, name) };
}

/** Orders segments as Spark's recovery does: by start time (then end time, then name, for a stable order). */
export function compareLogInfo(a: LogInfo, b: LogInfo): number {
  return a.startTime - b.startTime || a.endTime - b.endTime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** The segments in `dir`, oldest first; none if the directory does not exist. Other files are ignored. */
export function listLogs(dir: string): LogInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    // Missing (or under a regular file): nothing to recover; the first write reports the problem.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
  const logs: LogInfo[] = [];
  for (const n of names) {
    const info = parseLogFileName(dir, n);
    if (info) logs.push(info);
  }
  return logs.sort(compareLogInfo);
}
