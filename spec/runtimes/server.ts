/**
 * The server of the cross-runtime conformance suite: a real `ws` server on 127.0.0.1 and a
 * free port, one per scenario run, in the test process. What it does depends on the path:
 *
 * - `/echo`: each message back, text as text and binary as binary;
 * - `/close-on-request`: on a message `{"code":…,"reason":…}`, a close frame with them;
 * - `/kill-on-request`: echoes; on the message `kill the server`, every connection is cut
 *   (no close frame), the server stops listening, then listens again on the same port;
 * - `/pong-3`: answers `pong` to the first three `ping`s, then never answers anything;
 * - `/protocols`: picks `chat.v1` when the client offers it.
 *
 * It records each connection (path, offered subprotocols, messages, how it closed).
 */
import { createServer } from 'node:http';
import { WebSocketServer, type RawData } from 'ws';
import { deferred, type Deferred } from '../helpers/deferred.js';
import { bufferOf, closer, listen, trackSockets } from '../helpers/node-servers.js';

/** One connection as the server saw it. */
export interface Seen {
  readonly path: string;
  /** The subprotocols offered in the handshake, in order. */
  readonly offered: string[];
  /** How many times the server had been killed before this connection. */
  readonly generation: number;
  /** Messages, as `text: …` (or `text(<length>)` past 1,000 characters) or `binary(<length>)`. */
  readonly received: string[];
  /** The close code and reason, once closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

export interface ConformanceServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  readonly connections: Seen[];
  /** Resolves once the server has been killed and listens again. */
  readonly restarted: Promise<void>;
  close(): Promise<void>;
}

export async function startConformanceServer(): Promise<ConformanceServer> {
  const http = createServer((_request, response) => response.writeHead(426).end());
  const sockets = trackSockets(http);
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (offered) => (offered.has('chat.v1') ? 'chat.v1' : false),
  });
  const connections: Seen[] = [];
  const restarted: Deferred<void> = deferred();
  let generation = 0;
  let port = 0;

  const kill = async (): Promise<void> => {
    generation++;
    for (const client of wss.clients) client.terminate();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await listen(http, port);
    restarted.resolve();
  };

  wss.on('connection', (socket, request) => {
    socket.on('error', () => undefined);
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const closed = deferred<{ code: number; reason: string }>();
    const seen: Seen = {
      path,
      offered: (request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
      generation,
      received: [],
      closed: closed.promise,
    };
    connections.push(seen);
    socket.on('close', (code: number, reason: Buffer) => closed.resolve({ code, reason: reason.toString('utf8') }));
    let pongs = 0;
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      const data = bufferOf(raw);
      const text = isBinary ? '' : data.toString('utf8');
      seen.received.push(
        isBinary ? `binary(${data.length})` : text.length > 1000 ? `text(${text.length})` : `text: ${text}`,
      );
      switch (path) {
        case '/close-on-request': {
          const { code, reason } = JSON.parse(text) as { code: number; reason: string };
          socket.close(code, reason);
          return;
        }
        case '/kill-on-request':
          if (text === 'kill the server') {
            void kill(); // a failed restart is an unhandled rejection, which fails the run
            return;
          }
          socket.send(data, { binary: isBinary });
          return;
        case '/pong-3':
          if (text === 'ping' && pongs < 3) {
            pongs++;
            socket.send('pong');
          }
          return;
        default:
          socket.send(data, { binary: isBinary });
          return;
      }
    });
  });

  port = await listen(http);
  const close = closer(http, sockets, () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  return { url: `ws://127.0.0.1:${port}`, connections, restarted: restarted.promise, close };
}

/** A `ws://127.0.0.1:<port>` where nothing listens: a connection there is refused. */
export async function refusedUrl(): Promise<string> {
  const http = createServer();
  const port = await listen(http);
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return `ws://127.0.0.1:${port}`;
}
