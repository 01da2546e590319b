import * as fs from 'node:fs';
import { DStreamsError } from './errors';
import type { SparkConf } from './SparkConf';
import { StreamingConf } from './StreamingConf';

/**
 * Named fault points: places on the data path where a fault experiment stops the process (SIGKILL) or throws.
 * Chosen by `dstreams.fault.point` / `.hit` / `.action` or by `DSTREAMS_FAULT=point:hit:action`. When nothing is
 * armed, {@link faultPoint} is one comparison against `undefined`.
 */
export const FAULT_POINTS = {
  'wal.after-append': 'a record is in the WAL (fsynced) and its write() has not resolved yet',
  'block.after-store-before-ack': 'a received block is stored (WAL + block manager) and the source is not yet acknowledged',
  'tracker.after-allocate': 'a batch\'s blocks are allocated (and logged) and its jobs are not generated yet',
  'job.between-outputs': 'one output operation of a batch has run and the next has not',
  'job.after-output': 'all output operations of a batch have run and the batch is not marked complete',
  'checkpoint.mid-write': 'half of a checkpoint file is written to its temporary name',
  'checkpoint.after-write-before-clean': 'a checkpoint is durable and old metadata/WAL segments are not cleaned yet',
} as const;

export type FaultPointName = keyof typeof FAULT_POINTS;

/**
 * The points of Kafka's transactional output and group mode (receivers/kafka/group): they are reached only by
 * programs that write with toKafka or run as members of a group, so `--fault all` of a single-process experiment
 * leaves them out.
 */
export const KAFKA_FAULT_POINTS = {
  'kafka.txn-open': "a batch's Kafka transaction holds its output, changelog records and input offsets and is not committed yet",
  'group.mid-restore': "a group member has read part of a gained partition's changelog and has not started the partition",
} as const;

export type KafkaFaultPointName = keyof typeof KAFKA_FAULT_POINTS;

/** Every fault point's name. */
export type AnyFaultPointName = FaultPointName | KafkaFaultPointName;
export type FaultAction = 'kill' | 'throw';

/** The error a `throw` fault point raises. */
export class InjectedFault extends DStreamsError {
  constructor(readonly point: AnyFaultPointName, readonly hit: number) {
    super(`Injected fault at ${point} (hit ${hit})`);
  }
}

interface Armed {
  point: AnyFaultPointName;
  hit: number;
  action: FaultAction;
  seen: number;
}

let armed: Armed | undefined = fromEnv(process.env.DSTREAMS_FAULT);

function check(point: string): AnyFaultPointName {
  if (!(point in FAULT_POINTS) && !(point in KAFKA_FAULT_POINTS)) {
    throw new DStreamsError(`Unknown fault point '${point}'. Known points: ${[...Object.keys(FAULT_POINTS), ...Object.keys(KAFKA_FAULT_POINTS)].join(', ')}`);
  }
  return point as AnyFaultPointName;
}

function fromEnv(spec: string | undefined): Armed | undefined {
  if (!spec) return undefined;
  const [point, hit = '1', action = 'kill'] = spec.split(':');
  if (action !== 'kill' && action !== 'throw') {
    throw new DStreamsError(`DSTREAMS_FAULT='${spec}': action must be kill or throw`);
  }
  const n = Number(hit);
  if (!Number.isInteger(n) || n < 1) throw new DStreamsError(`DSTREAMS_FAULT='${spec}': hit must be a positive integer`);
  return { point: check(point), hit: n, action, seen: 0 };
}

/** Arms the fault point named by the conf's `dstreams.fault.*` keys (the environment variable wins if set). */
export function configureFaults(conf: SparkConf): void {
  if (process.env.DSTREAMS_FAULT) return;
  const point = StreamingConf.FAULT_POINT.read(conf);
  if (point === undefined) return;
  armFault(check(point), StreamingConf.FAULT_HIT.read(conf), StreamingConf.FAULT_ACTION.read(conf));
}

/** Arms one fault point programmatically (tests). */
export function armFault(point: AnyFaultPointName, hit = 1, action: FaultAction = 'throw'): void {
  armed = { point: check(point), hit, action, seen: 0 };
}

export function disarmFaults(): void {
  armed = undefined;
}

/** Marks that execution reached `point`; kills the process or throws if this is the armed hit. */
export function faultPoint(point: AnyFaultPointName): void {
  if (armed === undefined || armed.point !== point) return;
  armed.seen += 1;
  if (armed.seen !== armed.hit) return;
  const { action, hit } = armed;
  armed = undefined;
  if (action === 'kill') {
    // Written synchronously so the experiment runner sees which point killed the process.
    try {
      fs.writeSync(2, `dstreams: fault point ${point} (hit ${hit}): SIGKILL\n`);
    } catch {
      /* stderr closed: nothing to report to */
    }
    process.kill(process.pid, 'SIGKILL');
  }
  throw new InjectedFault(point, hit);
}
