/**
 * RawTextSender: Spark's `streaming/src/main/scala/org/apache/spark/streaming/util/RawTextSender.scala`, ported: the
 * data source of RawNetworkGrep.
 *
 * A helper program that sends blocks of serialized records over a socket to a `rawSocketStream` receiver
 * (`ssc.rawSocketStream`). It reads the lines of <file>, repeats them until a block of at least <blockSize> bytes
 * is full, serializes that block once (dstreams' block format, where Spark uses Kryo) and then sends it again and
 * again, each time as a 4-byte big-endian length followed by the block, at <bytesPerSec> bytes per second.
 *
 *   Usage: RawTextSender <port> <file> <blockSize> <bytesPerSec>
 *
 *   `$ npx dstreams run examples/RawTextSender.ts 9999 README.md 100000 1000000`
 * and then
 *   `$ npx dstreams run examples/RawNetworkGrep.ts 1 localhost 9999 1000`
 *
 * It listens on 127.0.0.1 (port 0 picks a free port; the port is printed on stderr: "Listening on port N").
 * Differences from Spark's: every connected client is served at once, each at the full rate (Spark's serves one
 * client at a time); a block is never smaller than one whole copy of the file's first line.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { BlockSerializer } from 'dstreams';
import { ExampleArgs, exitOnError } from './StreamingExamples';

/** The block RawTextSender repeats: the file's lines, cycled until `blockSize` bytes, serialized once. */
export function buildBlock(lines: readonly string[], blockSize: number): { block: Buffer; records: string[] } {
  if (lines.length === 0) throw new Error('the file has no lines to send');
  const records: string[] = [];
  let size = 0;
  let i = 0;
  while (size < blockSize) {
    records.push(lines[i]);
    size += Buffer.byteLength(lines[i]) + 4;
    i = (i + 1) % lines.length;
  }
  return { block: BlockSerializer.serialize(records), records };
}

/** A 4-byte big-endian length and the block: one frame as RawNetworkReceiver reads it. */
function frameOf(block: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(block.length);
  return Buffer.concat([len, block]);
}

/** Sends `frame` to `socket` over and over at `bytesPerSec` (Spark's RateLimitedOutputStream) until it closes. */
async function serve(socket: net.Socket, frame: Buffer, bytesPerSec: number): Promise<void> {
  const start = Date.now();
  let sent = 0;
  let open = true;
  socket.on('close', () => (open = false));
  socket.on('error', () => (open = false));
  while (open) {
    const allowed = ((Date.now() - start) / 1000) * bytesPerSec;
    if (sent + frame.length <= allowed || sent === 0) {
      sent += frame.length;
      if (!socket.write(frame)) await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    } else {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(((sent + frame.length - allowed) * 1000) / bytesPerSec))));
    }
  }
}

function main(args: string[]): void {
  const cli = new ExampleArgs(args, 'Usage: RawTextSender <port> <file> <blockSize> <bytesPerSec>', 'e.g. npx dstreams run examples/RawTextSender.ts 9999 README.md 100000 10000000').expect(4);
  const [port, file, blockSize, bytesPerSec] = [cli.port(0), args[1], cli.positiveInt(2, '<blockSize>'), cli.positiveInt(3, '<bytesPerSec>')];

  // Repeat the input data multiple times to fill in a buffer
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const { block } = buildBlock(lines, blockSize);
  const frame = frameOf(block);

  const server = net.createServer((socket) => {
    console.error('Got a new connection');
    void serve(socket, frame, bytesPerSec).then(() => {
      console.error('Client disconnected');
      socket.destroy();
    });
  });
  server.once('error', exitOnError);
  server.listen(port, '127.0.0.1', () => {
    console.error(`Listening on port ${(server.address() as net.AddressInfo).port}`);
  });
}

if (require.main === module) main(process.argv.slice(2));
