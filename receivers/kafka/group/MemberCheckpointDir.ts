import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SparkConf } from '../../../lib/core/SparkConf';
import { MemberCheckpointDirInUseException } from './GroupErrors';
import { groupModeEnabled, memberName } from './KafkaGroupConf';

/**
 * In group mode `<base>/members/<member>`, the checkpoint folder of this process in its group
 * (`dstreams.kafka.group.member`, default `<hostname>-<pid>`); otherwise `base`. In group mode each member
 * checkpoints only its own partitions, so members must not share a folder; pass this to
 * `StreamingContext.getOrCreate` and `ssc.checkpoint`. (The group's committed offsets and the changelogs, not these
 * folders, say where a partition resumes.)
 */
export function memberCheckpointDir(base: string, conf: SparkConf = new SparkConf()): string {
  if (!groupModeEnabled(conf)) return path.resolve(base);
  const name = memberName(conf).replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(path.resolve(base), 'members', name);
}

const LOCK_FILE = '.group-member.json';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly member: string;
}

/**
 * Marks `dir` as this member's; a folder held by another live process of this machine is a
 * MemberCheckpointDirInUseException (a folder left by a dead process is taken over).
 */
export function claimCheckpointDir(dir: string, member: string): void {
  const file = path.join(dir, LOCK_FILE);
  const host = os.hostname();
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
    if (h.pid !== process.pid && h.host === host && isAlive(h.pid)) throw new MemberCheckpointDirInUseException(dir, `${h.member} (pid ${h.pid})`);
  } catch (e) {
    if (e instanceof MemberCheckpointDirInUseException) throw e;
    // No holder, or an unreadable one: take it.
  }
  fs.mkdirSync(dir, { recursive: true });
  const holder: Holder = { pid: process.pid, host, member };
  fs.writeFileSync(file, JSON.stringify(holder));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
