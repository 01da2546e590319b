import type { DStream } from '../../../lib/streaming/dstream/DStream';
import type { TransactionRecord } from './BatchCommitter';
import { GroupModeConfigException } from './GroupErrors';
import { groupSourcesOf } from './GroupLineage';
import type { KafkaGroupMember, PartitionOwner } from './KafkaGroupMember';
import { PartitionStateStores, PartitionStateStore } from './PartitionStateStore';
import { type ChangelogCodec, changelogTopicName, StateChangelog } from './StateChangelog';

/**
 * What a group-mode stateful stream shares with its input: the one group-mode direct stream it is computed from (one
 * topic: a changelog partition per input partition), the stores of the partitions this member owns, and the
 * changelog. It is a {@link PartitionOwner} of that stream's member: a partition the member gains is restored here
 * before the member reads it, and one it releases is forgotten.
 */
export class GroupStateSource<K, S, Out> implements PartitionOwner {
  readonly streamName: string;
  readonly stores: PartitionStateStores<K, S, Out>;
  readonly changelog: StateChangelog<K, S>;
  readonly member: KafkaGroupMember;

  constructor(stream: DStream<unknown>, operator: string, codec: ChangelogCodec<S>) {
    this.streamName = `${operator}-${stream.seq}`;
    const sources = groupSourcesOf(stream);
    if (sources.length !== 1) {
      throw new GroupModeConfigException(
        `${operator} (${stream})`,
        `its state is kept per input partition, so it must read one group-mode direct stream; it reads ${sources.length} (${sources.map((s) => s.name).join(', ')})`,
      );
    }
    const source = sources[0];
    const member = source.group!;
    const topics = member.options.topics;
    if (topics.length !== 1) {
      throw new GroupModeConfigException(
        `${operator} (${stream})`,
        `its changelog has one partition per input partition, so its input must be one topic; ${source.name} subscribes to ${topics.join(', ')} (make a stream per topic)`,
      );
    }
    this.member = member;
    this.stores = new PartitionStateStores<K, S, Out>(`${operator} (${this.streamName})`);
    const ssc = stream.ssc;
    this.changelog = new StateChangelog<K, S>(changelogTopicName(ssc.sparkContext.appName, this.streamName), this.streamName, topics[0], member.options.params, codec, member.events, ssc.conf);
    member.addOwner(this);
  }

  async acquire(partition: string, cancelled: () => boolean): Promise<void> {
    const store = new PartitionStateStore<K, S, Out>(partition);
    const complete = await this.changelog.restore(store as PartitionStateStore<K, S, unknown>, cancelled);
    if (complete && !cancelled()) this.stores.put(store);
  }

  release(partition: string): void {
    this.stores.delete(partition);
  }

  /** Puts a batch's changelog records into the batch's transaction for `partition`. */
  write(batchMs: number, partition: string, changes: readonly TransactionRecord[]): void {
    this.member.committer.add(batchMs, partition, changes);
  }
}
