import { IllegalArgumentException } from '../lib/core/errors';
import { Time } from '../lib/core/Time';
import { StreamId } from '../lib/storage/StreamId';
import { ReceivedBlockInfo, type ReceivedBlockInfoJson } from './ReceivedBlockInfo';

/** The blocks of one batch, per stream: Spark's `AllocatedBlocks`. */
export class AllocatedBlocks {
  constructor(readonly streamIdToAllocatedBlocks: ReadonlyMap<StreamId, readonly ReceivedBlockInfo[]>) {}

  getBlocksForStream(streamId: StreamId): readonly ReceivedBlockInfo[] {
    return this.streamIdToAllocatedBlocks.get(streamId) ?? [];
  }
}

/**
 * The events of the driver's block metadata log: Spark's `ReceivedBlockTrackerLogEvent` (`BlockAdditionEvent`,
 * `BatchAllocationEvent`, `BatchCleanupEvent`). One event per log record, written as UTF-8 JSON so that a log can
 * be read with any tool (Spark uses Java serialization).
 */
export type ReceivedBlockTrackerLogEvent =
  | { readonly kind: 'BlockAdditionEvent'; readonly receivedBlockInfo: ReceivedBlockInfo }
  | { readonly kind: 'BatchAllocationEvent'; readonly time: Time; readonly allocatedBlocks: AllocatedBlocks }
  | { readonly kind: 'BatchCleanupEvent'; readonly times: readonly Time[] };

export function BlockAdditionEvent(receivedBlockInfo: ReceivedBlockInfo): ReceivedBlockTrackerLogEvent {
  return { kind: 'BlockAdditionEvent', receivedBlockInfo };
}

export function BatchAllocationEvent(time: Time, allocatedBlocks: AllocatedBlocks): ReceivedBlockTrackerLogEvent {
  return { kind: 'BatchAllocationEvent', time, allocatedBlocks };
}

export function BatchCleanupEvent(times: readonly Time[]): ReceivedBlockTrackerLogEvent {
  return { kind: 'BatchCleanupEvent', times };
}

type EventJson =
  | { e: 'BlockAddition'; info: ReceivedBlockInfoJson }
  | { e: 'BatchAllocation'; time: number; blocks: Record<string, ReceivedBlockInfoJson[]> }
  | { e: 'BatchCleanup'; times: number[] };

/** The log record of an event. */
export function serializeLogEvent(event: ReceivedBlockTrackerLogEvent): Buffer {
  let json: EventJson;
  switch (event.kind) {
    case 'BlockAdditionEvent':
      json = { e: 'BlockAddition', info: event.receivedBlockInfo.toJSON() };
      break;
    case 'BatchAllocationEvent': {
      const blocks: Record<string, ReceivedBlockInfoJson[]> = {};
      for (const [id, infos] of event.allocatedBlocks.streamIdToAllocatedBlocks) blocks[id] = infos.map((i) => i.toJSON());
      json = { e: 'BatchAllocation', time: event.time.milliseconds, blocks };
      break;
    }
    case 'BatchCleanupEvent':
      json = { e: 'BatchCleanup', times: event.times.map((t) => t.milliseconds) };
      break;
  }
  return Buffer.from(JSON.stringify(json), 'utf8');
}

/** The event of a log record; a record that is not one is an error naming its start. */
export function deserializeLogEvent(record: Buffer): ReceivedBlockTrackerLogEvent {
  let json: EventJson;
  try {
    json = JSON.parse(record.toString('utf8')) as EventJson;
  } catch (e) {
    throw new IllegalArgumentException(`Not a received-block metadata event (${(e as Error).message}): ${record.subarray(0, 60).toString('utf8')}`);
  }
  switch (json?.e) {
    case 'BlockAddition':
      return BlockAdditionEvent(ReceivedBlockInfo.fromJSON(json.info));
    case 'BatchAllocation': {
      const m = new Map<StreamId, ReceivedBlockInfo[]>();
      for (const [id, infos] of Object.entries(json.blocks)) m.set(StreamId(Number(id)), infos.map((i) => ReceivedBlockInfo.fromJSON(i)));
      return BatchAllocationEvent(new Time(json.time), new AllocatedBlocks(m));
    }
    case 'BatchCleanup':
      return BatchCleanupEvent(json.times.map((t) => new Time(t)));
    default:
      throw new IllegalArgumentException(`Unknown received-block metadata event: ${record.subarray(0, 60).toString('utf8')}`);
  }
}
