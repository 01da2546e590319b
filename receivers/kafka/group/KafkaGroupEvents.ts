import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigurationError } from '../../../lib/core/errors';
import { getLogger } from '../../../lib/core/logging';

const log = getLogger('KafkaGroupEvents');

/**
 * What a group-mode stream tells its listeners (tests, the experiment journal, benchmarks, logs), each with the
 * member and the wall time, so that events of several processes can be put on one time line.
 */
export type KafkaGroupEvent =
  /** A JoinGroup + SyncGroup round ended: this member's partitions in the new generation. */
  | { kind: 'joined'; generation: number; memberId: string; leader: boolean; assigned: string[]; withheld: string[]; joinMs: number }
  /** Partitions this member was given are ready (producer fenced, state restored): they join the next batch. */
  | { kind: 'acquired'; partitions: string[] }
  /** A partition's state was read back from its changelog. */
  | { kind: 'restored'; stream: string; partition: string; changelog: string; keys: number; records: number; ms: number }
  /** Partitions taken away by a rebalance, released at a batch boundary once their batches were committed. */
  | { kind: 'revoked'; partitions: string[]; waitedMs: number }
  /** Partitions lost without a handover (this member was out of the group, a producer was fenced). */
  | { kind: 'lost'; partitions: string[]; reason: string }
  /** A partition whose batch failed or whose transaction did not commit: released and read back from Kafka. */
  | { kind: 'reset'; partitions: string[]; reason: string }
  /** A batch's transactions committed: output, changelog records and input offsets of these partitions. */
  | { kind: 'committed'; batch: number; partitions: string[]; records: number; inputRecords: number; ms: number };

export type KafkaGroupEventWithContext = KafkaGroupEvent & { readonly member: string; readonly group: string; readonly wall: number };

export type KafkaGroupListener = (event: KafkaGroupEventWithContext) => void;

/**
 * A listener that appends each event as a JSON line to `file` (`dstreams.kafka.group.eventLog`), synchronously, so a
 * member killed by a fault point has written what it saw. The file's folder must exist.
 */
export function eventLogWriter(file: string): KafkaGroupListener {
  const full = path.resolve(file);
  if (!fs.existsSync(path.dirname(full)) || !fs.statSync(path.dirname(full)).isDirectory()) {
    throw new ConfigurationError('dstreams.kafka.group.eventLog', file, 'a file in an existing folder');
  }
  return (e) => fs.appendFileSync(full, JSON.stringify(e) + '\n');
}

/** Listeners of one member; a throwing listener is logged and kept. */
export class KafkaGroupEvents {
  private readonly listeners: KafkaGroupListener[] = [];

  constructor(
    private readonly group: string,
    private readonly member: string,
  ) {}

  on(listener: KafkaGroupListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(event: KafkaGroupEvent): void {
    if (this.listeners.length === 0) return;
    const e: KafkaGroupEventWithContext = { ...event, member: this.member, group: this.group, wall: Date.now() };
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        log.error({ err, event: event.kind }, 'a group event listener threw');
      }
    }
  }
}
