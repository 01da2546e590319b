import { errorMessage } from '../../../lib/core/errors';
import { getLogger } from '../../../lib/core/logging';
import { KafkaClientCache } from '../KafkaClientCache';
import { isConnectionError } from '../KafkaClient';
import { KafkaBrokerUnreachableException } from '../KafkaExceptions';
import type { ResolvedKafkaParams } from '../KafkaParams';
import { createRawCluster, kafkajs, type RawBroker, type RawCluster } from '../kafkajsInternals';
import { assignCooperativeSticky } from './CooperativeStickyAssignor';
import { KafkaGroupException } from './GroupErrors';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, GROUP_PROTOCOL_NAME } from './GroupProtocol';

const log = getLogger('GroupMembership');

/** What a member needs to take part in a consumer group. */
export interface GroupMembershipOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** `dstreams.kafka.group.member`: how this process is named in logs, reports and its checkpoint folder. */
  readonly memberName: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** `max.poll.interval.ms`: how long a rebalance waits for the members to rejoin (a member rejoins at its batch boundary). */
  readonly rebalanceTimeoutMs: number;
  readonly params: ResolvedKafkaParams;
}

/** One generation of the group, as this member got it from SyncGroup. */
export interface GroupGeneration {
  readonly generation: number;
  readonly memberId: string;
  readonly leader: boolean;
  /** This member's partitions in this generation (`topic-partition`, sorted). */
  readonly assigned: readonly string[];
  /** Partitions the leader held back this round (moving between members); empty on the other members. */
  readonly withheld: readonly string[];
  /** Members in the generation (known to the leader; 0 elsewhere). */
  readonly members: number;
  /** Wall time of the JoinGroup + SyncGroup round. */
  readonly joinMs: number;
}

/** Kafka error types that mean the member must join again. */
const REJOIN = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);
/** Kafka error types that mean the member left the group without knowing it: its partitions are someone else's now. */
const LOST = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);
/** The coordinator moved or is starting: look it up again. */
const COORDINATOR = new Set(['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS', 'GROUP_COORDINATOR_NOT_AVAILABLE']);

function errorType(e: unknown): string | undefined {
  return (e as { type?: string } | undefined)?.type;
}

/**
 * A member of a Kafka consumer group that runs the classic group protocol (JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup) itself, over kafkajs' request layer, with the cooperative sticky assignor when it is the leader.
 * Kafka's `ConsumerCoordinator`, for a stream rather than a poll loop: kafkajs' own consumer rebalances eagerly only
 * (it revokes every partition of every member on each rebalance; tulios/kafkajs#922) and moves partitions whenever it
 * likes, while a DStream may change its partitions only between batches.
 *
 * Heartbeats run in the background. When the coordinator announces a rebalance the member joins again at once,
 * claiming what it holds ({@link setOwned}); it keeps processing those partitions meanwhile (that is the cooperative
 * part), and {@link onGeneration} hands each new assignment to the stream, which applies it at its next batch boundary
 * and calls {@link requestRejoin} after releasing partitions, for the second round. A member that finds it was thrown
 * out (session expired, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID) reports {@link onLost} and joins as a new member.
 * The JoinGroup request blocks until every member rejoined, so the member has its own connection for it.
 */
export class GroupMembership {
  /** Each new generation's assignment. */
  onGeneration: (g: GroupGeneration) => void = () => undefined;
  /** The member was out of the group: every partition it held may be another member's now. */
  onLost: (reason: string) => void = () => undefined;

  private cluster: RawCluster | undefined;
  private coordinator: RawBroker | undefined;
  private memberIdValue = '';
  private generationValue = -1;
  private owned: readonly string[] = [];
  private ownedGeneration = -1;
  private rejoinNeeded = true;
  private rejoinReason = 'start';
  private stopped = false;
  private wake: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private lastGeneration: GroupGeneration | undefined;

  constructor(readonly options: GroupMembershipOptions) {}

  get memberId(): string {
    return this.memberIdValue;
  }

  get generation(): number {
    return this.generationValue;
  }

  get current(): GroupGeneration | undefined {
    return this.lastGeneration;
  }

  /** Connects and joins (the first generation is handed to {@link onGeneration} before this resolves). */
  async start(): Promise<void> {
    const o = this.options;
    this.cluster = createRawCluster({
      ...o.params.connection,
      brokers: [...o.params.bootstrapServers],
      clientId: `${o.params.clientId}-group`,
      connectionTimeout: o.params.connectionTimeoutMs,
      requestTimeout: o.params.requestTimeoutMs,
      metadataMaxAge: o.params.metadataMaxAgeMs,
      allowAutoTopicCreation: false,
      isolationLevel: kafkajs().isolationLevel.READ_COMMITTED,
    });
    const deadline = Date.now() + Math.max(o.rebalanceTimeoutMs, 30_000);
    let unreachable = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.cluster.connect();
        await this.joinAndSync();
        break;
      } catch (e) {
        if (this.stopped) return;
        // Brokers that do not answer fail after `retries` attempts (as every Kafka call here); a coordinator that is
        // still loading is waited for.
        if (isConnectionError(e) && ++unreachable > o.params.retries) {
          throw new KafkaBrokerUnreachableException(o.params.bootstrapServers, `joining consumer group '${o.groupId}'`, attempt, e);
        }
        if (Date.now() > deadline) {
          throw new KafkaGroupException(o.groupId, `could not join the group through ${o.params.bootstrapServers.join(',')} after ${attempt} attempts: ${errorMessage(e)}`, e);
        }
        log.info({ group: o.groupId, attempt, err: errorMessage(e) }, 'joining the group failed; retrying');
        this.coordinator = undefined;
        await this.pause(Math.min(200 * attempt, 2000));
      }
    }
    this.loopDone = this.loop();
  }

  /** What this member holds now (its claims at the next join), in the generation it holds them in. */
  setOwned(partitions: readonly string[], generation = this.generationValue): void {
    this.owned = [...partitions];
    this.ownedGeneration = generation;
  }

  /** Joins again as soon as possible (after releasing partitions: the cooperative second round). */
  requestRejoin(reason: string): void {
    if (this.rejoinNeeded) return;
    this.rejoinNeeded = true;
    this.rejoinReason = reason;
    this.wake?.();
  }

  /** Leaves the group (LeaveGroup: the others rebalance at once instead of after the session timeout). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.loopDone?.catch(() => undefined);
    if (this.memberIdValue !== '' && this.coordinator) {
      await this.coordinator.leaveGroup({ groupId: this.options.groupId, memberId: this.memberIdValue }).catch((e: unknown) => {
        log.debug({ group: this.options.groupId, err: errorMessage(e) }, 'LeaveGroup failed');
      });
      log.info({ group: this.options.groupId, member: this.options.memberName, memberId: this.memberIdValue }, 'left the group');
    }
    await this.cluster?.disconnect().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      if (this.rejoinNeeded) {
        try {
          await this.joinAndSync();
          failures = 0;
        } catch (e) {
          if (this.stopped) break;
          failures++;
          this.onError(e, 'joining');
          await this.pause(Math.min(100 * 2 ** failures, this.options.heartbeatIntervalMs));
        }
        continue;
      }
      await this.pause(this.options.heartbeatIntervalMs);
      if (this.stopped || this.rejoinNeeded) continue;
      try {
        const c = await this.findCoordinator();
        await c.heartbeat({ groupId: this.options.groupId, groupGenerationId: this.generationValue, memberId: this.memberIdValue });
        failures = 0;
      } catch (e) {
        if (this.stopped) break;
        failures++;
        this.onError(e, 'heartbeat');
      }
    }
  }

  private onError(e: unknown, during: string): void {
    const type = errorType(e);
    if (type !== undefined && LOST.has(type)) {
      const reason = `${type} during ${during}: this member was out of group '${this.options.groupId}' (session.timeout.ms ${this.options.sessionTimeoutMs} passed without a heartbeat, or a rebalance went on without it)`;
      log.warn({ group: this.options.groupId, member: this.options.memberName, type }, reason);
      if (type === 'UNKNOWN_MEMBER_ID') this.memberIdValue = '';
      this.generationValue = -1;
      this.owned = [];
      this.ownedGeneration = -1;
      this.onLost(reason);
    }
    if (type !== undefined && REJOIN.has(type)) {
      this.rejoinNeeded = true;
      this.rejoinReason = type;
      return;
    }
    if ((type !== undefined && COORDINATOR.has(type)) || isConnectionError(e)) {
      this.coordinator = undefined;
      log.info({ group: this.options.groupId, err: errorMessage(e) }, `${during}: coordinator unavailable; looking it up again`);
      return;
    }
    log.warn({ group: this.options.groupId, err: errorMessage(e) }, `${during} failed: ${errorMessage(e)}`);
  }

  private async findCoordinator(): Promise<RawBroker> {
    if (this.coordinator) return this.coordinator;
    await this.cluster!.refreshMetadata().catch(() => undefined);
    this.coordinator = await this.cluster!.findGroupCoordinator({ groupId: this.options.groupId });
    return this.coordinator;
  }

  /** One round: JoinGroup (blocks until every member joined), the leader's assignment, SyncGroup. */
  private async joinAndSync(): Promise<void> {
    // A rejoin requested while this round runs makes another round (its claims are newer than the ones sent).
    this.rejoinNeeded = false;
    try {
      await this.joinAndSyncOnce();
    } catch (e) {
      this.rejoinNeeded = true;
      throw e;
    }
  }

  private async joinAndSyncOnce(): Promise<void> {
    const o = this.options;
    const started = Date.now();
    const reason = this.rejoinReason;
    const coordinator = await this.findCoordinator();
    const metadata = encodeSubscription(o.topics, this.owned, this.ownedGeneration, o.memberName);
    let join;
    try {
      join = await coordinator.joinGroup({
        groupId: o.groupId,
        sessionTimeout: o.sessionTimeoutMs,
        rebalanceTimeout: o.rebalanceTimeoutMs,
        memberId: this.memberIdValue,
        groupProtocols: [{ name: GROUP_PROTOCOL_NAME, metadata }],
      });
    } catch (e) {
      if (errorType(e) === 'INCONSISTENT_GROUP_PROTOCOL') {
        throw new KafkaGroupException(o.groupId, `has members that do not speak ${GROUP_PROTOCOL_NAME} (another client uses the same group.id); give the dstreams processes a group of their own`, e);
      }
      throw e;
    }
    this.memberIdValue = join.memberId;
    this.generationValue = join.generationId;
    const leader = join.leaderId === join.memberId;
    let groupAssignment: { memberId: string; memberAssignment: Buffer }[] = [];
    let withheld: readonly string[] = [];
    if (leader) {
      const subs = join.members.map((m) => decodeSubscription(m.memberId, m.memberMetadata));
      const topics = [...new Set(subs.flatMap((s) => s.topics))];
      const lease = await KafkaClientCache.acquire(o.params, true);
      let partitions: Map<string, number[]>;
      try {
        partitions = await lease.client.partitionsFor(topics);
      } finally {
        lease.release();
      }
      const plan = assignCooperativeSticky(subs, partitions);
      withheld = plan.withheld;
      groupAssignment = [...plan.assignment].map(([memberId, parts]) => ({ memberId, memberAssignment: encodeAssignment(parts) }));
      log.info(
        { group: o.groupId, generation: join.generationId, members: subs.map((s) => `${s.name}:${plan.assignment.get(s.memberId)?.length ?? 0}`), withheld },
        'leader assigned the partitions',
      );
    }
    const sync = await coordinator.syncGroup({ groupId: o.groupId, generationId: join.generationId, memberId: join.memberId, groupAssignment });
    const assigned = decodeAssignment(sync.memberAssignment).sort();
    const g: GroupGeneration = {
      generation: join.generationId,
      memberId: join.memberId,
      leader,
      assigned,
      withheld,
      members: leader ? join.members.length : 0,
      joinMs: Date.now() - started,
    };
    this.lastGeneration = g;
    log.info({ group: o.groupId, member: o.memberName, generation: g.generation, leader, assigned, reason, ms: g.joinMs }, 'joined the group');
    this.onGeneration(g);
  }

  /** Waits `ms`, or less when woken by {@link requestRejoin} or {@link stop}. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
