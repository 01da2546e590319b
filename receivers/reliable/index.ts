export { ReplayableLineSource } from '../../lib/io/ReplayableLineSource';
export { ReplayableSocketReceiver, type SourceOffsets } from './ReplayableSocketReceiver';
