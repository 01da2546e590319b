import * as fs from 'node:fs/promises';
import * as fsSync from 'node:fs';
import * as path from 'node:path';
import { type FileStatus, getFileStatus, getFileStatusSync, isNotFound } from './FileStatus';

/**
 * Path globs as Hadoop's `FileSystem.globStatus` takes them (Spark's file streams monitor `dir/*\/` or
 * `logs/2024-*`): within one path segment `*` (any run of characters), `?` (one character), `[abc]`, `[a-z]`,
 * `[!a]` / `[^a]`, `{x,y}` alternatives, and `\` to escape. A glob never crosses a `/`.
 */

const SPECIAL = new Set(['*', '?', '[', '{']);

/** `file:///tmp/x` and `file:/tmp/x` (Spark-style URIs) become `/tmp/x`; the result is absolute. */
export function normalizeInputPath(p: string): string {
  let s = p.trim();
  if (s.startsWith('file://')) s = s.slice('file://'.length);
  else if (s.startsWith('file:')) s = s.slice('file:'.length);
  return path.resolve(s);
}

/** Whether a path segment has an unescaped glob character. */
export function hasGlob(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\') i++;
    else if (SPECIAL.has(c)) return true;
  }
  return false;
}

function unescapeSegment(segment: string): string {
  return segment.replace(/\\(.)/g, '$1');
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/;

/** The anchored regular expression of one glob segment (Hadoop's `GlobPattern`). */
export function globToRegExp(segment: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\' && i + 1 < segment.length) {
      const next = segment[++i];
      re += REGEX_SPECIAL.test(next) ? `\\${next}` : next;
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '{') {
      re += '(?:';
      braces++;
    } else if (c === '}' && braces > 0) {
      re += ')';
      braces--;
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body}]`;
      i = close;
    } else re += REGEX_SPECIAL.test(c) ? `\\${c}` : c;
  }
  if (braces > 0) throw new SyntaxError(`Unclosed group in glob ${segment}`);
  return new RegExp(`^${re}$`, 's');
}

/** The glob-free prefix of a pattern and the segments after it (literal names or patterns). */
interface GlobPlan {
  readonly base: string;
  readonly parts: ReadonlyArray<string | RegExp>;
}

function planGlob(pattern: string): GlobPlan {
  const abs = normalizeInputPath(pattern);
  const segments = abs.split(path.sep).filter((s) => s !== '');
  const first = segments.findIndex(hasGlob);
  if (first === -1) return { base: abs, parts: [] };
  const base = path.sep + segments.slice(0, first).join(path.sep);
  const parts = segments.slice(first).map((s) => (hasGlob(s) ? globToRegExp(s) : unescapeSegment(s)));
  return { base, parts };
}

/** What a glob matched. `missingBase` is set when the glob-free prefix itself does not exist. */
export interface GlobResult {
  readonly statuses: FileStatus[];
  readonly missingBase?: string;
}

/** Hadoop's `globStatus(pattern)`: every existing path the pattern matches, with its status, sorted by path. */
export async function globStatus(pattern: string): Promise<GlobResult> {
  const plan = planGlob(pattern);
  let current: FileStatus[];
  try {
    current = [await getFileStatus(plan.base)];
  } catch (e) {
    if (isNotFound(e)) return { statuses: [], missingBase: plan.base };
    throw e;
  }
  for (const part of plan.parts) {
    const next: Promise<FileStatus | undefined>[] = [];
    for (const dir of current) {
      if (!dir.isDirectory) continue;
      const names = typeof part === 'string' ? [part] : (await fs.readdir(dir.path).catch(notFoundAsEmpty)).filter((n) => part.test(n));
      for (const n of names) next.push(getFileStatus(path.join(dir.path, n)).catch(notFoundAsUndefined));
    }
    current = (await Promise.all(next)).filter((s): s is FileStatus => s !== undefined);
  }
  return { statuses: current.sort(byPath) };
}

/** The synchronous `globStatus` (for driver-side code that cannot wait, such as an RDD's partition list). */
export function globStatusSync(pattern: string): GlobResult {
  const plan = planGlob(pattern);
  let current: FileStatus[];
  try {
    current = [getFileStatusSync(plan.base)];
  } catch (e) {
    if (isNotFound(e)) return { statuses: [], missingBase: plan.base };
    throw e;
  }
  for (const part of plan.parts) {
    const next: FileStatus[] = [];
    for (const dir of current) {
      if (!dir.isDirectory) continue;
      let names: string[];
      if (typeof part === 'string') names = [part];
      else {
        try {
          names = fsSync.readdirSync(dir.path).filter((n) => part.test(n));
        } catch (e) {
          names = notFoundAsEmpty(e);
        }
      }
      for (const n of names) {
        try {
          next.push(getFileStatusSync(path.join(dir.path, n)));
        } catch (e) {
          notFoundAsUndefined(e);
        }
      }
    }
    current = next;
  }
  return { statuses: current.sort(byPath) };
}

function byPath(a: FileStatus, b: FileStatus): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function notFoundAsEmpty(e: unknown): string[] {
  if (isNotFound(e)) return [];
  throw e;
}

function notFoundAsUndefined(e: unknown): undefined {
  if (isNotFound(e)) return undefined;
  throw e;
}
