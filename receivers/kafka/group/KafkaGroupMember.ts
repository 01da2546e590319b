import { errorMessage } from '../../../lib/core/errors';
import { getLogger } from '../../../lib/core/logging';
import type { ResolvedKafkaParams } from '../KafkaParams';
import { BatchCommitter, type PartitionFailure } from './BatchCommitter';
import { type GroupGeneration, GroupMembership } from './GroupMembership';
import { eventLogWriter, KafkaGroupEvents, type KafkaGroupListener } from './KafkaGroupEvents';

const log = getLogger('KafkaGroupMember');

/**
 * A party that keeps something per input partition and must have it ready before the partition's first batch here
 * (the group-mode state streams: they restore the partition's state from its changelog).
 */
export interface PartitionOwner {
  /** Makes the partition ready; `cancelled()` turns true when it was taken away meanwhile. */
  acquire(partition: string, cancelled: () => boolean): Promise<void>;
  /** Forgets what it holds of the partition. */
  release(partition: string): void;
}

/** What a group-mode stream's member needs. */
export interface KafkaGroupMemberOptions {
  readonly streamName: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly memberName: string;
  readonly params: ResolvedKafkaParams;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  /** `dstreams.kafka.group.eventLog`: a file the events are appended to. */
  readonly eventLog?: string;
}

interface Acquiring {
  cancelled: boolean;
}

/**
 * The group side of one group-mode direct stream: its membership, which partitions it reads, and its commits.
 *
 * Partitions move only at batch boundaries ({@link partitionsForBatch}, called as the stream plans a batch):
 * - a partition the group gave this member is first *acquired* in the background: its transactional producer is
 *   connected (which fences the previous owner and aborts whatever that one left open), then every
 *   {@link PartitionOwner} makes it ready (state restored from the changelog); the next batch boundary after that
 *   adds it to the batches, starting at the group's committed offset;
 * - a partition the group took away stays in the batches until the boundary, where this member waits until every
 *   batch generated so far is committed (at most two: a batch is planned once its predecessor ran), then
 *   releases it and rejoins the group (the second round of a cooperative rebalance hands it to its new owner);
 * - a partition lost without a handover (this member was out of the group, its producer was fenced) is dropped at
 *   the boundary without waiting;
 * - a partition whose batch failed or whose transaction did not commit is released and acquired again (reset),
 *   so it resumes from what Kafka holds.
 */
export class KafkaGroupMember {
  readonly membership: GroupMembership;
  readonly committer: BatchCommitter;
  readonly events: KafkaGroupEvents;

  private readonly owners: PartitionOwner[] = [];
  /** Partitions in the stream's batches. */
  private readonly active = new Set<string>();
  /** Acquired, waiting for the next boundary. */
  private readonly ready = new Set<string>();
  private readonly acquiring = new Map<string, Acquiring>();
  /** The latest assignment. */
  private target = new Set<string>();
  private readonly lostPartitions = new Map<string, string>();
  private readonly resets = new Map<string, string>();
  private generationOfTarget = -1;
  private stopped = false;
  private readyWaiters: Array<() => void> = [];

  constructor(readonly options: KafkaGroupMemberOptions) {
    this.events = new KafkaGroupEvents(options.groupId, options.memberName);
    if (options.eventLog !== undefined) this.events.on(eventLogWriter(options.eventLog));
    this.membership = new GroupMembership({
      groupId: options.groupId,
      topics: options.topics,
      memberName: options.memberName,
      sessionTimeoutMs: options.sessionTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs,
      params: options.params,
    });
    this.committer = new BatchCommitter(options.streamName, options.groupId, options.params, 'partition', options.transactionTimeoutMs, this.events);
    this.membership.onGeneration = (g) => this.onGeneration(g);
    this.membership.onLost = (reason) => this.onLost(reason);
    this.committer.onPartitionFailed = (parts, failure, error) => this.onPartitionFailed(parts, failure, error);
  }

  get name(): string {
    return this.options.memberName;
  }

  /** Registers a party that keeps per-partition data (before the stream starts). */
  addOwner(owner: PartitionOwner): void {
    this.owners.push(owner);
  }

  /** Listens to the member's events (joins, acquired/revoked/lost partitions, restores, commits). */
  on(listener: KafkaGroupListener): () => void {
    return this.events.on(listener);
  }

  /** The partitions in the stream's batches now. */
  get partitions(): readonly string[] {
    return [...this.active].sort();
  }

  /**
   * Resolves once every partition of the current assignment is acquired (ready for the next batch, or in the
   * batches already): what a test or a benchmark waits for before stepping the next batch.
   */
  whenAcquired(): Promise<void> {
    if (this.allAcquired()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private allAcquired(): boolean {
    return this.acquiring.size === 0 && [...this.target].every((p) => this.active.has(p) || this.ready.has(p));
  }

  private notifyAcquired(): void {
    if (this.readyWaiters.length === 0 || !this.allAcquired()) return;
    for (const w of this.readyWaiters.splice(0)) w();
  }

  /** Joins the group; resolves after the first assignment (its partitions are then being acquired). */
  async start(): Promise<void> {
    await this.membership.start();
  }

  /**
   * Applies what changed since the last batch (see the class comment) and returns the partitions the next batch
   * reads. It first waits until the batches before have completed (at most `max.poll.interval.ms`): a batch is
   * planned only once its predecessor ran, so batches never queue up behind a slow one (a queue the next owner of a
   * partition would wait for), while the predecessor's commit overlaps the new batch's work. Releasing a partition
   * also waits for that commit.
   */
  async partitionsForBatch(): Promise<string[]> {
    const started = Date.now();
    await this.bounded(this.committer.completed(), 'uncompleted');
    const revoked = [...this.active].filter((p) => !this.target.has(p) && !this.lostPartitions.has(p));
    const resets = [...this.resets.keys()].filter((p) => this.active.has(p) || this.ready.has(p));
    if (revoked.length > 0 || resets.length > 0) {
      await this.boundedFlush();
      for (const p of revoked) this.drop(p, true);
      if (revoked.length > 0) this.events.emit({ kind: 'revoked', partitions: revoked, waitedMs: Date.now() - started });
      for (const p of resets) {
        this.drop(p, false);
        if (this.target.has(p)) this.startAcquire(p);
      }
      if (resets.length > 0) this.events.emit({ kind: 'reset', partitions: resets, reason: resets.map((p) => this.resets.get(p)).join('; ') });
      this.resets.clear();
    }
    if (this.lostPartitions.size > 0) {
      const lost = [...this.lostPartitions.keys()].filter((p) => this.active.has(p) || this.ready.has(p) || this.acquiring.has(p));
      for (const p of lost) this.drop(p, false);
      if (lost.length > 0) this.events.emit({ kind: 'lost', partitions: lost, reason: [...new Set(this.lostPartitions.values())].join('; ') });
      this.lostPartitions.clear();
    }
    const gained = [...this.ready].filter((p) => this.target.has(p)).sort();
    for (const p of gained) {
      this.ready.delete(p);
      this.active.add(p);
    }
    if (gained.length > 0) this.events.emit({ kind: 'acquired', partitions: gained });
    this.updateClaims();
    if (revoked.length > 0) this.membership.requestRejoin(`released ${revoked.join(', ')}`);
    return [...this.active].sort();
  }

  /** Commits what is left, releases everything and leaves the group. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const a of this.acquiring.values()) a.cancelled = true;
    await this.boundedFlush();
    for (const p of [...this.active, ...this.ready]) for (const o of this.owners) o.release(p);
    await this.committer.close();
    await this.membership.stop();
  }

  private boundedFlush(): Promise<void> {
    return this.bounded(this.committer.flush(), 'uncommitted');
  }

  /** Waits for `p`, at most `max.poll.interval.ms` (then logs what was still pending and goes on). */
  private async bounded(p: Promise<void>, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.options.rebalanceTimeoutMs;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit)));
    const r = await Promise.race([p.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (r === 'timeout') log.warn({ stream: this.options.streamName, ms: limit }, `batches still ${what} after ${limit} ms (max.poll.interval.ms); going on`);
  }

  private onGeneration(g: GroupGeneration): void {
    if (this.stopped) return;
    this.target = new Set(g.assigned);
    this.generationOfTarget = g.generation;
    this.events.emit({ kind: 'joined', generation: g.generation, memberId: g.memberId, leader: g.leader, assigned: [...g.assigned], withheld: [...g.withheld], joinMs: g.joinMs });
    // Partitions taken away before they reached a batch are given up now (nothing of them to commit); the others
    // wait for the next batch boundary.
    const released = [...this.ready, ...this.acquiring.keys()].filter((p) => !this.target.has(p));
    for (const p of released) this.drop(p, true);
    for (const p of g.assigned) {
      if (!this.active.has(p) && !this.ready.has(p) && !this.acquiring.has(p)) this.startAcquire(p);
    }
    this.updateClaims();
    if (released.length > 0) this.membership.requestRejoin(`released ${released.join(', ')}`);
    this.notifyAcquired();
  }

  private onLost(reason: string): void {
    for (const p of [...this.active, ...this.ready, ...this.acquiring.keys()]) this.lostPartitions.set(p, reason);
    for (const a of this.acquiring.values()) a.cancelled = true;
    this.target = new Set();
  }

  private onPartitionFailed(partitions: readonly string[], failure: PartitionFailure, error: Error): void {
    for (const p of partitions) {
      if (failure === 'fenced') {
        this.lostPartitions.set(p, error.message);
        this.membership.requestRejoin(`fenced on ${p}`);
      } else {
        this.resets.set(p, error.message);
      }
    }
  }

  private startAcquire(p: string): void {
    const entry: Acquiring = { cancelled: false };
    this.acquiring.set(p, entry);
    void (async () => {
      try {
        await this.committer.fence(p);
        for (const o of this.owners) {
          if (entry.cancelled) break;
          await o.acquire(p, () => entry.cancelled || this.stopped);
        }
        if (this.acquiring.get(p) !== entry) return;
        this.acquiring.delete(p);
        if (entry.cancelled || this.stopped) {
          this.drop(p, true);
          return;
        }
        this.ready.add(p);
      } catch (e) {
        if (this.acquiring.get(p) === entry) this.acquiring.delete(p);
        for (const o of this.owners) o.release(p);
        if (entry.cancelled || this.stopped) return;
        log.warn({ stream: this.options.streamName, partition: p, err: errorMessage(e) }, `acquiring ${p} failed; rejoining the group: ${errorMessage(e)}`);
        this.target.delete(p);
        this.updateClaims();
        this.membership.requestRejoin(`acquiring ${p} failed`);
      } finally {
        this.notifyAcquired();
      }
    })();
  }

  /** Forgets a partition here; `release` lets its producer go (a handover; a lost one's producer is fenced already). */
  private drop(p: string, release: boolean): void {
    this.active.delete(p);
    this.ready.delete(p);
    const a = this.acquiring.get(p);
    if (a) {
      a.cancelled = true;
      this.acquiring.delete(p);
    }
    for (const o of this.owners) o.release(p);
    if (release) void this.committer.release(p);
    else this.committer.producers.forget(this.committer.transactionalId(p));
  }

  /** Tells the membership what this member holds (its claims at the next rejoin). */
  private updateClaims(): void {
    const held = [...this.active, ...this.ready, ...this.acquiring.keys()].filter((p) => this.target.has(p) || this.active.has(p));
    this.membership.setOwned([...new Set(held)].sort(), this.generationOfTarget);
  }
}
