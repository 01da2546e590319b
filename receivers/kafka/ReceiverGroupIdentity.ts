import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { getLogger } from '../../lib/core/logging';
import type { StreamId } from '../../lib/storage/StreamId';
import { KafkaClientCache } from './KafkaClientCache';
import type { KafkaReceiverParams } from './KafkaReceiverParams';

const log = getLogger('ReliableKafkaReceiver');

/**
 * Who a reliable Kafka receiver is across restarts: the same host, checkpoint folder and stream. Its group
 * consumer's client id is `<client.id>-rcv-<tag>` (Kafka prefixes member ids with the client id, and DescribeGroups
 * lists it for members in every group state), so a restarted receiver can tell its own killed predecessors among
 * the group's members.
 *
 * Why: a SIGKILLed member stays in the group until `session.timeout.ms` passes, and the restarted receiver's join
 * waits for it (measured: restart to first record = the session timeout, 6 s in the fault tests, 45 s by default).
 * Kafka's answer is static membership (`group.instance.id`), which kafkajs 2.2.4 does not implement; removing the
 * dead member (a LeaveGroup on its behalf, what it would have sent on a clean stop) gives the same restart.
 */
export function receiverClientId(clientId: string, checkpointDir: string, streamId: StreamId): string {
  const tag = createHash('sha256').update(`${os.hostname()}\0${checkpointDir}\0${streamId}`).digest('hex').slice(0, 12);
  return `${clientId}-rcv-${tag}`;
}

/**
 * Removes the members of `params.groupId` that an earlier process of this receiver left behind (same client id,
 * `receiverClientId`): call it before joining. Returns their member ids. A failure is logged, not thrown: the join
 * then waits for their sessions to time out, as without this.
 */
export async function removeEarlierIncarnations(params: KafkaReceiverParams, clientId: string, streamId: StreamId): Promise<string[]> {
  const removed: string[] = [];
  try {
    const lease = await KafkaClientCache.acquire(params.kafka);
    try {
      const members = await lease.client.groupMembers(params.groupId);
      for (const m of members) {
        if (m.clientId !== clientId) continue;
        if (await lease.client.removeGroupMember(params.groupId, m.memberId)) removed.push(m.memberId);
      }
    } finally {
      lease.release();
    }
  } catch (e) {
    log.warn({ err: e, streamId, groupId: params.groupId }, `Could not remove this receiver's earlier members from group '${params.groupId}'; joining waits for their sessions to time out`);
    return removed;
  }
  if (removed.length > 0) {
    log.info(
      { streamId, groupId: params.groupId, members: removed },
      `Removed ${removed.length} member(s) an earlier process of this receiver left in group '${params.groupId}' (it did not stop cleanly), so that joining does not wait for their session timeout`,
    );
  }
  return removed;
}
