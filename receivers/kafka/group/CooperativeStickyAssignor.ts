import { topicPartitionKey } from '../TopicPartition';

/** One member's subscription as the group leader sees it (decoded from its JoinGroup metadata). */
export interface MemberSubscription {
  readonly memberId: string;
  readonly topics: readonly string[];
  /** The partitions (`topic-partition`) the member holds now: its claims (KIP-429's owned partitions). */
  readonly owned: readonly string[];
  /** The generation the member got `owned` in; of two members claiming a partition, the later generation wins. */
  readonly generation: number;
}

/** What the leader sends back: each member's partitions, and the partitions held back this round. */
export interface AssignmentPlan {
  /** Member id → its partitions (`topic-partition`, sorted). Every member appears, possibly with none. */
  readonly assignment: ReadonlyMap<string, readonly string[]>;
  /**
   * Partitions moving to another member: taken from their owner now and given to nobody until the owner has
   * released them and rejoined (the second round of a cooperative rebalance).
   */
  readonly withheld: readonly string[];
}

/**
 * The cooperative sticky assignment (Kafka's `CooperativeStickyAssignor`, KIP-54 + KIP-429), computed by the group
 * leader: per topic, the members subscribing to it get an equal share (counts differ by at most one); a member keeps
 * the partitions it owns as far as its share allows; the rest go to the members below their share. A partition
 * whose target member is not its current owner is withheld this round: the owner sees it missing from its
 * assignment, finishes its batch, commits, releases the partition and rejoins, and the next round gives it to the
 * target. Partitions nobody owns (a new topic, a member that died) are given at once.
 *
 * Deterministic for the same input (members and partitions are sorted), so every test and every leader agrees.
 */
export function assignCooperativeSticky(members: readonly MemberSubscription[], partitionsByTopic: ReadonlyMap<string, readonly number[]>): AssignmentPlan {
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const owners = validClaims(sorted, partitionsByTopic);
  const target = new Map<string, string[]>();
  for (const m of sorted) target.set(m.memberId, []);
  for (const topic of [...partitionsByTopic.keys()].sort()) {
    const subscribers = sorted.filter((m) => m.topics.includes(topic)).map((m) => m.memberId);
    if (subscribers.length === 0) continue;
    const parts = [...(partitionsByTopic.get(topic) ?? [])].sort((a, b) => a - b).map((p) => topicPartitionKey(topic, p));
    for (const [member, got] of balance(subscribers, parts, owners)) target.get(member)!.push(...got);
  }
  const assignment = new Map<string, string[]>();
  const withheld: string[] = [];
  for (const [member, parts] of target) {
    const given: string[] = [];
    for (const tp of parts) {
      const owner = owners.get(tp);
      if (owner !== undefined && owner !== member) withheld.push(tp);
      else given.push(tp);
    }
    assignment.set(member, given.sort(compareKeys));
  }
  return { assignment, withheld: withheld.sort(compareKeys) };
}

/**
 * Partition → owning member, from the members' claims: only partitions that exist and that the claimant subscribes
 * to; two claims on one partition go to the later generation, and a tie (two members that both think they own it
 * in the same generation) to nobody.
 */
function validClaims(members: readonly MemberSubscription[], partitionsByTopic: ReadonlyMap<string, readonly number[]>): Map<string, string> {
  const best = new Map<string, { member: string; generation: number; tied: boolean }>();
  for (const m of members) {
    for (const tp of m.owned) {
      const dash = tp.lastIndexOf('-');
      const topic = tp.slice(0, dash);
      const p = Number(tp.slice(dash + 1));
      if (!m.topics.includes(topic) || !(partitionsByTopic.get(topic) ?? []).includes(p)) continue;
      const b = best.get(tp);
      if (b === undefined || m.generation > b.generation) best.set(tp, { member: m.memberId, generation: m.generation, tied: false });
      else if (m.generation === b.generation) b.tied = true;
    }
  }
  const out = new Map<string, string>();
  for (const [tp, b] of best) if (!b.tied) out.set(tp, b.member);
  return out;
}

/** One topic's partitions over its subscribers: equal shares, owned partitions kept first. */
function balance(subscribers: readonly string[], parts: readonly string[], owners: ReadonlyMap<string, string>): Map<string, string[]> {
  const n = parts.length;
  const m = subscribers.length;
  const base = Math.floor(n / m);
  let extra = n % m;
  const owned = new Map<string, string[]>(subscribers.map((s) => [s, [] as string[]]));
  for (const tp of parts) {
    const o = owners.get(tp);
    if (o !== undefined && owned.has(o)) owned.get(o)!.push(tp);
  }
  // The members owning the most get the larger shares first: fewer partitions move.
  const byOwned = [...subscribers].sort((a, b) => owned.get(b)!.length - owned.get(a)!.length || (a < b ? -1 : a > b ? 1 : 0));
  const quota = new Map<string, number>();
  for (const s of byOwned) {
    const q = base + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    quota.set(s, q);
  }
  const out = new Map<string, string[]>();
  const taken = new Set<string>();
  for (const s of byOwned) {
    const keep = owned.get(s)!.slice(0, quota.get(s));
    for (const tp of keep) taken.add(tp);
    out.set(s, keep);
  }
  const free = parts.filter((tp) => !taken.has(tp));
  let i = 0;
  for (const s of byOwned) {
    const got = out.get(s)!;
    while (got.length < quota.get(s)! && i < free.length) got.push(free[i++]);
  }
  return out;
}

function compareKeys(a: string, b: string): number {
  const da = a.lastIndexOf('-');
  const db = b.lastIndexOf('-');
  const ta = a.slice(0, da);
  const tb = b.slice(0, db);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return Number(a.slice(da + 1)) - Number(b.slice(db + 1));
}
