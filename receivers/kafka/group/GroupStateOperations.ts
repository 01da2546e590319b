import { getLogger } from '../../../lib/core/logging';
import type { DStream } from '../../../lib/streaming/dstream/DStream';
import { stateOperatorOverrides } from '../../../lib/streaming/dstream/StateOperations';
import { GroupModeConfigException } from './GroupErrors';
import { groupSourcesOf } from './GroupLineage';
import { PartitionedMapWithStateDStream } from './PartitionedMapWithStateDStream';
import { PartitionedStateDStream } from './PartitionedStateDStream';

const log = getLogger('GroupStateOperations');

/**
 * Installs group mode's `updateStateByKey` and `mapWithState` (receivers/kafka/index.ts imports this): on a stream
 * computed from a group-mode direct stream they keep the state per input partition with a changelog
 * (PartitionedStateDStream, PartitionedMapWithStateDStream); every other stream keeps Spark's operators. Initial
 * states are refused there (an initial key belongs to no input partition) and partitioners are not used (the state
 * follows the Kafka partitions).
 */
stateOperatorOverrides.updateStateByKey = <K, V, S>(
  stream: DStream<[K, V]>,
  form: ConstructorParameters<typeof PartitionedStateDStream<K, V, S>>[1],
  partitioner: unknown,
  initialRDD: unknown,
): DStream<[K, S]> | undefined => {
  if (groupSourcesOf(stream as DStream<unknown>).length === 0) return undefined;
  if (initialRDD !== undefined) {
    throw new GroupModeConfigException('updateStateByKey', 'an initialRDD cannot be used: its keys belong to no input partition, and the state of each partition comes from its changelog');
  }
  if (partitioner !== undefined) log.info({ partitioner: String(partitioner) }, 'updateStateByKey in group mode: the state is partitioned as the input, the partitioner is not used');
  return new PartitionedStateDStream<K, V, S>(stream, form);
};

stateOperatorOverrides.mapWithState = (stream, spec) => {
  if (groupSourcesOf(stream as DStream<unknown>).length === 0) return undefined;
  if (spec.getInitialStateRDD() !== undefined) {
    throw new GroupModeConfigException('mapWithState', 'StateSpec.initialState cannot be used: its keys belong to no input partition, and the state of each partition comes from its changelog');
  }
  return new PartitionedMapWithStateDStream(stream, spec);
};
