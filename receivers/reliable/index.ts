export { ReplayableLineSource } from './ReplayableLineSource';
export { ReplayableSocketReceiver, type SourceOffsets } from './ReplayableSocketReceiver';
