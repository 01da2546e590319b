/**
 * The socket-ingest sender: a TCP server on 127.0.0.1 (any free port, printed as `PORT <n>` on stdout) that writes
 * 50-byte lines (49 characters + `\n`) to every connection as fast as the connection takes them, in 64 KiB writes
 * (batched: one `write` per 1310 lines), honouring backpressure, until the connection closes. Counts the lines
 * it sent per connection and prints `SENT <n>` when one closes.
 */
import * as net from 'node:net';

const LINE = 50;
const LINES_PER_WRITE = 1310;

function payload(): Buffer {
  const buf = Buffer.alloc(LINE * LINES_PER_WRITE);
  for (let i = 0; i < LINES_PER_WRITE; i++) {
    const text = `line ${String(i).padStart(6, '0')} ${'abcdefghijklmnopqrstuvwxyz0123456789'}`.slice(0, LINE - 1);
    buf.write(text.padEnd(LINE - 1, '.'), i * LINE, 'latin1');
    buf[i * LINE + LINE - 1] = 0x0a;
  }
  return buf;
}

const chunk = payload();

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let sent = 0;
  let open = true;
  const pump = (): void => {
    while (open) {
      sent += LINES_PER_WRITE;
      if (!socket.write(chunk)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  socket.on('error', () => undefined);
  socket.on('close', () => {
    open = false;
    process.stdout.write(`SENT ${sent}\n`);
  });
  pump();
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as net.AddressInfo).port}\n`);
});
