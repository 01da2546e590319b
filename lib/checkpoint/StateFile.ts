import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as zlib from 'node:zlib';
import { DStreamsError } from '../core/errors';
import { hexBytes } from './CheckpointFile';

/**
 * One partition's state at one data checkpoint, on disk: a header line (magic, format version), the body's CRC32
 * and length, then the body: `v8.serialize({ full, updated: [key, state, updateTime][], removed: key[] })`. A
 * `full` file is the whole state; otherwise it is the change since the previous file of the chain. Keys and
 * states must be structured-cloneable (class instances come back as plain objects).
 */
export const STATE_MAGIC = 'DSTREAMS-STATE';
export const STATE_FORMAT_VERSION = 1;

export interface StateFileBody {
  readonly full: boolean;
  readonly updated: ReadonlyArray<readonly [unknown, unknown, number]>;
  readonly removed: readonly unknown[];
}

export class StateCheckpointError extends DStreamsError {
  constructor(readonly file: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`State checkpoint file ${file}: ${reason}`, options);
  }
}

/** Writes the file durably (write, fsync) under a temporary name and renames it into place. */
export function writeStateFile(file: string, body: StateFileBody): number {
  let payload: Buffer;
  try {
    payload = v8.serialize(body);
  } catch (e) {
    throw new StateCheckpointError(file, `a key or state cannot be serialized (${(e as Error).message}); states must be structured-cloneable`, { cause: e });
  }
  const crc = zlib.crc32(payload).toString(16).padStart(8, '0');
  const bytes = Buffer.concat([Buffer.from(`${STATE_MAGIC} ${STATE_FORMAT_VERSION}\n${crc} ${payload.length}\n`), payload]);
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  return bytes.length;
}

export function readStateFile(file: string): StateFileBody {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new StateCheckpointError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the checkpoint refers to it`, { cause: e });
  }
  const nl1 = bytes.indexOf(0x0a);
  const [magic, version] = (nl1 < 0 ? bytes : bytes.subarray(0, nl1)).toString('latin1').split(' ');
  if (magic !== STATE_MAGIC || Number(version) !== STATE_FORMAT_VERSION) {
    throw new StateCheckpointError(file, `not a dstreams state file of version ${STATE_FORMAT_VERSION}: it starts with bytes ${hexBytes(bytes)}, expected '${STATE_MAGIC} ${STATE_FORMAT_VERSION}'`);
  }
  const nl2 = nl1 < 0 ? -1 : bytes.indexOf(0x0a, nl1 + 1);
  if (nl2 < 0) throw new StateCheckpointError(file, 'torn header');
  const [crcHex, len] = bytes.subarray(nl1 + 1, nl2).toString().split(' ');
  const payload = bytes.subarray(nl2 + 1);
  if (payload.length !== Number(len)) throw new StateCheckpointError(file, `body is ${payload.length} bytes, header says ${len} (torn write)`);
  if (zlib.crc32(payload).toString(16).padStart(8, '0') !== crcHex) throw new StateCheckpointError(file, 'CRC mismatch');
  return v8.deserialize(payload) as StateFileBody;
}
