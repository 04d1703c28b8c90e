/**
 * The benchmark server, run in its own process (`fork`): a bare WebSocket server on the raw
 * TCP socket, so that it is never what is being measured. It tells its parent its port over
 * IPC, then serves, by the request path:
 *
 * - `/flood?n=N&size=S`: after the client's first frame (the "go"), N text frames whose
 *   payload is an S-byte JSON string literal, pre-built into one Buffer of many complete
 *   frames and written again and again, waiting for `drain`;
 * - `/echo`: each client frame back as the same kind of frame, unmasked;
 * - `/idle`: the handshake, then nothing (for the memory figure).
 *
 * No permessage-deflate is negotiated, so frames go over the wire as they are.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const BATCH_BYTES = 256 * 1024;

/** An `S`-byte JSON string literal, the same payload for every contender: `"xxxx…"`. */
function payload(size) {
  if (size < 2) throw new Error('a JSON string literal needs at least 2 bytes');
  return `"${'x'.repeat(size - 2)}"`;
}

/** One complete unmasked server->client frame. */
function frame(opcode, body) {
  const len = body.length;
  let head;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, body]);
}

function accept(req, socket) {
  const key = req.headers['sec-websocket-key'];
  const digest = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.setNoDelay(true);
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${digest}\r\n\r\n`,
  );
}

async function flood(socket, n, size) {
  const one = frame(1, Buffer.from(payload(size)));
  const perBatch = Math.max(1, Math.floor(BATCH_BYTES / one.length));
  const batch = Buffer.concat(Array.from({ length: perBatch }, () => one));
  let closed = false;
  socket.once('close', () => (closed = true));
  let left = n;
  while (left > 0 && !closed) {
    const k = Math.min(left, perBatch);
    const ok = socket.write(k === perBatch ? batch : batch.subarray(0, k * one.length));
    left -= k;
    if (!ok && !closed) {
      await new Promise((resolve) => {
        const done = () => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }
}

/** Calls `onFrame(opcode, payload)` for each complete masked client frame. */
function clientFrames(socket, head, onFrame) {
  let pending = head.length > 0 ? Buffer.from(head) : Buffer.alloc(0);
  const parse = () => {
    for (;;) {
      if (pending.length < 2) return;
      const opcode = pending[0] & 0x0f;
      let len = pending[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (pending.length < 4) return;
        len = pending.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (pending.length < 10) return;
        len = Number(pending.readBigUInt64BE(2));
        at = 10;
      }
      const masked = (pending[1] & 0x80) !== 0;
      const end = at + (masked ? 4 : 0) + len;
      if (pending.length < end) return;
      const body = Buffer.from(pending.subarray(at + (masked ? 4 : 0), end));
      if (masked) {
        const mask = pending.subarray(at, at + 4);
        for (let i = 0; i < len; i++) body[i] ^= mask[i & 3];
      }
      pending = pending.subarray(end);
      onFrame(opcode, body);
    }
  };
  socket.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    parse();
  });
  parse();
}

const server = createServer((_req, res) => res.writeHead(426).end());
server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => {
    // A client that goes away mid-exchange resets the connection: the socket closes, nothing to do.
  });
  // The HTTP server allows half-open sockets: close ours when the client goes away.
  socket.on('end', () => socket.destroy());
  const url = new URL(req.url, 'http://bench');
  accept(req, socket);
  if (url.pathname === '/flood') {
    const n = Number(url.searchParams.get('n'));
    const size = Number(url.searchParams.get('size'));
    let started = false;
    clientFrames(socket, head, (opcode) => {
      if (opcode === 8) return socket.end();
      if (started) return;
      started = true;
      void flood(socket, n, size);
    });
  } else if (url.pathname === '/echo') {
    clientFrames(socket, head, (opcode, body) => {
      if (opcode === 8) {
        socket.write(frame(8, body));
        return socket.end();
      }
      socket.write(frame(opcode, body));
    });
  } else if (url.pathname === '/idle') {
    clientFrames(socket, head, (opcode) => {
      if (opcode === 8) socket.end();
    });
  } else socket.destroy();
});
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  process.send?.({ port: server.address().port });
});
process.on('disconnect', () => process.exit(0));
