/** The RDD engine. Importing this module installs the transformations and actions on {@link RDD}. */
import './RDDOperations';
import './RDDActions';
import './PairRDDFunctions';
import './OrderedRDDFunctions';

export { RDD } from './RDD';
export { SparkContext } from './SparkContext';
export { Partitioner, HashPartitioner } from './Partitioner';
export { RangePartitioner } from './RangePartitioner';
export { defaultOrdering, reverseOrdering, type Ordering } from './Ordering';
export { SeededRandom } from './SeededRandom';
export { ZippedWithIndexRDD } from './ZippedWithIndexRDD';
export { defaultPartitioner, type PartitionerArg } from './PairRDDFunctions';
export { KeyMap, KeySet } from './KeyMap';
export { keyHash, canonicalKey } from './KeyHash';
export { CompactBuffer } from './CompactBuffer';
export { Broadcast } from './Broadcast';
export { LongAccumulator } from './LongAccumulator';
export { JobFailedException } from './JobFailedException';
export { TaskContext } from './TaskContext';
export type { Partition } from './Partition';
export type { Sink, ComputeResult } from './Sink';
export type { Aggregator } from './Aggregator';
export { MapPartitionsRDD, type PartitionTransform } from './MapPartitionsRDD';
export { ParallelCollectionRDD, EmptyRDD } from './ParallelCollectionRDD';
export { UnionRDD } from './UnionRDD';
export { ShuffledRDD } from './ShuffledRDD';
export { CoalescedRDD } from './CoalescedRDD';
