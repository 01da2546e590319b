import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DStreamsError } from '../core/errors';

/**
 * The on-disk form of a metadata checkpoint: a header line with the format version, then the body's CRC32 and
 * length, then the JSON body. A file that does not validate (wrong magic or version, torn, CRC mismatch, bad JSON)
 * is rejected with a {@link CorruptCheckpointError} naming the file and the cause, never half-read.
 *
 * ```
 * DSTREAMS-CHECKPOINT 1
 * 3a9f01c2 1834
 * {"formatVersion":1, ...}
 * ```
 */
export const CHECKPOINT_MAGIC = 'DSTREAMS-CHECKPOINT';
export const CHECKPOINT_FORMAT_VERSION = 1;

/** Spark's file names: `checkpoint-<ms>` and the previous copy `checkpoint-<ms>.bk`. */
export const CHECKPOINT_PREFIX = 'checkpoint-';
const NAME_RE = /^checkpoint-([0-9]+)(\.bk)?$/;

export class CorruptCheckpointError extends DStreamsError {
  constructor(readonly file: string, readonly reason: string) {
    super(`Checkpoint file ${file} is not valid: ${reason}`);
  }
}

export function encodeCheckpoint(body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const crc = zlib.crc32(json).toString(16).padStart(8, '0');
  return Buffer.concat([Buffer.from(`${CHECKPOINT_MAGIC} ${CHECKPOINT_FORMAT_VERSION}\n${crc} ${json.length}\n`, 'utf8'), json]);
}

/** The first `max` bytes as hex (`44 53 54 ...`), for errors about files that are not what they should be. */
export function hexBytes(bytes: Buffer, max = 24): string {
  const shown = bytes.subarray(0, max).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return `${shown}${bytes.length > max ? ' ...' : ''} (${bytes.length} bytes)`;
}

const EXPECTED_HEADER = `${CHECKPOINT_MAGIC} ${CHECKPOINT_FORMAT_VERSION}`;

export function decodeCheckpoint(file: string, bytes: Buffer): unknown {
  if (bytes.length === 0) throw new CorruptCheckpointError(file, 'the file is empty (torn write)');
  const nl1 = bytes.indexOf(0x0a);
  const headerBytes = nl1 < 0 ? bytes : bytes.subarray(0, nl1);
  const header = headerBytes.toString('latin1');
  const [magic, version] = header.split(' ');
  if (magic !== CHECKPOINT_MAGIC) {
    throw new CorruptCheckpointError(file, `not a dstreams checkpoint: it starts with bytes ${hexBytes(headerBytes)}, expected '${EXPECTED_HEADER}'`);
  }
  if (nl1 < 0) throw new CorruptCheckpointError(file, 'torn header (no end of line after the first one)');
  if (!/^[0-9]+$/.test(version ?? '') || Number(version) !== CHECKPOINT_FORMAT_VERSION) {
    throw new CorruptCheckpointError(file, `format version ${/^[0-9]+$/.test(version ?? '') ? version : `bytes ${hexBytes(headerBytes.subarray(CHECKPOINT_MAGIC.length + 1))}`}; this dstreams reads version ${CHECKPOINT_FORMAT_VERSION}`);
  }
  const nl2 = bytes.indexOf(0x0a, nl1 + 1);
  if (nl2 < 0) throw new CorruptCheckpointError(file, 'torn header (no end of line after the CRC and length)');
  const line2 = bytes.subarray(nl1 + 1, nl2);
  const m = /^([0-9a-f]{8}) ([0-9]+)$/.exec(line2.toString('latin1'));
  if (!m) throw new CorruptCheckpointError(file, `malformed CRC and length line: bytes ${hexBytes(line2)}, expected '<crc32 hex> <body length>'`);
  const [, crcHex, lenText] = m;
  const body = bytes.subarray(nl2 + 1);
  if (body.length !== Number(lenText)) throw new CorruptCheckpointError(file, `body is ${body.length} bytes, header says ${lenText} (torn write)`);
  const crc = zlib.crc32(body).toString(16).padStart(8, '0');
  if (crc !== crcHex) throw new CorruptCheckpointError(file, `CRC mismatch (stored ${crcHex}, computed ${crc})`);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new CorruptCheckpointError(file, `body is not JSON: ${(e as Error).message}`);
  }
}

export interface CheckpointFileInfo {
  readonly path: string;
  readonly name: string;
  readonly timeMs: number;
  readonly isBackup: boolean;
}

/** Spark's `getCheckpointFiles`: regular files whose NAME matches, by (time, `.bk` before main). */
export function getCheckpointFiles(dir: string): CheckpointFileInfo[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: CheckpointFileInfo[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const m = NAME_RE.exec(e.name);
    if (!m) continue;
    out.push({ path: path.join(dir, e.name), name: e.name, timeMs: Number(m[1]), isBackup: m[2] !== undefined });
  }
  return out.sort((a, b) => a.timeMs - b.timeMs || (a.isBackup === b.isBackup ? 0 : a.isBackup ? -1 : 1));
}

export function checkpointFileName(timeMs: number, backup = false): string {
  return `${CHECKPOINT_PREFIX}${timeMs}${backup ? '.bk' : ''}`;
}

/** fsyncs a directory so renames and creations in it are durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
