import type * as net from 'node:net';
import { BlockFormatError, BlockSerializer } from '../../lib/storage/BlockSerializer';
import type { StorageLevel } from '../../lib/storage/StorageLevel';
import { BadFrameException } from '../ReceiverErrors';
import { type Frame, FrameDecoder, type FrameTooLargeError } from './FrameDecoder';
import { TcpReceiver } from './TcpReceiver';

/** Frames stored at once before the connection is paused (Spark's queue of 2 blocks). */
const MAX_IN_FLIGHT = 2;

/**
 * Receives length-prefixed frames, each a serialized block (BlockSerializer format): Spark's `RawNetworkReceiver`
 * (`rawSocketStream`). Every frame is stored as one block with `store(bytes)`. A frame that is not a whole
 * serialized block (bad header, or a body that does not decode: a strings block whose lengths do not add up, a v8
 * payload that does not deserialize or is not an array) is dropped and reported (a BadFrameException naming the
 * stream, the frame's offset in the connection and the cause); a length over `maxFrameBytes` means the stream is
 * out of step, so the receiver restarts (reconnects).
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
      let frames: Frame[];
      try {
        frames = decoder.push(chunk);
      } catch (e) {
        this.receiveFailed(new BadFrameException(this.streamId, `socket ${this.address}`, (e as Error).message, (e as FrameTooLargeError).offset), isCurrent);
        return;
      }
      for (const { offset, body: frame } of frames) {
        // The whole block, body included: a bad one stored would fail its batch (and, re-run after a restart from
        // the WAL, every restart), losing the good records of that batch with it.
        try {
          BlockSerializer.validate(frame);
        } catch (e) {
          if (!(e instanceof BlockFormatError)) throw e;
          const bad = new BadFrameException(this.streamId, `socket ${this.address}`, `${frame.length}-byte frame dropped: ${e.message}`, offset);
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
