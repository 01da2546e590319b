import type { DStream } from '../../../lib/streaming/dstream/DStream';
import type { StreamingContext } from '../../../lib/streaming/StreamingContext';
import { GroupModeUnsupportedOperationException } from './GroupErrors';

/** Operators that move records between partitions by key (creation sites of their DStreams). */
const SHUFFLES: Readonly<Record<string, string>> = {
  groupByKey: 'it shuffles the records by key across partitions',
  reduceByKey: 'it shuffles the records by key across partitions (count, reduce and countByValue use it too)',
  combineByKey: 'it shuffles the records by key across partitions',
  join: 'it shuffles both sides by key',
  leftOuterJoin: 'it shuffles both sides by key',
  rightOuterJoin: 'it shuffles both sides by key',
  fullOuterJoin: 'it shuffles both sides by key',
  cogroup: 'it shuffles both sides by key',
  repartition: 'it moves records to other partitions',
};

/** Spark's state streams (group mode replaces them; one left here was made before group mode could claim it). */
const SPARK_STATE = new Set(['StateDStream', 'InternalMapWithStateDStream']);

/**
 * Refuses, when the context starts, a graph in which an operator that needs records from partitions other members
 * own reads a group-mode stream: shuffles (reduceByKey, groupByKey, joins, repartition, count, ...), windows (their
 * batches' partitions may have moved), Spark's shuffled state. The error names the operator and the stream
 * (GroupModeUnsupportedOperationException); `transform` bodies cannot be seen and are the program's business.
 */
export function checkGroupModeGraph(ssc: StreamingContext, isGroupSource: (d: DStream<unknown>) => boolean, groupId: string): void {
  const readsGroup = new Map<DStream<unknown>, boolean>();
  const visit = (d: DStream<unknown>): boolean => {
    const known = readsGroup.get(d);
    if (known !== undefined) return known;
    readsGroup.set(d, false);
    let reads = isGroupSource(d);
    for (const p of d.dependencies) if (visit(p)) reads = true;
    readsGroup.set(d, reads);
    if (reads) {
      const reason = refusal(d);
      if (reason !== undefined) throw new GroupModeUnsupportedOperationException(d.creationSite, d.label, groupId, reason);
    }
    return reads;
  };
  for (const o of ssc.graph.outputStreams) visit(o as DStream<unknown>);
}

function refusal(d: DStream<unknown>): string | undefined {
  if (SPARK_STATE.has(d.className)) return 'Spark\'s state streams shuffle the records by key across partitions';
  if (/Window/.test(d.className)) return 'a window spans batches whose partitions may have moved to other members since';
  return Object.prototype.hasOwnProperty.call(SHUFFLES, d.creationSite) ? SHUFFLES[d.creationSite] : undefined;
}
