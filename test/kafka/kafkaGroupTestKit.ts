import type { Admin } from 'kafkajs';
import { KafkaClientCache, OffsetRange, resolveKafkaParams, TopicPartition, type KafkaGroupEventWithContext } from '../../receivers/kafka';
import { readOffsetRange } from '../../receivers/kafka/KafkaDataConsumer';
import { holding as heldPartitions, readEvents } from '../../lib/experiments/GroupExperimentRun';
import type { Running } from '../examples/exampleKit';

/**
 * What the group-mode suites share: reading a member's event log (`dstreams.kafka.group.eventLog`), waiting on
 * events and broker state (never on time), a group's committed offsets, and a topic's committed records as a
 * `read_committed` consumer sees them.
 */

/** The events a member has appended to its log so far (none before it wrote any). */
export function events(file: string): KafkaGroupEventWithContext[] {
  return readEvents(file) as unknown as KafkaGroupEventWithContext[];
}

/** The partitions a member reads now, from its events (acquired, minus revoked, lost and reset). */
export function holding(file: string): Set<string> {
  return heldPartitions(readEvents(file));
}

/**
 * Polls `cond` every 200 ms until it holds; fails with the members' stderr when one of `members` exits meanwhile
 * (unless it is in `mayExit`) or after `ms`.
 */
export async function waitUntil(what: string, cond: () => boolean | Promise<boolean>, members: ReadonlyMap<string, Running>, ms: number, mayExit: ReadonlySet<string> = new Set()): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    for (const [name, r] of members) {
      if (mayExit.has(name)) continue;
      if (r.child.exitCode !== null || r.child.signalCode !== null) {
        throw new Error(`${name} exited (${r.child.exitCode ?? r.child.signalCode}) before ${what}:\n${r.stderr().slice(-4000)}`);
      }
    }
    if (Date.now() > end) {
      const tails = [...members].map(([n, r]) => `--- ${n}:\n${r.stderr().slice(-1500)}`).join('\n');
      throw new Error(`timed out after ${ms} ms waiting for ${what}\n${tails}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The sum over `topic`'s partitions of `group`'s committed offsets (partitions without a commit count 0). */
export async function committedTotal(admin: Admin, group: string, topic: string): Promise<number> {
  const res = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  let n = 0;
  for (const p of res[0]?.partitions ?? []) n += Math.max(0, Number(p.offset));
  return n;
}

/**
 * Every committed record of `topic` as `key → value` pairs, partition by partition in offset order, read as a
 * `read_committed` consumer reads them (aborted transactions and commit markers left out).
 */
export async function readCommitted(bootstrap: string, topic: string): Promise<Array<[string | null, string | null]>> {
  const params = resolveKafkaParams<string, string>({
    'bootstrap.servers': bootstrap,
    'key.deserializer': 'StringDeserializer',
    'value.deserializer': 'StringDeserializer',
    'isolation.level': 'read_committed',
    retries: 3,
  });
  const lease = await KafkaClientCache.acquire(params, false);
  const out: Array<[string | null, string | null]> = [];
  try {
    const client = lease.client;
    const parts = (await client.partitionsFor([topic])).get(topic)!.map((p) => new TopicPartition(topic, p));
    const low = await client.listOffsets(parts, 'earliest');
    const high = await client.listOffsets(parts, 'latest');
    for (const tp of parts) {
      const range = new OffsetRange(topic, tp.partition, low.get(tp.toString())!, high.get(tp.toString())!);
      if (range.count() === 0) continue;
      await readOffsetRange(client, params, range, (r) => void out.push([r.key, r.value]), { pollTimeoutMs: 30_000, allowNonConsecutiveOffsets: true });
    }
  } finally {
    lease.release();
  }
  return out;
}

/** The last value of each key (a compacted topic's view; `null` removes the key). */
export function lastValues(records: ReadonlyArray<[string | null, string | null]>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of records) {
    if (k === null) continue;
    if (v === null) m.delete(k);
    else m.set(k, v);
  }
  return m;
}
