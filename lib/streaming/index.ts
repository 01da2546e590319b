/** The streaming core. Importing this module installs the DStream operations. */
import './dstream/DStreamOperations';
import './dstream/PairDStreamFunctions';

export { StreamingContext, type OutputWriter, type RestoredCheckpoint } from './StreamingContext';
export { StreamingContextState } from './StreamingContextState';
export { DStreamGraph } from './DStreamGraph';
export { DStream } from './dstream/DStream';
export { InputDStream } from './dstream/InputDStream';
export { QueueInputDStream } from './dstream/QueueInputDStream';
export { ConstantInputDStream } from './dstream/ConstantInputDStream';
export { MappedRDDDStream } from './dstream/MappedRDDDStream';
export { TransformedDStream } from './dstream/TransformedDStream';
export { UnionDStream } from './dstream/UnionDStream';
export { ForEachDStream } from './dstream/ForEachDStream';
export { rddToFileName } from './dstream/DStreamOperations';
export { streamPartitioner, type PartitionArg } from './dstream/PairDStreamFunctions';
export { ObservableInputDStream } from './dstream/ObservableInputDStream';
export { readObjectFile, writeObjectFile } from './dstream/ObjectFile';
export type { BatchValues } from './dstream/DStreamOperations';
export * from './FileStreams';
