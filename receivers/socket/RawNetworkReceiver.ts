import type * as net from 'node:net';
import { BlockFormatError, BlockSerializer } from '../../lib/storage/BlockSerializer';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import { BadFrameException } from '../ReceiverErrors';
import { FrameDecoder } from './FrameDecoder';
import { TcpReceiver } from './TcpReceiver';

/** Frames stored at once before the connection is paused (Spark's queue of 2 blocks). */
const MAX_IN_FLIGHT = 2;

/**
 * Receives length-prefixed frames, each a serialized block (BlockSerializer format): Spark's `RawNetworkReceiver`
 * (`rawSocketStream`). Every frame is stored as one block with `store(bytes)`. A frame that is not a serialized
 * block is dropped and reported; a length over `maxFrameBytes` means the stream is out of step, so the receiver
 * restarts (reconnects).
 */
export class RawNetworkReceiver extends TcpReceiver<unknown> {
  constructor(
    host: string,
    port: number,
    storageLevel: StorageLevel,
    readonly maxFrameBytes: number,
  ) {
    super(host, port, storageLevel);
  }

  protected onConnected(socket: net.Socket, isCurrent: () => boolean): void {
    const decoder = new FrameDecoder(this.maxFrameBytes);
    let inFlight = 0;
    let ended = false;
    const maybeEnd = (): void => {
      if (ended && inFlight === 0) this.streamEnded(isCurrent);
    };
    socket.on('data', (chunk: Buffer) => {
      if (!isCurrent()) return;
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (e) {
        this.receiveFailed(new BadFrameException(this.streamId, `socket ${this.address}`, (e as Error).message), isCurrent);
        return;
      }
      for (const frame of frames) {
        try {
          BlockSerializer.encodingOf(frame);
        } catch (e) {
          if (!(e instanceof BlockFormatError)) throw e;
          const bad = new BadFrameException(this.streamId, `socket ${this.address}`, `${frame.length}-byte frame dropped: ${e.message}`);
          this.reportError(bad.message, bad);
          continue;
        }
        if (++inFlight > MAX_IN_FLIGHT) socket.pause();
        this.store(frame).then(
          () => {
            if (--inFlight <= MAX_IN_FLIGHT && isCurrent()) socket.resume();
            maybeEnd();
          },
          (e: unknown) => {
            inFlight--;
            this.receiveFailed(e, isCurrent);
          },
        );
      }
    });
    socket.once('end', () => {
      ended = true;
      maybeEnd();
    });
  }
}
