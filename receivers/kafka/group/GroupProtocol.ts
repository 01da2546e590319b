import { AssignerProtocol } from 'kafkajs';
import type { MemberSubscription } from './CooperativeStickyAssignor';

/**
 * The group protocol dstreams members speak (JoinGroup `protocol_type` "consumer", protocol name below): Kafka's
 * consumer subscription and assignment layouts (kafkajs' `AssignerProtocol`), with KIP-429's owned partitions and
 * their generation carried as JSON in `user_data`. The name differs from Java's `cooperative-sticky` on purpose: a
 * Java consumer would read the owned partitions from another field, so the coordinator refuses a mixed group
 * (INCONSISTENT_GROUP_PROTOCOL) instead of letting two encodings meet.
 */
export const GROUP_PROTOCOL_NAME = 'dstreams-cooperative-sticky';

/** What a member says about itself in `user_data`. */
interface SubscriptionUserData {
  readonly owned: readonly string[];
  readonly generation: number;
  /** `dstreams.kafka.group.member` (for logs and reports). */
  readonly name: string;
}

export function encodeSubscription(topics: readonly string[], owned: readonly string[], generation: number, name: string): Buffer {
  const userData: SubscriptionUserData = { owned, generation, name };
  return AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [...topics], userData: Buffer.from(JSON.stringify(userData)) });
}

/** A member's JoinGroup metadata as the leader reads it; a member that is not a dstreams one claims nothing. */
export function decodeSubscription(memberId: string, metadata: Buffer): MemberSubscription & { readonly name: string } {
  const m = AssignerProtocol.MemberMetadata.decode(metadata) ?? { version: 0, topics: [], userData: Buffer.alloc(0) };
  let data: Partial<SubscriptionUserData> = {};
  try {
    if (m.userData && m.userData.length > 0) data = JSON.parse(m.userData.toString('utf8')) as Partial<SubscriptionUserData>;
  } catch {
    data = {};
  }
  const owned = Array.isArray(data.owned) ? data.owned.filter((x): x is string => typeof x === 'string') : [];
  return {
    memberId,
    topics: m.topics,
    owned,
    generation: Number.isSafeInteger(data.generation) ? (data.generation as number) : -1,
    name: typeof data.name === 'string' ? data.name : memberId,
  };
}

export function encodeAssignment(partitions: readonly string[]): Buffer {
  const byTopic: Record<string, number[]> = {};
  for (const tp of partitions) {
    const dash = tp.lastIndexOf('-');
    (byTopic[tp.slice(0, dash)] ??= []).push(Number(tp.slice(dash + 1)));
  }
  return AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: byTopic, userData: Buffer.alloc(0) });
}

/** The partitions (`topic-partition`) of a SyncGroup answer; an empty answer (no assignment) is none. */
export function decodeAssignment(buffer: Buffer | null | undefined): string[] {
  if (!buffer || buffer.length === 0) return [];
  const a = AssignerProtocol.MemberAssignment.decode(buffer);
  if (!a) return [];
  const out: string[] = [];
  for (const [topic, parts] of Object.entries(a.assignment)) for (const p of parts) out.push(`${topic}-${p}`);
  return out;
}
